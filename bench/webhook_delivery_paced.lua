-- wrk script: the deliveries of webhook_delivery.lua offered at a fixed rate, however many
-- connections wrk holds, so that its latencies measure the server at that rate rather than a
-- queue of its own making (with wrk's closed loop, 256 connections at 5,000 answers a second wait
-- 51 ms on average whatever the server does).
--
--   wrk -s webhook_delivery_paced.lua URL -- BODY_FILE SIGNATURE RATE
-- RATE: deliveries a second offered in all, shared evenly by wrk's threads (-t must be given as
-- the same number to wrk and, through WRK_THREADS, to this script; server_bench.sh does both).
--
-- Each thread keeps a schedule: its k-th delivery is due at start + k / (RATE / threads). A
-- connection that has its answer asks for the next slot and waits until it is due, or sends at
-- once when the slot has passed (the server fell behind: the rate offered is then what the
-- connections can carry). A fixed pause after each answer instead would offer less than RATE by
-- the server's own latency. wrk's latency is measured from the send, so a delivery sent late
-- because every connection was busy does not count its wait: the answered rate shows that case.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "webhook_delivery.lua")

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } leadline_timespec;
  int clock_gettime(int clock_id, leadline_timespec* now);
]]
local CLOCK_MONOTONIC = 1
local now_value = ffi.new("leadline_timespec")
local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, now_value)
  return tonumber(now_value.tv_sec) * 1000 + tonumber(now_value.tv_nsec) / 1e6
end

local read_delivery = init
function init(args)
  read_delivery(args)
  local threads = tonumber(os.getenv("WRK_THREADS") or "1")
  interval_ms = 1000 * threads / tonumber(args[3])
  next_due_ms = nil
end

function delay()
  local now = now_ms()
  if next_due_ms == nil then next_due_ms = now end
  local due = next_due_ms
  next_due_ms = next_due_ms + interval_ms
  if due <= now then return 0 end
  return math.floor(due - now + 0.5)
end
