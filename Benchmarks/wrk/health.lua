-- wrk script for the HTTP ceiling: plain GET of the URL given to wrk (e.g. /health). It defines no
-- request()/response(), so wrk sends a static request and skips parsing; done() prints the same
-- machine-readable line as delete.lua ("WRKBENCH ...").
function done(summary, latency, requests)
   local secs = summary.duration / 1e6
   local e = summary.errors
   io.write(string.format(
      "WRKBENCH requests=%d seconds=%.3f rps=%.1f acked=0 ids_per_s=0 p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f " ..
      "max_ms=%.3f err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
      summary.requests, secs, summary.requests / secs,
      latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
      e.connect, e.read, e.write, e.status, e.timeout))
end
