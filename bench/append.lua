-- The floor of bench/writers.py: every connection POSTs one document-sized line (APPEND_BODY,
-- a file) to the bare app's /append, which appends and fdatasyncs it.
local file = io.open(os.getenv("APPEND_BODY"), "rb")
wrk.method, wrk.path, wrk.body = "POST", "/append", file:read("*a")
wrk.headers["Content-Type"] = "application/json"
file:close()
