#!/usr/bin/env bash
# EvalGateway benchmark suite: the gateway next to its backends' own limits. See Benchmarks/README.md.
#
#   Benchmarks/run.sh [--smoke|--quick|--full] [--postgres-url URL | --postgres-local] [--with-agno]
#                     [--bin PATH] [--duration S] [--seed N] [--connections C] [--out FILE] [--keep]
#                     [--only sqlite,health,memory,scaling,postgres,agno] [--no-keep-awake] [--repeat R]
#                     [--list-rate N]
#
# Everything runs on 127.0.0.1, in a temporary directory that is removed on exit. Every load run is
# verified against the database afterwards (VERIFIED / MISMATCH); the exit status is non-zero if any
# run did not verify.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")

MODE=quick
PG_URL=${EVALGW_BENCH_POSTGRES_URL:-}
PG_LOCAL=0
WITH_AGNO=${EVALGW_BENCH_AGNO:-0}
BIN=${EVALGW_BIN:-}
DURATION=
SEED=
CONNS=16
OUT=
KEEP=0
ONLY=all
REPEAT=
KEEP_AWAKE=${EVALGW_BENCH_KEEP_AWAKE:-1}
LIST_RATE=50

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) MODE=smoke ;;
        --quick) MODE=quick ;;
        --full) MODE=full ;;
        --postgres-url) PG_URL=$2; shift ;;
        --postgres-url=*) PG_URL=${1#*=} ;;
        --postgres-local) PG_LOCAL=1 ;;
        --with-agno) WITH_AGNO=1 ;;
        --bin) BIN=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --seed) SEED=$2; shift ;;
        --connections) CONNS=$2; shift ;;
        --out) OUT=$2; shift ;;
        --keep) KEEP=1 ;;
        --no-keep-awake) KEEP_AWAKE=0 ;;
        --only) ONLY=$2; shift ;;
        --repeat) REPEAT=$2; shift ;;
        --list-rate) LIST_RATE=$2; shift ;;
        -h|--help) usage 0 ;;
        *) echo "run.sh: unknown argument '$1'" >&2; usage 2 ;;
    esac
    shift
done

# ---------------------------------------------------------------------------------------------
# Mode parameters. The seed of each SQLite run is a fresh copy of one template file; it must hold
# more ids than the fastest run can delete in DUR seconds (a wrk thread that runs out of ids stops,
# and the check column says so). See README "Sizing the seed".
# READ_DUR: seconds of each phase of the read-while-writing check (the list alone, then beside a
# delete load); --smoke runs that check at B=100 only.
case "$MODE" in
    smoke) DUR=${DURATION:-1}; NSEED=${SEED:-200000};  MEM_SPAN=500;   SCALES="10000";
           BATCHES="1 100 1000"; AGNO_BATCHES="1 100"; READ_DUR=1 ;;
    quick) DUR=${DURATION:-5}; NSEED=${SEED:-1500000}; MEM_SPAN=10000; SCALES="10000 100000 1000000";
           BATCHES="1 100 1000"; AGNO_BATCHES="1 100"; READ_DUR=3 ;;
    full)  DUR=${DURATION:-15}; NSEED=${SEED:-3000000}; MEM_SPAN=25000; SCALES="10000 100000 1000000";
           BATCHES="1 100 1000"; AGNO_BATCHES="1 100 1000 miss"; READ_DUR=5 ;;
esac
REPEAT=${REPEAT:-$([ "$MODE" = full ] && echo 3 || echo 1)}
REPEAT_NOTE=$([ "$REPEAT" -gt 1 ] && echo x || true)
[ "$NSEED" -ge "$CONNS" ] || { echo "run.sh: --seed must be at least --connections" >&2; exit 2; }
SPAN=$(( NSEED / CONNS ))   # ids per wrk thread (one connection each)
MISS_IDS=100000000          # id space of the miss runs (m000000000…): they need no seeded rows
WIDTH=9

