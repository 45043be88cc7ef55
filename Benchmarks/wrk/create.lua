-- wrk script that seeds a database through the gateway (the in-memory adapter has no other way in):
-- POST /eval-runs with ids PREFIX + zero-padded number; thread t creates [BASE + t*SPAN, BASE + (t+1)*SPAN)
-- and, once done, stops itself. Run with one connection per thread (-tN -cN) and a long -d; run.sh
-- interrupts wrk (SIGINT) as soon as the table holds every row.
--
-- Environment: BENCH_PATH (e.g. /eval-runs?db_id=scratch), BENCH_PREFIX, BENCH_WIDTH, BENCH_BASE,
-- BENCH_SPAN, BENCH_AUTH — as in delete.lua.
local path   = os.getenv("BENCH_PATH") or "/eval-runs"
local prefix = os.getenv("BENCH_PREFIX") or "e"
local width  = tonumber(os.getenv("BENCH_WIDTH") or "9")
local base   = tonumber(os.getenv("BENCH_BASE") or "0")
local span   = tonumber(os.getenv("BENCH_SPAN") or "1000")
local auth   = os.getenv("BENCH_AUTH")

local counter = 0
function setup(thread)
   thread:set("tid", counter)
   counter = counter + 1
end

local headers = { ["Content-Type"] = "application/json" }
if auth and auth ~= "" then headers["Authorization"] = "Bearer " .. auth end
local fmt = '{"id":"' .. prefix .. '%0' .. width .. 'd","eval_type":"accuracy","eval_data":{},"eval_input":{},' ..
            '"agent_id":"bench-agent","model_id":"bench-model","name":"bench"}'

function init(args)
   nextid = base + tid * span
   limit = nextid + span
   probe = (tid == 0)  -- wrk's check call of request() on thread 0 is never sent: use no id for it
end

function request()
   if probe then
      probe = false
      return wrk.format("GET", "/health")
   end
   if nextid >= limit then
      wrk.thread:stop()
      return wrk.format("GET", "/health")
   end
   local body = string.format(fmt, nextid)
   nextid = nextid + 1
   return wrk.format("POST", path, headers, body)
end

function done(summary, latency, requests)
   io.write(string.format("WRKSEED requests=%d seconds=%.3f rps=%.1f err_status=%d\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), summary.errors.status))
end
