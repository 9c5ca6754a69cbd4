-- wrk script: Bitbucket Cloud webhook deliveries, as Bitbucket sends them, each with its own
-- X-Request-UUID (a repeated one would be answered as a duplicate, not stored). The body is the
-- same for every delivery, so its signature is computed once, by the caller.
--
--   wrk -s webhook_delivery.lua URL -- BODY_FILE SIGNATURE
-- SIGNATURE is the X-Hub-Signature value: "sha256=<hex HMAC-SHA256 of BODY_FILE's bytes>".
-- With INTAKE_PORTS="PORT PORT ..." in the environment, wrk's threads send to those ports of
-- URL's host in turn instead (several servers on one store; give -t a multiple of their count).

local threads = 0
local ports = {}
for port in string.gmatch(os.getenv("INTAKE_PORTS") or "", "%d+") do
  ports[#ports + 1] = port
end

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
  if #ports > 0 then
    thread.addr = wrk.lookup(wrk.host, ports[(threads - 1) % #ports + 1])[1]
  end
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  body = file:read("*a")
  file:close()
  signature = args[2]
  started_at = os.time()
  sent = 0
end

function request()
  sent = sent + 1
  -- A UUID unique per run, thread and delivery: the start time, the thread, a counter.
  local uuid = string.format("{%08x-%04x-4000-8000-%012x}", started_at, thread_number, sent)
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["User-Agent"] = "Bitbucket-Webhooks/2.0",
    ["X-Event-Key"] = "pullrequest:updated",
    ["X-Request-UUID"] = uuid,
    ["X-Attempt-Number"] = "1",
    ["X-Hub-Signature"] = signature,
  }, body)
end
