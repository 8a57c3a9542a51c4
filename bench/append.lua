-- The floor of bench/writers.py: every connection POSTs one document-sized line (APPEND_BODY,
-- a file) to the bare app's /append, which appends and fdatasyncs it (or APPEND_PATH: its
-- /append-pg, which commits it to PostgreSQL).
local file = io.open(os.getenv("APPEND_BODY"), "rb")
wrk.method, wrk.path, wrk.body = "POST", os.getenv("APPEND_PATH") or "/append", file:read("*a")
wrk.headers["Content-Type"] = "application/json"
file:close()
