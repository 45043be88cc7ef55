-- wrk script for the read-while-writing check: a light, paced reader. GET of the URL given to wrk
-- (e.g. /eval-runs?db_id=local&limit=20), run with one thread and one connection (wrk -t1 -c1),
-- one request every 1/BENCH_RATE s on a fixed schedule: delay() waits until the next slot, so a slow
-- answer does not lower the rate of the ones after it (unless it takes longer than a slot). wrk's
-- latency is from sending a request to reading its answer; the wait is not in it.
--
-- Environment: BENCH_RATE  requests per second (default 50); BENCH_AUTH  optional bearer token.
-- done() prints one machine-readable line starting with "WRKLIST ".
local rate = tonumber(os.getenv("BENCH_RATE") or "50")
local auth = os.getenv("BENCH_AUTH")
local interval = 1 / rate

local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } list_timespec;
int clock_gettime(int clk, list_timespec *ts);
]]
local tsbuf = ffi.new("list_timespec")
local function now()
   ffi.C.clock_gettime(1, tsbuf)  -- CLOCK_MONOTONIC
   return tonumber(tsbuf.tv_sec) + tonumber(tsbuf.tv_nsec) / 1e9
end

if auth and auth ~= "" then wrk.headers["Authorization"] = "Bearer " .. auth end

local due = -1
function delay()
   local t = now()
   if due < 0 then due = t end
   local wait = due - t
   due = math.max(due, t) + interval
   if wait <= 0 then return 0 end
   return math.floor(wait * 1000 + 0.5)
end

function done(summary, latency, requests)
   local secs = summary.duration / 1e6
   local e = summary.errors
   io.write(string.format(
      "WRKLIST requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
      "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
      summary.requests, secs, summary.requests / secs,
      latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
      e.connect, e.read, e.write, e.status, e.timeout))
end
