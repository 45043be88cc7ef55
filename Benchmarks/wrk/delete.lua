-- wrk script: DELETE /eval-runs with B ids per request, every id sent once.
--
-- Run with one connection per thread (wrk -tN -cN), so that each thread's requests are strictly
-- sequential and the ids of a request whose answer wrk never read (in flight when the run stopped,
-- or lost on a reconnect) are known exactly.
--
-- Environment:
--   BENCH_PATH       request path, e.g. /eval-runs?db_id=local           (required)
--   BENCH_BATCH      ids per request (B)                                  (default 100)
--   BENCH_PREFIX     id prefix: "e" = seeded rows; anything else = misses (default e)
--   BENCH_WIDTH      digits after the prefix, zero-padded                 (default 9)
--   BENCH_BASE       first id number of thread 0                          (default 0)
--   BENCH_SPAN       id numbers reserved per thread: thread t owns [BASE + t*SPAN, BASE + (t+1)*SPAN)
--   BENCH_AUTH       optional bearer token
--   BENCH_STOP_WHEN_DONE 1 = a thread that has sent its whole range stops instead of sending misses
--                    (fixed work if every thread gets there before -d); rates are then over the
--                    threads' active time (first request to last answer, CLOCK_MONOTONIC through
--                    LuaJIT's ffi) rather than wrk's -d, and done() reports finished=<threads>.
--   BENCH_ASSUME_FULL 1 = a 204 without X-Deleted-Count counts as B deletions (B=0 for misses);
--                    for servers that do not report a count (Agno). The database check decides.
--
-- Each thread sums X-Deleted-Count over its 204 answers. done() prints one machine-readable line
-- starting with "WRKBENCH " (totals, latency percentiles, per-thread sent ranges and the ranges of
-- unanswered requests) for Benchmarks/run.sh to verify against the database.

local path   = os.getenv("BENCH_PATH") or "/eval-runs"
local batch  = tonumber(os.getenv("BENCH_BATCH") or "100")
local prefix = os.getenv("BENCH_PREFIX") or "e"
local width  = tonumber(os.getenv("BENCH_WIDTH") or "9")
local base   = tonumber(os.getenv("BENCH_BASE") or "0")
local span   = tonumber(os.getenv("BENCH_SPAN") or "1000000")
local auth   = os.getenv("BENCH_AUTH")
local assume = os.getenv("BENCH_ASSUME_FULL") == "1"
local stopwhendone = os.getenv("BENCH_STOP_WHEN_DONE") == "1"

local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk, bench_timespec *ts);
]]
local tsbuf = ffi.new("bench_timespec")
local function now()
   ffi.C.clock_gettime(1, tsbuf)  -- CLOCK_MONOTONIC
   return tonumber(tsbuf.tv_sec) + tonumber(tsbuf.tv_nsec) / 1e9
end

-- setup/done environment ---------------------------------------------------------------------
local threads = {}
local counter = 0

