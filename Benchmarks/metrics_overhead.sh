#!/usr/bin/env bash
# The cost of metrics: requests/s of 1-id deletes on the in-memory adapter, metrics on vs off, in one run.
#
#   Benchmarks/metrics_overhead.sh [ROUNDS] [SECONDS]      (defaults: 3 rounds of 10 s each, alternating)
#
# Builds evalgw in release mode, serves an in-memory database twice (metrics.enabled true / false), and
# drives each with wrk (16 connections, Benchmarks/wrk/delete.lua with B=1). The ids are misses, so every
# request runs the full path — decode, resolve, the store's lock, metrics — and the table stays the same
# between rounds. Prints requests/s per round and the ratio off/on. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-10}
command -v wrk >/dev/null || { echo "metrics_overhead.sh: missing wrk — install it with: apt-get install -y wrk" >&2; exit 1; }
swift build -c release --product evalgw >/dev/null
BIN=$(swift build -c release --show-bin-path)/evalgw
WORK=$(mktemp -d /tmp/evalgw-metrics-overhead.XXXXXX)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

serve() { # $1 = true|false, $2 = port
    cat > "$WORK/gw-$1.yaml" <<YAML
server: { host: 127.0.0.1, port: $2 }
databases: [ { id: scratch, adapter: memory } ]
logging: { level: warning }
metrics: { enabled: $1 }
YAML
    "$BIN" serve --config "$WORK/gw-$1.yaml" >"$WORK/gw-$1.log" 2>&1 &
    PID=$!
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$2/health" >/dev/null && return; sleep 0.1; done
    echo "gateway did not start" >&2; exit 1
}

run() { # $1 = true|false → prints requests/s
    local port=$((17100 + RANDOM % 500))
    serve "$1" "$port"
    BENCH_PATH="/eval-runs?db_id=scratch" BENCH_BATCH=1 BENCH_PREFIX=miss BENCH_SPAN=100000000 \
        wrk -t16 -c16 -d"${SECONDS_PER_RUN}s" -s Benchmarks/wrk/delete.lua "http://127.0.0.1:$port" >"$WORK/wrk.out" 2>&1
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
    awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out"
}

on_total=0; off_total=0
printf "%-6s %14s %14s\n" round "metrics on" "metrics off"
for round in $(seq "$ROUNDS"); do
    on=$(run true); off=$(run false)
    printf "%-6s %14s %14s\n" "$round" "$on" "$off"
    on_total=$(echo "$on_total + $on" | bc -l); off_total=$(echo "$off_total + $off" | bc -l)
done
echo "mean requests/s: on $(echo "$on_total / $ROUNDS" | bc -l | xargs printf '%.0f'), off $(echo "$off_total / $ROUNDS" | bc -l | xargs printf '%.0f')"
echo "overhead: $(echo "(1 - $on_total / $off_total) * 100" | bc -l | xargs printf '%.1f') % (target ≤ 5 %)"
