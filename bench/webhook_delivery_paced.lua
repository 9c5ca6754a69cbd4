-- wrk script: the deliveries of webhook_delivery.lua, each connection pausing between them, so
-- that wrk offers a fixed rate however many connections it holds, and its latencies measure the
-- server at that rate rather than a queue of its own making (with wrk's closed loop, 256
-- connections at 5,000 answers a second wait 51 ms on average whatever the server does).
--
--   wrk -s webhook_delivery_paced.lua URL -- BODY_FILE SIGNATURE PAUSE_MS
-- PAUSE_MS: connections * 1000 / rate, for the rate wanted.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "webhook_delivery.lua")

local read_delivery = init
function init(args)
  read_delivery(args)
  pause = tonumber(args[3])
end

function delay()
  return pause
end
