-- bench/writers.py's many writers: wrk with one connection per thread, so each thread's state
-- is one client's. Client k fires screen / send_back alternately on its own draft EqIA with its
-- own tokens, sending the version its last answer gave. The plan (WRITERS_PLAN, a line a client:
-- "document version step screen-token send-back-token") is read once; done() prints each
-- client's counts ("client DOC OK FAILED VERSION") for the caller to check against the store.
local plan, threads = {}, {}
for line in io.lines(os.getenv("WRITERS_PLAN")) do
  local doc, version, step, screen, send_back = line:match("^(%S+) (%d+) (%d+) (%S+) (%S+)$")
  table.insert(plan, {doc, tonumber(version), tonumber(step), screen, send_back})
end

function setup(thread)
  local client = plan[#threads + 1]
  thread:set("doc", client[1])
  thread:set("version", client[2])
  thread:set("step", client[3])
  thread:set("screen_token", client[4])
  thread:set("send_back_token", client[5])
  thread:set("ok", 0)
  thread:set("failed", 0)
  table.insert(threads, thread)
end

function request()
  local name, token = "screen", screen_token
  if step % 2 == 1 then name, token = "send_back", send_back_token end
  local body = string.format('{"name":"%s","version":%d,"comment":"Please add the evidence."}', name, version)
  return wrk.format("POST", "/api/v1/documents/" .. doc .. "/transitions",
                    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status == 200 then  -- each transition is one history entry: the version goes up by one
    ok, version, step = ok + 1, version + 1, step + 1
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    io.write(string.format("client %s %d %d %d\n", thread:get("doc"), thread:get("ok"), thread:get("failed"),
                           thread:get("version")))
  end
end
