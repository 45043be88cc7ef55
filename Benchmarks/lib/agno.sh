# Agno AgentOS 3.1.10 peer for Benchmarks/run.sh --with-agno (sourced; uses its helpers).
#
# Agno's own /eval-runs routes (FastAPI under uvicorn, one worker — the way `agno` documents serving
# AgentOS) over a fresh copy of the same seeded SQLite file, and over the same Postgres table when
# the Postgres part ran. Same wrk script, same connections. Agno answers 204 without a count, so the
# acknowledged number is B per 204 and the database check decides (a 204 that did not delete its B
# rows shows up as MISMATCH).

AGNO_VERSION=3.1.10
AGNO_VENV=${EVALGW_BENCH_AGNO_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/evalgw-bench/agno-$AGNO_VERSION}
AGNO_PORT=

agno_install() {
    if [ -x "$AGNO_VENV/bin/uvicorn" ] && "$AGNO_VENV/bin/python" -c "import agno, importlib.metadata as m; assert m.version('agno') == '$AGNO_VERSION'" 2>/dev/null; then
        return 0
    fi
    need python3 python3
    require_needed
    log "Agno: installing agno[os,sqlite,postgres]==$AGNO_VERSION into $AGNO_VENV (PyPI)"
    python3 -m venv "$AGNO_VENV" >&2 || die "python3 -m venv failed: install the Debian package python3-venv (apt-get install -y python3-venv)"
    # openai: an Agent falls back to an OpenAI model at construction; the peer never calls a model.
    "$AGNO_VENV/bin/pip" install -q "agno[os,sqlite,postgres]==$AGNO_VERSION" uvicorn openai >&2
}

start_agno() { # start_agno SQLITE_FILE LOG [postgres]
    local pg=""
    [ "${3:-}" = postgres ] && pg=$PG_URL
    AGNO_PORT=$(free_port_after "$PORT")
    AGNO_SQLITE="$1" AGNO_POSTGRES_URL="$pg" OPENAI_API_KEY=unused AGNO_TELEMETRY=false \
        "$AGNO_VENV/bin/uvicorn" serve_agno:app --app-dir "$HERE/agno" --host 127.0.0.1 --port "$AGNO_PORT" \
        --workers 1 --log-level warning --no-access-log >"$2" 2>&1 &
    AGNO_PID=$!
    local i
    for i in $(seq 1 1200); do
        curl -fsS -o /dev/null "http://127.0.0.1:$AGNO_PORT/health" 2>/dev/null && return 0
        kill -0 "$AGNO_PID" 2>/dev/null || { wait "$AGNO_PID" 2>/dev/null || true; AGNO_PID=; return 1; }
        sleep 0.1
    done
    return 1
}
stop_agno() {
    if [ -n "$AGNO_PID" ]; then kill -TERM "$AGNO_PID" 2>/dev/null || true; wait "$AGNO_PID" 2>/dev/null || true; AGNO_PID=; fi
}
free_port_after() {
    local p
    for p in $(seq $(( $1 + 1 )) $(( $1 + 200 ))); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
    die "no free port"
}

# agno_run NAME DBID B PREFIX COUNTFN PRESENTFN -> sets R_LINE R_VERDICT R_RSS (server already started)
agno_wrk() {
    local name=$1 db=$2 b=$3 prefix=$4
    BENCH_PATH="/eval-runs?db_id=$db" BENCH_BATCH=$b BENCH_PREFIX=$prefix BENCH_WIDTH=$WIDTH BENCH_BASE=0 \
    BENCH_SPAN=$SPAN BENCH_ASSUME_FULL=1 BENCH_STOP_WHEN_DONE=1 \
        wrk -t"$CONNS" -c"$CONNS" -d"${DUR}s" --timeout 30s -s "$HERE/wrk/delete.lua" "http://127.0.0.1:$AGNO_PORT/" \
        >"$WORK/$name.wrk" 2>&1 || true
    grep '^WRKBENCH ' "$WORK/$name.wrk" || { cat "$WORK/$name.wrk" >&2; die "wrk failed ($name)"; }
}