function setup(thread)
   thread:set("tid", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

-- running environment (one per thread) ---------------------------------------------------------
local headers = { ["Content-Type"] = "application/json" }
if auth and auth ~= "" then headers["Authorization"] = "Bearer " .. auth end

function init(args)
   first     = base + tid * span   -- first id number of this thread
   limit     = first + span        -- one past its last
   nextid    = first
   sent      = 0                   -- requests generated
   answered  = 0                   -- responses read
   acked     = 0                   -- sum of X-Deleted-Count
   full      = 0                   -- 204s whose count == B
   short     = 0                   -- 204s whose count ~= B
   badstatus = 0                   -- non-204 answers
   exhausted = 0                   -- requests sent after the thread's range ran out (misses)
   lost      = ""                  -- "lo-hi;" ranges of requests never answered (hi exclusive)
   inflight_lo, inflight_hi = -1, -1
   -- wrk calls request() once on thread 0 before the run to check the script; that request is
   -- never sent, so it must not use up ids.
   probe     = (tid == 0)
   stopping  = false
   t_first   = -1                  -- CLOCK_MONOTONIC of the first request, of the last answer
   t_last    = -1
end

local function body_for(lo, n, pfx)
   local parts = {}
   local fmt = pfx .. "%0" .. width .. "d"
   for k = 0, n - 1 do parts[k + 1] = string.format(fmt, lo + k) end
   return '{"eval_run_ids":["' .. table.concat(parts, '","') .. '"]}'
end

function request()
   if probe then
      probe = false
      return wrk.format("DELETE", path, headers, '{"eval_run_ids":["wrk-probe-never-sent"]}')
   end
   if stopping then return wrk.format("GET", "/health") end
   -- With one connection per thread a new request while one is unanswered means the old one was
   -- lost (reconnect): remember its ids, the server may or may not have deleted them.
   if sent > answered then
      lost = lost .. inflight_lo .. "-" .. inflight_hi .. ";"
      answered = answered + 1  -- account for it as "settled without an answer"
      lostcount = (lostcount or 0) + 1
   end
   local body
   if t_first < 0 then t_first = now() end
   if stopwhendone and nextid + batch > limit then
      stopping = true
      wrk.thread:stop()
      return wrk.format("GET", "/health")
   end
   if nextid + batch <= limit then
      inflight_lo, inflight_hi = nextid, nextid + batch
      body = body_for(nextid, batch, prefix)
      nextid = nextid + batch
   else
      -- Range used up (seed too small for the run): send ids that exist nowhere, and say so.
      exhausted = exhausted + 1
      inflight_lo, inflight_hi = -1, -1
      body = body_for(exhausted * batch, batch, "exhausted-" .. tid .. "-")
   end
   sent = sent + 1
   return wrk.format("DELETE", path, headers, body)
end

function response(status, hdrs, body)
   if stopping then return end
   t_last = now()
   answered = answered + 1
   if status == 204 or status == 200 then
      local n = hdrs["X-Deleted-Count"] or hdrs["x-deleted-count"]
      if n == nil then
         for k, v in pairs(hdrs) do
            if string.lower(k) == "x-deleted-count" then n = v end
         end
      end
      if n == nil and assume then n = (prefix == "e") and batch or 0 end
      n = tonumber(n) or 0
      acked = acked + n
      if n == batch then full = full + 1 else short = short + 1 end
   else
      badstatus = badstatus + 1
   end
end

-- done (setup environment) ---------------------------------------------------------------------
function done(summary, latency, requests)
   local acked_t, full_t, short_t, bad_t, exh_t, sent_t, ans_t = 0, 0, 0, 0, 0, 0, 0
   local ranges, lostranges = {}, {}
   local tmin, tmax = math.huge, 0
   local finished = 0
   for _, t in ipairs(threads) do
      if t:get("stopping") then finished = finished + 1 end
      local f, l = t:get("t_first"), t:get("t_last")
      if f >= 0 and f < tmin then tmin = f end
      if l > tmax then tmax = l end
      acked_t = acked_t + t:get("acked")
      full_t  = full_t + t:get("full")
      short_t = short_t + t:get("short")
      bad_t   = bad_t + t:get("badstatus")
      exh_t   = exh_t + t:get("exhausted")
      sent_t  = sent_t + t:get("sent")
      ans_t   = ans_t + t:get("answered")
      table.insert(ranges, t:get("first") .. "-" .. t:get("nextid"))
      local l = t:get("lost")
      -- The last request of a thread is unanswered if sent > answered.
      if t:get("sent") > t:get("answered") and t:get("inflight_lo") >= 0 then
         l = l .. t:get("inflight_lo") .. "-" .. t:get("inflight_hi") .. ";"
      end
      if l ~= "" then table.insert(lostranges, l) end
   end
   local secs = summary.duration / 1e6
   local nreq = summary.requests
   if stopwhendone then
      -- Fixed work: the rate is over the time the threads were working, not wrk's -d.
      secs = (tmax > tmin) and (tmax - tmin) or secs
      nreq = ans_t
   end
   local e = summary.errors
   io.write(string.format(
      "WRKBENCH requests=%d seconds=%.3f rps=%.1f acked=%d ids_per_s=%.1f full=%d short=%d badstatus=%d " ..
      "exhausted=%d sent=%d answered=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
      "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d batch=%d prefix=%s finished=%d " ..
      "ranges=%s lost=%s\n",
      nreq, secs, nreq / secs, acked_t, acked_t / secs, full_t, short_t, bad_t,
      exh_t, sent_t, ans_t,
      latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
      e.connect, e.read, e.write, e.status, e.timeout, batch, prefix, finished,
      table.concat(ranges, ","), (#lostranges > 0) and table.concat(lostranges, "") or "none"))
end
