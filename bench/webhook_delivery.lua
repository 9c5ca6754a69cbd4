-- wrk script: Bitbucket Cloud webhook deliveries, as Bitbucket sends them, each with its own
-- X-Request-UUID (a repeated one would be answered as a duplicate, not stored). The body is the
-- same for every delivery, so its signature is computed once, by the caller.
--
--   wrk -s webhook_delivery.lua URL -- BODY_FILE SIGNATURE
-- SIGNATURE is the X-Hub-Signature value: "sha256=<hex HMAC-SHA256 of BODY_FILE's bytes>".

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
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