agno_suite() {
    agno_install
    local b B P label f after ps pl a_ids
    for b in $AGNO_BATCHES; do
        if [ "$b" = miss ]; then B=100; P=m; label="miss B=100"; else B=$b; P=e; label="B=$b"; fi
        f="$WORK/agno.sqlite"
        fresh_copy "$f"
        log "Agno $AGNO_VERSION on SQLite $label: uvicorn, wrk -t$CONNS -c$CONNS (${DUR}s)"
        start_agno "$f" "$WORK/agno-$b.log" || { cat "$WORK/agno-$b.log" >&2; die "Agno did not start"; }
        warm_up "http://127.0.0.1:$AGNO_PORT" local
        R_LINE=$(agno_wrk "agno-sqlite-$b" local "$B" "$P")
        R_RSS=$(mib "$(proc_kib "$AGNO_PID" VmHWM)")
        stop_agno
        after=$(sqlite_count "$f")
        ps=$(sqlite3 "$f" "SELECT $(present_sql "$(kv "$R_LINE" ranges)")")
        pl=$(sqlite3 "$f" "SELECT $(present_sql "$(kv "$R_LINE" lost | sed 's/^none$//')")")
        if R_VERDICT=$(verify_counts "$NSEED" "$after" "$R_LINE" "$ps" "$pl"); then :; else FAILURES=$((FAILURES + 1)); fi
        a_ids=$(kv "$R_LINE" ids_per_s); [ "$P" = m ] && a_ids=$(awk -v r="$(kv "$R_LINE" rps)" -v b="$B" 'BEGIN{printf "%.1f", r*b}')
        add_row "SQLite" "Agno $AGNO_VERSION (uvicorn, 1 worker)" "$label" "$(kv "$R_LINE" rps)" "$a_ids" "$(kv "$R_LINE" p50_ms)" "$(kv "$R_LINE" p99_ms)" "$R_RSS" "$(ratio "$a_ids" "${LIM_IDS[$b]:-0}")" "$R_VERDICT"
        printf 'SQLite\t%s\t%s\t%s\n' "$label" "${GW_IDS[$b]:-0}" "$a_ids" >>"$WORK/agno-ratios.tsv"
        log "  Agno: $(sed 's/ ranges=.*//' <<<"$R_LINE")"
        log "  $R_VERDICT"
    done

    if [ -n "${PG_SUITE_RAN:-}" ]; then
        for b in $AGNO_BATCHES; do
            if [ "$b" = miss ]; then B=100; P=m; label="miss B=100"; else B=$b; P=e; label="B=$b"; fi
            log "Agno $AGNO_VERSION on Postgres $label: seeding $NSEED rows, uvicorn, wrk -t$CONNS -c$CONNS (${DUR}s)"
            pg_seed "$NSEED"
            start_agno "$WORK/agno.sqlite" "$WORK/agno-pg-$b.log" postgres || { cat "$WORK/agno-pg-$b.log" >&2; die "Agno did not start"; }
            warm_up "http://127.0.0.1:$AGNO_PORT" pg
            R_LINE=$(agno_wrk "agno-pg-$b" pg "$B" "$P")
            R_RSS=$(mib "$(proc_kib "$AGNO_PID" VmHWM)")
            stop_agno
            after=$(pg_count)
            ps=$(pg_psql -c "SELECT $(present_sql "$(kv "$R_LINE" ranges)")")
            pl=$(pg_psql -c "SELECT $(present_sql "$(kv "$R_LINE" lost | sed 's/^none$//')")")
            if R_VERDICT=$(verify_counts "$NSEED" "$after" "$R_LINE" "$ps" "$pl"); then :; else FAILURES=$((FAILURES + 1)); fi
            a_ids=$(kv "$R_LINE" ids_per_s); [ "$P" = m ] && a_ids=$(awk -v r="$(kv "$R_LINE" rps)" -v b="$B" 'BEGIN{printf "%.1f", r*b}')
            add_row "Postgres" "Agno $AGNO_VERSION (uvicorn, 1 worker)" "$label" "$(kv "$R_LINE" rps)" "$a_ids" "$(kv "$R_LINE" p50_ms)" "$(kv "$R_LINE" p99_ms)" "$R_RSS" "$(ratio "$a_ids" "${PG_LIM_IDS[$b]:-0}")" "$R_VERDICT"
            printf 'Postgres\t%s\t%s\t%s\n' "$label" "${PG_GW_IDS[$b]:-0}" "$a_ids" >>"$WORK/agno-ratios.tsv"
            log "  Agno: $(sed 's/ ranges=.*//' <<<"$R_LINE")"
            log "  $R_VERDICT"
        done
    fi

    # Scaling: Agno with one request of N ids on SQLite.
    local n body res code secs rss1
    for n in $SCALES; do
        [ "$n" -gt "$NSEED" ] && continue
        body="$WORK/body-$n.json"
        [ -f "$body" ] || continue
        fresh_copy "$WORK/agno.sqlite"
        start_agno "$WORK/agno.sqlite" "$WORK/agno-scale-$n.log" || die "Agno did not start"
        warm_up "http://127.0.0.1:$AGNO_PORT" local
        res=$(curl -sS -o "$WORK/agno-scale-$n.body" -w '%{http_code} %{time_total}' -X DELETE \
              -H 'Expect:' -H 'Content-Type: application/json' --data-binary "@$body" "http://127.0.0.1:$AGNO_PORT/eval-runs?db_id=local")
        rss1=$(proc_kib "$AGNO_PID" VmHWM)
        stop_agno
        code=${res% *}; secs=${res#* }
        after=$(sqlite_count "$WORK/agno.sqlite")
        printf '%s\t%s\t%s\t%s\t%s\n' "$n" "$code" "$secs" "$(mib "$rss1")" "$(( NSEED - after ))" >>"$WORK/agno-scale.tsv"
        log "  Agno one DELETE of $n ids: HTTP $code in ${secs}s, VmHWM $(mib "$rss1") MiB, rows deleted $(( NSEED - after ))"
    done
}

agno_tables() {
    if [ -s "$WORK/agno-ratios.tsv" ]; then
        echo
        echo "Gateway ÷ Agno $AGNO_VERSION (ids/s, same backend, same run):"
        echo
        echo "| backend | B | gateway ids/s | Agno ids/s | gateway ÷ Agno |"
        echo "|---|---|---:|---:|---:|"
        awk -F'\t' '{ printf "| %s | %s | %s | %.0f | %s |\n", $1, $2, ($3>0?sprintf("%.0f",$3):"not run"), $4, (($3>0 && $4>0)?sprintf("%.1f", $3/$4):"-") }' "$WORK/agno-ratios.tsv"
    fi
    if [ -s "$WORK/agno-scale.tsv" ]; then
        echo
        echo "Agno $AGNO_VERSION, one DELETE of N ids on SQLite:"
        echo
        echo "| ids | HTTP status | time s | uvicorn VmHWM MiB | rows deleted |"
        echo "|---:|---:|---:|---:|---:|"
        awk -F'\t' '{ printf "| %d | %s | %.3f | %s | %s |\n", $1, $2, $3, $4, $5 }' "$WORK/agno-scale.tsv"
    fi
}