part() { [ "$ONLY" = all ] || [[ ",$ONLY," == *",$1,"* ]]; }
log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { echo "run.sh: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# Tools. The script installs nothing (.ci/run and the README do): it names the Debian packages that
# are missing and stops.
MISSING=""
need() { # need COMMAND PACKAGE: note PACKAGE as missing unless COMMAND is on the PATH
    command -v "$1" >/dev/null 2>&1 || MISSING="$MISSING $2"
}
need_file() { # need_file PATH PACKAGE
    [ -e "$1" ] || MISSING="$MISSING $2"
}
require_needed() { # stop when anything noted by need/need_file is missing
    [ -z "$MISSING" ] || die "missing Debian packages:$MISSING — install them with: apt-get install -y$MISSING"
}
need wrk wrk
need sqlite3 sqlite3
need curl curl
need cc gcc
need awk gawk
need_file /usr/include/sqlite3.h libsqlite3-dev
need getconf libc-bin
require_needed
CLK_TCK=$(getconf CLK_TCK)

BUSY_SEEN=0
if pgrep -f swift-build >/dev/null 2>&1; then
    BUSY_SEEN=1
    log "WARNING: a swift build is running on this machine; figures will be noisy (2 cores shared)"
fi

# ---------------------------------------------------------------------------------------------
# Workspace and cleanup.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/evalgw-bench.XXXXXX")
GW_PID=
BG_PID=
PG_STARTED=
AGNO_PID=
SPIN_PIDS=""
cleanup() {
    local rc=$?
    local p
    for p in $SPIN_PIDS; do kill "$p" 2>/dev/null; done
    [ -n "$BG_PID" ] && kill "$BG_PID" 2>/dev/null && wait "$BG_PID" 2>/dev/null
    [ -n "$GW_PID" ] && kill -TERM "$GW_PID" 2>/dev/null && wait "$GW_PID" 2>/dev/null
    [ -n "$AGNO_PID" ] && kill -TERM "$AGNO_PID" 2>/dev/null && wait "$AGNO_PID" 2>/dev/null
    if [ -n "$PG_STARTED" ]; then
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1 || true
    fi
    if [ "$KEEP" = 1 ]; then echo "run.sh: kept $WORK" >&2; else rm -rf "$WORK"; fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    local p
    for p in $(seq 18070 18170) $(shuf -i 20000-60000 -n 50); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
    die "no free port on 127.0.0.1"
}
PORT=$(free_port)
BASE_URL="http://127.0.0.1:$PORT"

# ---------------------------------------------------------------------------------------------
# The gateway binary.
if [ -z "$BIN" ]; then
    for candidate in "$ROOT/.build-bench/release/evalgw" "$ROOT/.build/release/evalgw"; do
        [ -x "$candidate" ] && { BIN=$candidate; break; }
    done
    if [ -z "$BIN" ] && [ "$MODE" = smoke ] && [ -x "$ROOT/.build/debug/evalgw" ]; then
        BIN="$ROOT/.build/debug/evalgw"
    fi
    if [ -z "$BIN" ]; then
        log "building evalgw (release, scratch path .build-bench)"
        (cd "$ROOT" && swift build -c release --scratch-path .build-bench --product evalgw >&2)
        BIN="$ROOT/.build-bench/release/evalgw"
    fi
fi
[ -x "$BIN" ] || die "gateway binary '$BIN' not found"

# Keep-awake: one SCHED_IDLE busy loop per core for the whole run. They only get a CPU nothing else
# wants, so they take no time from the servers, wrk or the C loop; what they change is that a vCPU
# never sits idle, and on these VMs an fsync issued from an otherwise idle machine waits ~4 ms
# longer (see README "Noise"). Both the limits and the gateway run with them. --no-keep-awake: off.
if [ "$KEEP_AWAKE" = 1 ]; then
    if command -v chrt >/dev/null 2>&1; then
        for _ in $(seq 1 "$(nproc)"); do
            chrt -i 0 timeout 3600 sh -c 'while :; do :; done' &
            SPIN_PIDS="$SPIN_PIDS $!"
        done
    else
        log "keep-awake: chrt not found (util-linux); running without"
        KEEP_AWAKE=0
    fi
fi

log "mode=$MODE duration=${DUR}s seed=$NSEED rows connections=$CONNS binary=$BIN port=$PORT work=$WORK"

# ---------------------------------------------------------------------------------------------
# Helpers.
kv() { # kv LINE KEY  -> value of KEY=value in LINE
    awk -v k="$2" '{for(i=1;i<=NF;i++){n=index($i,"="); if(substr($i,1,n-1)==k){print substr($i,n+1); exit}}}' <<<"$1"
}
id_of() { printf "e%0${WIDTH}d" "$1"; }

write_config() { # write_config FILE SQLITE_PATH [postgres]
    {
        echo "server: { host: 127.0.0.1, port: $PORT }"
        echo "databases:"
        echo "  - { id: local, adapter: sqlite, path: '$2', tables: [agno_eval_runs] }"
        echo "  - { id: scratch, adapter: memory }"
        if [ "${3:-}" = postgres ]; then
            echo "  - { id: pg, adapter: postgres, url: '$PG_URL', schema: ai, max_connections: $CONNS, tables: [agno_eval_runs] }"
        fi
        echo "auth: { tokens: [] }"
        echo "limits: { max_ids_per_request: 1000000, max_body_bytes: 67108864 }"
        echo "logging: { level: warning }"
    } >"$1"
}

start_gateway() { # start_gateway CONFIG LOG
    "$BIN" serve --config "$1" --host 127.0.0.1 --port "$PORT" >"$2" 2>&1 &
    GW_PID=$!
    local i
    for i in $(seq 1 600); do
        if curl -fsS -o /dev/null "$BASE_URL/health" 2>/dev/null; then return 0; fi
        if ! kill -0 "$GW_PID" 2>/dev/null; then wait "$GW_PID" 2>/dev/null || true; GW_PID=; return 1; fi
        sleep 0.05
    done
    return 1
}
stop_gateway() {
    if [ -n "$GW_PID" ]; then
        kill -TERM "$GW_PID" 2>/dev/null || true
        wait "$GW_PID" 2>/dev/null || true
        GW_PID=
    fi
}
# warm_up BASE DBID : one list and one (miss) delete before measuring, so that lazy start-up work
# (connections, statement preparation, Agno's table reflection) is not in the figures.
warm_up() {
    curl -s -o /dev/null "$1/eval-runs?db_id=$2&limit=1" || true
    curl -s -o /dev/null -X DELETE -H 'Content-Type: application/json' \
        --data '{"eval_run_ids":["warm-up-id-that-does-not-exist"]}' "$1/eval-runs?db_id=$2" || true
}
proc_kib() { awk -v k="$2:" '$1==k{print $2}' "/proc/$1/status"; }  # proc_kib PID VmHWM
# cpu_ticks PID -> user + sys CPU time of the process so far (all its threads), in clock ticks
# (fields 14 and 15 of /proc/PID/stat, counted after the command name, which may hold spaces)
cpu_ticks() { if [ -r "/proc/${1:-0}/stat" ]; then sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; else echo 0; fi; }
# cpu_us TICKS REQUESTS -> CPU µs per request; "~" in front when the run used less than one CPU
# second (100 ticks): each tick is 1/CLK_TCK s, so the figure is only as good as ±1 tick
cpu_us() { awk -v t="$1" -v n="$2" -v hz="$CLK_TCK" 'BEGIN{ if (n+0 <= 0) { print "-"; exit }
    printf "%s%.0f", (t < hz ? "~" : ""), t / hz / n * 1e6 }'; }
cpu_s() { awk -v t="$1" -v hz="$CLK_TCK" 'BEGIN{ printf "%.2f", t / hz }'; }  # cpu_s TICKS -> seconds
mib() { awk -v k="$1" 'BEGIN{printf "%.1f", k/1024}'; }

# Results: one tab-separated line per row, printed as a table at the end.
RESULTS="$WORK/results.tsv"
: >"$RESULTS"
FAILURES=0
add_row() { # group name B rps ids_per_s p50 p99 rss_mib ratio verify [gw_cpu_us list_p99_busy_idle]
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$9" "${10}" \
        "${11:--}" "${12:--}" >>"$RESULTS"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b+0 > 0) printf "%.2f", a/b; else print "-" }'; }
fmt0() { awk -v a="$1" 'BEGIN{printf "%.0f", a}'; }

# ---------------------------------------------------------------------------------------------
# SQLite template: the gateway creates Agno's schema, sqlite3 fills it.
seed_sqlite_template() {
    local file="$WORK/template.sqlite"
    write_config "$WORK/seed.yaml" "$file"
    start_gateway "$WORK/seed.yaml" "$WORK/seed.log" || { cat "$WORK/seed.log" >&2; die "gateway did not start"; }
    stop_gateway
    log "seeding $NSEED rows into $file"
    sqlite3 "$file" >/dev/null <<SQL
PRAGMA synchronous=OFF;
BEGIN;
WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < $NSEED - 1)
INSERT INTO agno_eval_runs (run_id, eval_type, eval_data, eval_input, name, agent_id, model_id, model_provider,
                            evaluated_component_name, user_id, created_at, updated_at)
SELECT printf('e%0${WIDTH}d', n), 'accuracy', '{"avg_score":8.5,"mean_score":8.5,"results":[{"score":8.5}]}',
       '{"input":"What is 2+2?","expected_output":"4"}', 'bench run', 'agent-' || (n % 16), 'gpt-4o', 'openai',
       'bench-agent', NULL, 1700000000 + n, 1700000000 + n
FROM c;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
    [ "$(sqlite3 "$file" 'SELECT count(*) FROM agno_eval_runs')" = "$NSEED" ] || die "seeding failed"
}
fresh_copy() { rm -f "$1" "$1-wal" "$1-shm"; cp "$WORK/template.sqlite" "$1"; }
sqlite_count() { sqlite3 "$1" 'SELECT count(*) FROM agno_eval_runs'; }

# present_sql RANGES -> SQL expression counting the seeded rows whose number lies in the ranges
# ("lo-hi" items, hi exclusive, separated by , or ;)
present_sql() {
    local expr="0" r lo hi
    for r in $(tr ',;' '  ' <<<"$1"); do
        lo=${r%-*}; hi=${r#*-}
        [ "$lo" -lt "$hi" ] 2>/dev/null || continue
        expr="$expr + (SELECT count(*) FROM agno_eval_runs WHERE run_id >= '$(id_of "$lo")' AND run_id < '$(id_of "$hi")')"
    done
    echo "$expr"
}
range_ids() { # total ids in RANGES
    local n=0 r
    for r in $(tr ',;' '  ' <<<"$1"); do n=$(( n + ${r#*-} - ${r%-*} )); done
    echo $n
}

# verify_counts BEFORE AFTER LINE PRESENT_SENT PRESENT_LOST -> prints verdict, returns 0 if verified
verify_counts() {
    local before=$1 after=$2 line=$3 present_sent=$4 present_lost=$5
    local acked short bad exh prefix lost lost_ids unread dropped
    acked=$(kv "$line" acked); short=$(kv "$line" short); bad=$(kv "$line" badstatus)
    exh=$(kv "$line" exhausted); prefix=$(kv "$line" prefix); lost=$(kv "$line" lost)
    [ "$lost" = none ] && lost=""
    dropped=$(( before - after ))
    if [ "$prefix" != e ]; then
        if [ "$dropped" -eq 0 ] && [ "$acked" -eq 0 ] && [ "$bad" -eq 0 ]; then
            echo "VERIFIED (miss: rows $before -> $after, acknowledged 0)"; return 0
        fi
        echo "MISMATCH (miss: rows $before -> $after, acknowledged $acked, bad status $bad)"; return 1
    fi
    lost_ids=$(range_ids "$lost")
    unread=$(( lost_ids - present_lost ))
    local note=""
    [ "$unread" -gt 0 ] && note=" + $unread deleted by requests still in flight when wrk stopped"
    local fin
    fin=$(kv "$line" finished)
    [ "${fin:-0}" -gt 0 ] && note="$note; $fin of $CONNS threads used up their ids before the end (rate over active time)"
    if [ "$exh" -gt 0 ]; then
        echo "EXHAUSTED ($exh requests ran out of seeded ids: raise --seed or lower --duration)"; return 1
    fi
    if [ "$dropped" -eq $(( acked + unread )) ] && [ "$present_sent" -eq "$present_lost" ] && [ "$short" -eq 0 ] && [ "$bad" -eq 0 ]; then
        echo "VERIFIED (rows $before -> $after: dropped $dropped = acknowledged $acked$note)"; return 0
    fi
    echo "MISMATCH (rows $before -> $after: dropped $dropped, acknowledged $acked, unread $unread, acknowledged ids still present $(( present_sent - present_lost )), short $short, bad status $bad)"
    return 1
}

# run_wrk_delete NAME DBID B PREFIX SPAN DUR -> WRKBENCH line on stdout, full output in $WORK/NAME.wrk;
# the line starts with cpu_ticks=<the gateway's user + sys ticks during the wrk run>
run_wrk_delete() {
    local name=$1 db=$2 b=$3 prefix=$4 span=$5 dur=$6 t0 line
    t0=$(cpu_ticks "$GW_PID")
    BENCH_PATH="/eval-runs?db_id=$db" BENCH_BATCH=$b BENCH_PREFIX=$prefix BENCH_WIDTH=$WIDTH BENCH_BASE=0 \
    BENCH_SPAN=$span BENCH_STOP_WHEN_DONE=1 wrk -t"$CONNS" -c"$CONNS" -d"${dur}s" --timeout 30s -s "$HERE/wrk/delete.lua" "$BASE_URL/" \
        >"$WORK/$name.wrk" 2>&1 || true
    line=$(grep '^WRKBENCH ' "$WORK/$name.wrk") || { cat "$WORK/$name.wrk" >&2; die "wrk failed ($name)"; }
    echo "WRKBENCH cpu_ticks=$(( $(cpu_ticks "$GW_PID") - t0 )) ${line#WRKBENCH }"
}
gw_cpu() { cpu_us "$(kv "$1" cpu_ticks)" "$(kv "$1" requests)"; }  # gw_cpu WRKBENCH_LINE -> µs/request

# ---------------------------------------------------------------------------------------------
# Read while writing: a paced reader (wrk/list.lua, one connection, LIST_RATE requests/s) lists the
# first 20 runs of the database alone for READ_DUR s (idle), then again beside a delete load of B ids
# per request on 16 connections (busy). It runs on a gateway of its own (fresh data, fresh process)
# after the measured run of the row, because a list is not free — its COUNT(*) over a table of 1.5M
# rows costs the gateway ~8 ms of CPU — and in the measured run it would take CPU from the deletes.
# run_list NAME DBID SECONDS -> WRKLIST line
run_list() {
    BENCH_RATE=$LIST_RATE wrk -t1 -c1 -d"$3s" --timeout 30s -s "$HERE/wrk/list.lua" "$BASE_URL/eval-runs?db_id=$2&limit=20" \
        >"$WORK/$1.wrk" 2>&1 || true
    grep '^WRKLIST ' "$WORK/$1.wrk" || { cat "$WORK/$1.wrk" >&2; die "wrk failed ($1)"; }
}
# read_while_writing NAME DBID B PREFIX SPAN -> sets RW_IDLE RW_BUSY (WRKLIST lines), RW_DEL (WRKBENCH)
read_while_writing() {
    local name=$1 db=$2 b=$3 prefix=$4 span=$5
    run_list "$name-warm" "$db" 1 >/dev/null   # the first lists after a start are slower
    RW_IDLE=$(run_list "$name-idle" "$db" "$READ_DUR")
    run_wrk_delete "$name-delete" "$db" "$b" "$prefix" "$span" $(( READ_DUR + 1 )) >"$WORK/$name-delete.line" &
    BG_PID=$!
    sleep 0.5
    RW_BUSY=$(run_list "$name-busy" "$db" "$READ_DUR")
    wait "$BG_PID" || true; BG_PID=
    RW_DEL=$(cat "$WORK/$name-delete.line")
    [ -n "$RW_DEL" ] || die "wrk failed ($name-delete)"
}
# rw_summary LABEL DELETE_VERDICT -> sets RW_CELL (the table's cell), counts a failed reader or delete,
# and writes a note with the details
rw_summary() {
    local label=$1 verdict=$2 idle busy errs
    idle=$(kv "$RW_IDLE" p99_ms); busy=$(kv "$RW_BUSY" p99_ms)
    RW_CELL=$(awk -v b="$busy" -v i="$idle" 'BEGIN{ printf "%.1f/%.1f (%s)", b, i, (i > 0 ? sprintf("%.1f×", b/i) : "-") }')
    errs=0
    for line in "$RW_IDLE" "$RW_BUSY"; do
        errs=$(( errs + $(kv "$line" err_status) + $(kv "$line" err_connect) + $(kv "$line" err_read) + $(kv "$line" err_write) + $(kv "$line" err_timeout) ))
    done
    if [ "$errs" -gt 0 ]; then FAILURES=$((FAILURES + 1)); RW_CELL="$RW_CELL LIST ERRORS: $errs"; fi
    echo "Read while writing, $label: list p99 $busy ms busy / $idle ms idle (p50 $(kv "$RW_BUSY" p50_ms) / $(kv "$RW_IDLE" p50_ms) ms; $(kv "$RW_BUSY" requests) / $(kv "$RW_IDLE" requests) lists, $errs errors) beside $(kv "$RW_DEL" rps) delete requests/s; the delete load: $verdict" >>"$WORK/notes.txt"
    log "  read while writing: list p99 busy/idle $RW_CELL; delete load $(sed 's/ ranges=.*//' <<<"$RW_DEL")"
}

# ---------------------------------------------------------------------------------------------
# The C loop (SQLite's own limit).
LOOP="$WORK/sqlite_delete_loop"
cc -O2 -o "$LOOP" "$HERE/limits/sqlite_delete_loop.c" -lsqlite3

sqlite_limit() { # sqlite_limit B PREFIX [--audit] -> LIMIT line
    local f="$WORK/limit.sqlite" count=$NSEED
    [ "$2" = e ] || count=$MISS_IDS   # misses need no seeded rows: never run out
    fresh_copy "$f"
    "$LOOP" "$f" --batch "$1" --seconds "$DUR" --prefix "$2" --width "$WIDTH" --count "$count" ${3:-} \
        || { echo "LIMIT verify=MISMATCH"; return 0; }
}
limit_ids() { # limit_ids LIMIT_LINE PREFIX B -> ids/s (misses: ids probed/s)
    if [ "$2" = e ]; then kv "$1" ids_per_s; else awk -v t="$(kv "$1" tx_per_s)" -v b="$3" 'BEGIN{printf "%.1f", t*b}'; fi
}
# same_work_check AUDIT_LIMIT_LINE PLAIN_IDS AUDIT_IDS -> check text of a same-work limit row
same_work_check() {
    echo "$(kv "$1" verify) ($(kv "$1" audit_rows) audit records = transactions; $(ratio "$3" "$2")× the DELETE alone)"
}

# One gateway-on-SQLite run: fresh copy, fresh gateway, wrk, verify, peak RSS.
sqlite_gateway_run() { # NAME B PREFIX -> sets R_LINE R_VERDICT R_RSS
    local name=$1 b=$2 prefix=$3 f="$WORK/gw.sqlite"
    fresh_copy "$f"
    write_config "$WORK/gw.yaml" "$f"
    start_gateway "$WORK/gw.yaml" "$WORK/$name.log" || { cat "$WORK/$name.log" >&2; die "gateway did not start"; }
    warm_up "$BASE_URL" local
    local span=$SPAN
    [ "$prefix" = e ] || span=$(( MISS_IDS / CONNS ))
    R_LINE=$(run_wrk_delete "$name" local "$b" "$prefix" "$span" "$DUR")
    R_RSS=$(mib "$(proc_kib "$GW_PID" VmHWM)")
    stop_gateway
    if R_VERDICT=$(verify_sqlite "$f" "$R_LINE"); then :; else FAILURES=$((FAILURES + 1)); fi
}
verify_sqlite() { # verify_sqlite FILE WRKBENCH_LINE -> verdict; fails if not verified
    local after ps pl
    after=$(sqlite_count "$1")
    ps=$(sqlite3 "$1" "SELECT $(present_sql "$(kv "$2" ranges)")")
    pl=$(sqlite3 "$1" "SELECT $(present_sql "$(kv "$2" lost | sed 's/^none$//')")")
    verify_counts "$NSEED" "$after" "$2" "$ps" "$pl"
}

# The read-while-writing run of one SQLite row (see read_while_writing): sets RW_CELL.
sqlite_read_run() { # NAME B PREFIX LABEL
    local name=$1 b=$2 prefix=$3 f="$WORK/gw.sqlite" span=$SPAN v
    [ "$prefix" = e ] || span=$(( MISS_IDS / CONNS ))
    log "SQLite $4: read while writing — list at ${LIST_RATE}/s alone (${READ_DUR}s), then beside the delete load"
    fresh_copy "$f"
    write_config "$WORK/gw.yaml" "$f"
    start_gateway "$WORK/gw.yaml" "$WORK/$name.log" || { cat "$WORK/$name.log" >&2; die "gateway did not start"; }
    warm_up "$BASE_URL" local
    read_while_writing "$name" local "$b" "$prefix" "$span"
    stop_gateway
    if v=$(verify_sqlite "$f" "$RW_DEL"); then :; else FAILURES=$((FAILURES + 1)); fi
    rw_summary "SQLite $4" "$v"
}

# ---------------------------------------------------------------------------------------------
# SQLite: gateway vs C loop for each B, and the miss variant. Two limits: the DELETE alone (what the
# targets are stated against) and the gateway's whole work (the DELETE and its audit record in one
# transaction, sqlite_delete_loop --audit).
seed_sqlite_template
sqlite3 "$WORK/template.sqlite" "SELECT 1 FROM evalgw_audit LIMIT 1" >/dev/null 2>&1 \
    || die "the gateway did not create the evalgw_audit table in the template"

declare -A GW_IDS LIM_IDS
if part sqlite; then
for b in $BATCHES miss; do
    if [ "$b" = miss ]; then B=100; P=m; label="miss B=100"; else B=$b; P=e; label="B=$b"; fi
    # REPEAT triples (C loop, C loop with the audit record, then gateway, back to back); the one with
    # the median ratio (gateway to the DELETE alone) is reported.
    : >"$WORK/pairs.tsv"
    for rep in $(seq 1 "$REPEAT"); do
        log "SQLite $label: C loop (${DUR}s)${REPEAT_NOTE:+ [$rep/$REPEAT]}"
        L=$(sqlite_limit "$B" "$P")
        lverdict=$(kv "$L" verify); [ "$lverdict" = VERIFIED ] || FAILURES=$((FAILURES + 1))
        l_ids=$(limit_ids "$L" "$P" "$B")
        log "  limit: $L"
        log "SQLite $label: C loop + audit record, same work as the gateway (${DUR}s)${REPEAT_NOTE:+ [$rep/$REPEAT]}"
        LA=$(sqlite_limit "$B" "$P" --audit)
        [ "$(kv "$LA" verify)" = VERIFIED ] || FAILURES=$((FAILURES + 1))
        la_ids=$(limit_ids "$LA" "$P" "$B")
        log "  limit, same work: $LA"
        log "SQLite $label: gateway, wrk -t$CONNS -c$CONNS (${DUR}s)${REPEAT_NOTE:+ [$rep/$REPEAT]}"
        sqlite_gateway_run "sqlite-$b-$rep" "$B" "$P"
        g_ids=$(kv "$R_LINE" ids_per_s); [ "$P" = m ] && g_ids=$(awk -v r="$(kv "$R_LINE" rps)" -v b="$B" 'BEGIN{printf "%.1f", r*b}')
        log "  gateway: $(sed 's/ ranges=.*//' <<<"$R_LINE")"
        log "  $R_VERDICT"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(ratio "$g_ids" "$l_ids")" "$l_ids" "$g_ids" "$L" "$R_LINE" "$R_RSS" "$R_VERDICT" \
            "$la_ids" "$LA" >>"$WORK/pairs.tsv"
    done
    ratios=$(cut -f1 "$WORK/pairs.tsv" | paste -sd' ')
    IFS=$'\t' read -r _ l_ids g_ids L R_LINE R_RSS R_VERDICT la_ids LA < <(sort -g -k1,1 "$WORK/pairs.tsv" | sed -n "$(( (REPEAT + 1) / 2 ))p")
    [ "$REPEAT" -gt 1 ] && R_VERDICT="$R_VERDICT; ratios of $REPEAT triples: $ratios"
    RW_CELL="-"
    if [ "$MODE" != smoke ] || [ "$b" = 100 ]; then sqlite_read_run "sqlite-$b-read" "$B" "$P" "$label"; fi
    add_row "SQLite" "C loop (libsqlite3, 1 conn)" "$label" "$(kv "$L" tx_per_s)" "$l_ids" "$(kv "$L" p50_ms)" "$(kv "$L" p99_ms)" "-" "1.00" "$(kv "$L" verify)"
    add_row "SQLite" "C loop + audit record (same work)" "$label" "$(kv "$LA" tx_per_s)" "$la_ids" "$(kv "$LA" p50_ms)" "$(kv "$LA" p99_ms)" "-" \
        "1.00 (same work)" "$(same_work_check "$LA" "$l_ids" "$la_ids")"
    add_row "SQLite" "gateway (wrk, $CONNS conns)" "$label" "$(kv "$R_LINE" rps)" "$g_ids" "$(kv "$R_LINE" p50_ms)" "$(kv "$R_LINE" p99_ms)" "$R_RSS" \
        "$(ratio "$g_ids" "$l_ids") ($(ratio "$g_ids" "$la_ids") same work)" "$R_VERDICT" "$(gw_cpu "$R_LINE")" "$RW_CELL"
    GW_IDS[$b]=$g_ids; LIM_IDS[$b]=$l_ids
done
fi

# ---------------------------------------------------------------------------------------------
# HTTP ceiling: GET /health, same connections.
if part health; then
log "HTTP ceiling: GET /health, wrk -t$CONNS -c$CONNS (${DUR}s)"
fresh_copy "$WORK/gw.sqlite"
write_config "$WORK/gw.yaml" "$WORK/gw.sqlite"
start_gateway "$WORK/gw.yaml" "$WORK/health.log" || die "gateway did not start"
ht0=$(cpu_ticks "$GW_PID")
wrk -t"$CONNS" -c"$CONNS" -d"${DUR}s" -s "$HERE/wrk/health.lua" "$BASE_URL/health" >"$WORK/health.wrk" 2>&1 || true
hticks=$(( $(cpu_ticks "$GW_PID") - ht0 ))
H=$(grep '^WRKBENCH ' "$WORK/health.wrk") || die "wrk failed (health)"
HRSS=$(mib "$(proc_kib "$GW_PID" VmHWM)")
stop_gateway
HEALTH_RPS=$(kv "$H" rps)
hv="VERIFIED (no errors)"; [ "$(kv "$H" err_status)" = 0 ] || { hv="MISMATCH (status errors)"; FAILURES=$((FAILURES + 1)); }
add_row "HTTP" "gateway GET /health" "-" "$HEALTH_RPS" "-" "$(kv "$H" p50_ms)" "$(kv "$H" p99_ms)" "$HRSS" "-" "$hv" "$(cpu_us "$hticks" "$(kv "$H" requests)")"
log "  $H"
fi

# ---------------------------------------------------------------------------------------------
# In-memory adapter: seeded through POST /eval-runs (its only way in), then B=100 deletes as fixed
# work (every seeded row deleted once; rates over the threads' active time), since POST seeding is
# far slower than deleting.
# wait_last_ids CODE : until GET of the last id of every thread's range answers CODE (or wrk ends)
wait_last_ids() {
    local i t code n
    for i in $(seq 1 3000); do
        n=0
        for t in $(seq 0 $((CONNS - 1))); do
            code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/eval-runs/$(id_of $(( t * MEM_SPAN + MEM_SPAN - 1 )))?db_id=scratch")
            [ "$code" = "$1" ] && n=$((n + 1))
        done
        [ "$n" = "$CONNS" ] && return 0
        kill -0 "$BG_PID" 2>/dev/null || return 0
        sleep 0.1
    done
}
if part memory; then
log "memory: seeding $(( MEM_SPAN * CONNS )) runs through POST /eval-runs"
write_config "$WORK/mem.yaml" "$WORK/mem-unused.sqlite"
start_gateway "$WORK/mem.yaml" "$WORK/memory.log" || die "gateway did not start"
warm_up "$BASE_URL" scratch
BENCH_PATH="/eval-runs?db_id=scratch" BENCH_PREFIX=e BENCH_WIDTH=$WIDTH BENCH_BASE=0 BENCH_SPAN=$MEM_SPAN \
    wrk -t"$CONNS" -c"$CONNS" -d300s -s "$HERE/wrk/create.lua" "$BASE_URL/" >"$WORK/memseed.wrk" 2>&1 &
BG_PID=$!
wait_last_ids 200
kill -INT "$BG_PID" 2>/dev/null || true; wait "$BG_PID" 2>/dev/null || true; BG_PID=
log "  $(grep '^WRKSEED' "$WORK/memseed.wrk" || true)"
mem_count() { curl -fsS "$BASE_URL/eval-runs?db_id=scratch&limit=1" | grep -o '"total_count":[0-9]*' | cut -d: -f2; }
MBEFORE=$(mem_count)
[ "$MBEFORE" = $(( MEM_SPAN * CONNS )) ] || log "  WARNING: memory seed holds $MBEFORE rows, expected $(( MEM_SPAN * CONNS ))"
# One list on the seeded store, timed, with the gateway's CPU for it: a paced reader beside the delete
# load (as on SQLite) would need a second seeding through POST, and the list's cost decides whether
# such a reader could be light at all.
mt0=$(cpu_ticks "$GW_PID")
mlist=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$BASE_URL/eval-runs?db_id=scratch&limit=20")
mlticks=$(( $(cpu_ticks "$GW_PID") - mt0 ))
echo "Read while writing, memory: not measured. One \`GET /eval-runs?db_id=scratch&limit=20\` on the $MBEFORE seeded runs answered ${mlist% *} in ${mlist#* } s and cost the gateway $(cpu_s "$mlticks") s of CPU (±$(cpu_s 1) s): a reader at ${LIST_RATE}/s would need $(awk -v t="$mlticks" -v hz="$CLK_TCK" -v r="$LIST_RATE" 'BEGIN{printf "%.2f", t / hz * r}') CPU s per second." >>"$WORK/notes.txt"
log "memory: one list of 20: status ${mlist% *}, ${mlist#* } s, gateway CPU $(cpu_s "$mlticks") s"
log "memory B=100: gateway, wrk -t$CONNS -c$CONNS, fixed work (delete all $MBEFORE rows)"
mt0=$(cpu_ticks "$GW_PID")
BENCH_PATH="/eval-runs?db_id=scratch" BENCH_BATCH=100 BENCH_PREFIX=e BENCH_WIDTH=$WIDTH BENCH_BASE=0 \
BENCH_SPAN=$MEM_SPAN BENCH_STOP_WHEN_DONE=1 \
    wrk -t"$CONNS" -c"$CONNS" -d300s --timeout 30s -s "$HERE/wrk/delete.lua" "$BASE_URL/" >"$WORK/memory-100.wrk" 2>&1 &
BG_PID=$!
wait_last_ids 404
sleep 0.3   # let wrk read the last answers (the rate is over the threads' own active time)
kill -INT "$BG_PID" 2>/dev/null || true; wait "$BG_PID" 2>/dev/null || true; BG_PID=
mticks=$(( $(cpu_ticks "$GW_PID") - mt0 ))
M=$(grep '^WRKBENCH ' "$WORK/memory-100.wrk") || { cat "$WORK/memory-100.wrk" >&2; die "wrk failed (memory)"; }
MRSS=$(mib "$(proc_kib "$GW_PID" VmHWM)")
MAFTER=$(mem_count)
# Ids of requests never answered: ask the gateway which still exist (the store has no other reader).
mlost=$(kv "$M" lost); [ "$mlost" = none ] && mlost=""
mpresent_lost=0
if [ -n "$mlost" ]; then
    : >"$WORK/lost.curl"
    for r in $(tr ';' ' ' <<<"$mlost"); do
        for n in $(seq "${r%-*}" $(( ${r#*-} - 1 ))); do
            echo "url = \"$BASE_URL/eval-runs/$(id_of "$n")?db_id=scratch\"" >>"$WORK/lost.curl"
            echo "output = /dev/null" >>"$WORK/lost.curl"
        done
    done
    mpresent_lost=$(curl -s -K "$WORK/lost.curl" -w '%{http_code}\n' | grep -c '^200$' || true)
fi
stop_gateway
# With fixed work every seeded row must be gone and acknowledged (present_sent = rows left).
if MV=$(verify_counts "$MBEFORE" "$MAFTER" "$M" "$MAFTER" "$mpresent_lost"); then :; else FAILURES=$((FAILURES + 1)); fi
add_row "memory" "gateway (wrk, $CONNS conns, fixed work)" "B=100" "$(kv "$M" rps)" "$(kv "$M" ids_per_s)" "$(kv "$M" p50_ms)" "$(kv "$M" p99_ms)" "$MRSS" "-" "$MV" \
    "$(cpu_us "$mticks" "$(kv "$M" requests)")" "not measured (see notes)"
log "  $(sed 's/ ranges=.*//' <<<"$M")"
log "  $MV"
fi

# ---------------------------------------------------------------------------------------------
# Scaling: one request of N ids (fresh gateway each, so its peak RSS is that request's).
SCALE_ROWS="$WORK/scale.tsv"
: >"$SCALE_ROWS"
if part scaling; then
for n in $SCALES; do
    if [ "$n" -gt "$NSEED" ]; then log "scaling: skipping $n ids (seed is $NSEED)"; continue; fi
    body="$WORK/body-$n.json"
    awk -v n="$n" -v w="$WIDTH" 'BEGIN{printf "{\"eval_run_ids\":["; for(i=0;i<n;i++){printf "%s\"e%0" w "d\"", (i?",":""), i}; printf "]}"}' >"$body"
    log "scaling: one DELETE of $n ids ($(mib $(( $(stat -c %s "$body") / 1024 ))) MiB body)"
    fresh_copy "$WORK/gw.sqlite"
    write_config "$WORK/gw.yaml" "$WORK/gw.sqlite"
    start_gateway "$WORK/gw.yaml" "$WORK/scale-$n.log" || die "gateway did not start"
    warm_up "$BASE_URL" local
    rss0=$(proc_kib "$GW_PID" VmHWM)
    st0=$(cpu_ticks "$GW_PID")
    # 'Expect:' turns off curl's "Expect: 100-continue" for bodies over 1 MiB: the gateway sends no
    # 100 Continue, so curl would wait 1 s before sending the body (measured separately below).
    res=$(curl -sS -o /dev/null -D "$WORK/scale-$n.headers" -w '%{http_code} %{time_total}' -X DELETE \
          -H 'Expect:' -H 'Content-Type: application/json' --data-binary "@$body" "$BASE_URL/eval-runs?db_id=local")
    rss1=$(proc_kib "$GW_PID" VmHWM)
    sticks=$(( $(cpu_ticks "$GW_PID") - st0 ))
    if [ "$(stat -c %s "$body")" -gt 1048576 ] && [ -z "${EXPECT_NOTE:-}" ]; then
        # The same body again (its ids are gone now, so both are pure request-path cost), once with
        # curl's default Expect: 100-continue and once without.
        t_exp=$(curl -s -o /dev/null -w '%{time_total}' -X DELETE -H 'Content-Type: application/json' \
                --data-binary "@$body" "$BASE_URL/eval-runs?db_id=local")
        t_noexp=$(curl -s -o /dev/null -w '%{time_total}' -X DELETE -H 'Expect:' -H 'Content-Type: application/json' \
                  --data-binary "@$body" "$BASE_URL/eval-runs?db_id=local")
        EXPECT_NOTE="Expect: 100-continue — the same $n-id DELETE ($(mib $(( $(stat -c %s "$body") / 1024 ))) MiB body, ids already gone) took ${t_exp}s with curl's default \"Expect: 100-continue\" and ${t_noexp}s without: the gateway never answers 100 Continue, so such a client waits out its own timeout (curl: 1 s) before sending the body. The scaling rows are measured without it."
        echo "$EXPECT_NOTE" >>"$WORK/notes.txt"
        log "  $EXPECT_NOTE"
    fi
    stop_gateway
    code=${res% *}; secs=${res#* }
    hdr=$(awk 'tolower($1)=="x-deleted-count:"{gsub("\r","",$2); print $2}' "$WORK/scale-$n.headers")
    after=$(sqlite_count "$WORK/gw.sqlite")
    if [ "$code" = 204 ] && [ "$hdr" = "$n" ] && [ $(( NSEED - after )) -eq "$n" ]; then sv="VERIFIED (204, X-Deleted-Count $hdr, rows -$n)"
    else sv="MISMATCH (status $code, X-Deleted-Count '$hdr', rows $NSEED -> $after)"; FAILURES=$((FAILURES + 1)); fi
    # The same delete as one statement in the C loop, on a fresh copy.
    fresh_copy "$WORK/limit.sqlite"
    LS=$("$LOOP" "$WORK/limit.sqlite" --batch "$n" --count "$n" --seconds 3600 --width "$WIDTH")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$secs" "$(mib "$rss0")" "$(mib "$rss1")" "$(kv "$LS" seconds)" "$sv" "$(cpu_s "$sticks")" >>"$SCALE_ROWS"
    [ "$(kv "$LS" verify)" = VERIFIED ] || FAILURES=$((FAILURES + 1))
    log "  gateway ${secs}s, CPU $(cpu_s "$sticks")s, VmHWM $(mib "$rss0") -> $(mib "$rss1") MiB; C loop $(kv "$LS" seconds)s; $sv"
done
fi

# ---------------------------------------------------------------------------------------------
# Optional parts.
if part postgres && { [ "$PG_LOCAL" = 1 ] || [ -n "$PG_URL" ]; }; then
    # shellcheck source=Benchmarks/lib/postgres.sh
    . "$HERE/lib/postgres.sh"
    postgres_suite
else
    log "Postgres: skipped (no --postgres-url URL / EVALGW_BENCH_POSTGRES_URL, and no --postgres-local)"
    echo "Postgres: skipped (pass --postgres-url URL or --postgres-local)" >>"$WORK/notes.txt"
fi
if part agno && [ "$WITH_AGNO" = 1 ]; then
    # shellcheck source=Benchmarks/lib/agno.sh
    . "$HERE/lib/agno.sh"
    agno_suite
else
    echo "Agno 3.1.10 peer: skipped (pass --with-agno)" >>"$WORK/notes.txt"
fi

# ---------------------------------------------------------------------------------------------
# The table.
print_table() {
    local busy=""
    { [ "$BUSY_SEEN" = 1 ] || pgrep -f swift-build >/dev/null 2>&1; } && busy=" (a swift build was running: noisy)"
    echo
    echo "## EvalGateway benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $MODE mode$busy"
    echo
    echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM;" \
         "gateway $(basename "$BIN") ($BIN); wrk -t$CONNS -c$CONNS, ${DUR}s per run (memory: fixed work, $(( MEM_SPAN * CONNS )) ids); $NSEED seeded rows;" \
         "SQLite WAL + synchronous=FULL; keep-awake $([ "$KEEP_AWAKE" = 1 ] && echo on || echo off)."
    echo
    echo "| backend | what | B | req/s | ids/s | p50 ms | p99 ms | peak RSS MiB | gw CPU µs/req | list p99 ms busy/idle | ratio to limit | check |"
    echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, ($4=="-"?"-":sprintf("%.0f",$4)), ($5=="-"?"-":sprintf("%.0f",$5)), $6, $7, $8, $11, $12, $9, $10 }' "$RESULTS"
    if [ -s "$SCALE_ROWS" ]; then
        echo
        echo "Scaling: one \`DELETE /eval-runs?db_id=local\` (SQLite) of N ids, fresh gateway each time."
        echo
        echo "| ids | gateway time s | gateway CPU s | gateway VmHWM before MiB | gateway VmHWM after MiB | C loop (one statement) s | ratio | check |"
        echo "|---:|---:|---:|---:|---:|---:|---:|---|"
        awk -F'\t' '{ printf "| %d | %.3f | %s | %s | %s | %.3f | %s | %s |\n", $1, $2, $7, $3, $4, $5, ($5>0?sprintf("%.2f", $2/$5):"-"), $6 }' "$SCALE_ROWS"
    fi
    echo
    echo "Ratio to limit = gateway ids/s ÷ the backend's own ids/s in this run (miss rows: ids probed/s): first"
    echo "against the DELETE alone (the targets' limit), then against the same work — the DELETE and the"
    echo "audit record the gateway writes in the same transaction (the \"same work\" limit rows); for scaling,"
    echo "gateway time ÷ C loop time. p50/p99 of the C loop are per statement."
    echo "gw CPU µs/req = the gateway process's user + sys time (/proc/PID/stat, 1/$CLK_TCK s ticks) over the"
    echo "measured wrk run ÷ the requests answered in it; \"~\" = under one CPU second in all, so ±1 tick matters."
    echo "list p99 ms busy/idle = p99 of \`GET /eval-runs?db_id=…&limit=20\` (one connection, ${LIST_RATE}/s) beside"
    echo "the row's delete load ÷ alone on the same database, on a gateway of its own after the measured run;"
    echo "target on SQLite at B=100: busy ≤ 2× idle."
    declare -F agno_tables >/dev/null && agno_tables
    [ -s "$WORK/notes.txt" ] && { echo; sed 's/^/- /' "$WORK/notes.txt"; }
    echo
    if [ "$FAILURES" -eq 0 ]; then echo "All runs VERIFIED."; else echo "$FAILURES run(s) did NOT verify."; fi
}
print_table | tee "$WORK/table.md"
[ -n "$OUT" ] && cp "$WORK/table.md" "$OUT"
[ "$FAILURES" -eq 0 ]
