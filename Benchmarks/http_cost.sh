#!/usr/bin/env bash
# The HTTP path's own cost: the gateway's CPU time per request (user + sys of its process, from
# /proc/PID/stat, ÷ the requests wrk counted) next to a bare Hummingbird server's on the same machine.
#
#   Benchmarks/http_cost.sh [--bin PATH] [--floor-bin PATH] [--seconds S] [--rounds R] [--connections C]
#
# Cases (request log at info, metrics on, as the targets are stated):
#   floor GET /health        evalgw-http-floor: Hummingbird, one route, nothing else
#   gateway GET /health      evalgw serve, embedded memory database
#   DELETE 1 missing id      DELETE /eval-runs?db_id=scratch (memory adapter), ids that do not exist
#   DELETE 100 missing ids   the same with 100 ids per request
# Each round runs every case once, in turn, on a fresh server (2 s of warm-up, then S seconds measured),
# so that the machine's drift reaches every case alike; the table gives each case's median and every round.
# Everything listens on 127.0.0.1.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
BIN=$ROOT/.build/release/evalgw
FLOOR=$ROOT/.build/release/evalgw-http-floor
SECONDS_PER_RUN=10
ROUNDS=3
CONNS=16
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) BIN=$2; shift ;;
        --floor-bin) FLOOR=$2; shift ;;
        --seconds) SECONDS_PER_RUN=$2; shift ;;
        --rounds) ROUNDS=$2; shift ;;
        --connections) CONNS=$2; shift ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "http_cost.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done
for tool in wrk curl awk; do command -v "$tool" >/dev/null || { echo "http_cost.sh: '$tool' is missing (apt-get install -y wrk curl gawk)" >&2; exit 1; }; done
[ -x "$BIN" ] || { echo "http_cost.sh: no gateway at $BIN (swift build -c release --product evalgw)" >&2; exit 1; }
[ -x "$FLOOR" ] || { echo "http_cost.sh: no floor server at $FLOOR (swift build -c release --product evalgw-http-floor)" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/evalgw-httpcost.XXXXXX")
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
TICKS=$(getconf CLK_TCK)
PORT=$(( 20000 + RANDOM % 20000 ))
URL="http://127.0.0.1:$PORT"

cat >"$WORK/gateway.yaml" <<YAML
server: { host: 127.0.0.1, port: $PORT }
registry: { adapter: memory }
databases:
  - { id: scratch, adapter: memory }
logging: { level: info }
metrics: { enabled: true }
YAML

start() { # start floor|gateway
    if [ "$1" = floor ]; then "$FLOOR" "$PORT" >/dev/null 2>&1 &
    else "$BIN" serve --config "$WORK/gateway.yaml" >/dev/null 2>"$WORK/gateway.log" & fi
    PID=$!
    for _ in $(seq 1 200); do curl -fsS -o /dev/null "$URL/health" 2>/dev/null && return 0; sleep 0.05; done
    echo "http_cost.sh: the $1 server did not start" >&2; exit 1
}
stop() { kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true; PID=; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }

# measure CASE -> µs of CPU per request
measure() {
    local server=floor args=("$URL/health")
    case "$1" in
        floor) ;;
        health) server=gateway ;;
        delete1|delete100)
            server=gateway
            export BENCH_PATH="/eval-runs?db_id=scratch" BENCH_BATCH=${1#delete} BENCH_PREFIX=m BENCH_SPAN=100000000
            args=(-s "$HERE/wrk/delete.lua" "$URL/") ;;
    esac
    start "$server"
    wrk -t2 -c"$CONNS" -d2s "${args[@]}" >/dev/null 2>&1 || true
    local before after out requests
    before=$(cpu_ticks)
    out=$(wrk -t2 -c"$CONNS" -d"${SECONDS_PER_RUN}s" "${args[@]}" 2>&1) || true
    after=$(cpu_ticks)
    stop
    requests=$(awk '/requests in/{print $1}' <<<"$out")
    [ -n "$requests" ] && [ "$requests" -gt 0 ] || { echo "http_cost.sh: wrk failed for $1: $out" >&2; exit 1; }
    if grep -q 'Non-2xx' <<<"$out"; then echo "http_cost.sh: $1 was answered with errors: $out" >&2; exit 1; fi
    awk -v t=$(( after - before )) -v hz="$TICKS" -v n="$requests" 'BEGIN{printf "%.1f", t * 1e6 / hz / n}'
}

CASES="floor health delete1 delete100"
declare -A ALL
for round in $(seq 1 "$ROUNDS"); do
    for c in $CASES; do
        v=$(measure "$c")
        ALL[$c]="${ALL[$c]:-} $v"
        printf '[http_cost] round %d/%d %-9s %s µs/request\n' "$round" "$ROUNDS" "$c" "$v" >&2
    done
done

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
label() { case "$1" in floor) echo "floor: bare Hummingbird GET /health" ;; health) echo "gateway GET /health" ;;
          delete1) echo "gateway DELETE, 1 missing id (memory)" ;; delete100) echo "gateway DELETE, 100 missing ids (memory)" ;; esac; }
target() { case "$1" in floor) echo "-" ;; health) echo "≤ 25" ;; delete1) echo "≤ 40" ;; delete100) echo "≤ 80" ;; esac; }
echo
echo "## HTTP path cost — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "wrk -t2 -c$CONNS, ${SECONDS_PER_RUN}s per run, $ROUNDS rounds; gateway: request log at info, metrics on."
echo
echo "| case | CPU µs/request (median) | every round | over the floor (median) | target |"
echo "|---|---:|---|---:|---:|"
FLOOR_MEDIAN=$(median "${ALL[floor]}")
for c in $CASES; do
    m=$(median "${ALL[$c]}")
    over=$(awk -v a="$m" -v f="$FLOOR_MEDIAN" -v c="$c" 'BEGIN{ if (c == "floor") print "-"; else printf "+%.1f", a - f }')
    echo "| $(label "$c") | $m | ${ALL[$c]# } | $over | $(target "$c") |"
done
