# Postgres part of Benchmarks/run.sh (sourced; uses its helpers and variables).
#
# The gateway's postgres adapter next to pgbench running the same DELETE with the same number of
# clients, and next to pgbench running the gateway's whole statement (the DELETE and its audit record,
# one data-modifying WITH), on a table in Agno's schema (ai.agno_eval_runs) reseeded (and the audit
# table ai.evalgw_audit emptied) before every run. With
# --postgres-local a throwaway cluster (fsync on, the default) is created in the work directory on a
# free loopback port; otherwise --postgres-url / EVALGW_BENCH_POSTGRES_URL names an existing
# database (the benchmark TRUNCATEs ai.agno_eval_runs there: use a scratch database).

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

# Rows per run: Postgres with 16 clients deletes far faster than SQLite at B >= 100, so those runs
# get a larger seed (each run is reseeded; ids are disjoint per client, SPAN = rows / clients).
pg_rows_for() { # pg_rows_for B|miss
    case "$MODE:$1" in
        smoke:100) echo 400000 ;;
        smoke:1000) echo 600000 ;;
        smoke:*) echo 200000 ;;
        *:1|*:miss) echo 200000 ;;
        quick:100) echo 1000000 ;;
        quick:1000) echo 2500000 ;;
        full:100) echo 6000000 ;;
        full:1000) echo 8000000 ;;
        *) echo "$NSEED" ;;
    esac
}
PG_DUR=${PG_DURATION:-$([ "$MODE" = full ] && echo "$DUR" || { [ "$MODE" = smoke ] && echo 1 || echo 3; })}

pg_psql() { PGOPTIONS='-c search_path=ai' psql "$PG_URL" -v ON_ERROR_STOP=1 -qAtX "$@"; }

start_local_postgres() {
    need_file "${PG_BIN:-/nonexistent}/initdb" postgresql
    require_needed
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    local pgport
    pgport=$(for p in $(seq 15500 15600); do
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; break; }; done)
    chmod 755 "$WORK"
    mkdir -p "$WORK/pg" "$WORK/pgsock"
    chown postgres: "$WORK/pg" "$WORK/pgsock"
    log "Postgres: initdb + start a local cluster on 127.0.0.1:$pgport (fsync on)"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg" --auth=trust -U postgres >"$WORK/pg-initdb.log" 2>&1 \
        || { cat "$WORK/pg-initdb.log" >&2; die "initdb failed"; }
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w \
        -o "-p $pgport -k $WORK/pgsock -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=200 -c shared_buffers=512MB" \
        start >/dev/null || { cat "$WORK/pg/server.log" >&2; die "postgres did not start"; }
    PG_STARTED=1
    PG_URL="postgresql://postgres@127.0.0.1:$pgport/postgres"
}

pg_seed() { # pg_seed N : empty the tables and fill the eval runs with ids e000000000..
    pg_psql >/dev/null <<SQL
TRUNCATE ai.agno_eval_runs, ai.evalgw_audit;
INSERT INTO ai.agno_eval_runs (run_id, eval_type, eval_data, eval_input, name, agent_id, model_id, model_provider,
                               evaluated_component_name, user_id, created_at, updated_at)
SELECT 'e' || lpad(n::text, $WIDTH, '0'), 'accuracy', '{"avg_score":8.5,"mean_score":8.5,"results":[{"score":8.5}]}',
       '{"input":"What is 2+2?","expected_output":"4"}', 'bench run', 'agent-' || (n % 16), 'gpt-4o', 'openai',
       'bench-agent', NULL, 1700000000 + n, 1700000000 + n
FROM generate_series(0, $1 - 1) AS n;
VACUUM ANALYZE ai.agno_eval_runs;
VACUUM ANALYZE ai.evalgw_audit;
CHECKPOINT;
SQL
}
pg_count() { pg_psql -c 'SELECT count(*) FROM ai.agno_eval_runs'; }

# pgbench_limit B PREFIX SPAN [audit] -> "LIMIT ..." line (same keys as the C loop's)
# Client c deletes ids [c*SPAN, (c+1)*SPAN) in order, B per transaction; a client that has used its
# range up only sleeps (and the run is reported EXHAUSTED). With "audit", each transaction is the
# gateway's own statement for DELETE /eval-runs: the DELETE … RETURNING run_id, and in the same
# statement the audit record of a gateway without tokens (principal 'open', kind 'ids', a 16-hex-digit
# request id, a 64-hex-digit digest — a fixed one: the gateway hashes the ids before the statement —
# and deleted = count(*) of the removed rows, so a miss is recorded too); record ids are made of the
# client and its transaction number, in the gateway's 36-character UUID form.
pgbench_limit() {
    local b=$1 prefix=$2 span=$3 audit=${4:-} script="$WORK/pgbench-delete.sql" before after tx secs
    local ids="(SELECT array_agg('$prefix' || lpad(g::text, $WIDTH, '0')) FROM generate_series(:lo::bigint, :hi::bigint) AS g)::text[]"
    local statement="DELETE FROM ai.agno_eval_runs WHERE run_id = ANY($ids);"
    if [ -n "$audit" ]; then
        statement="WITH removed AS (DELETE FROM ai.agno_eval_runs WHERE run_id = ANY($ids) RETURNING run_id), \
recorded AS (INSERT INTO ai.evalgw_audit (id, at, principal, request_id, db_id, table_name, kind, ids_count, ids_sha256, filter, deleted, ids) \
SELECT lpad(to_hex(:client_id::bigint), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(:n::bigint), 12, '0'), \
(extract(epoch FROM clock_timestamp()) * 1000)::bigint, 'open', lpad(to_hex(:r::bigint), 16, '0'), 'pg', 'agno_eval_runs', 'ids', \
:b::bigint, '3f0a9d5e1c7b24680fedcba9876543210123456789abcdef0f1e2d3c4b5a6978', NULL::json, count(*), NULL::json FROM removed \
RETURNING deleted) SELECT deleted FROM recorded;"
    fi
    cat >"$script" <<SQL
\\set n :n + 1
\\set r random(0, 1152921504606846975)
\\set lo :span * :client_id + (:n - 1) * :b
\\set hi :lo + :b - 1
\\if :hi < :span * (:client_id + 1)
$statement
\\else
\\sleep 10 ms
\\endif
SQL
    local out="$WORK/pgbench-$b-$prefix${audit:+-audit}.out"
    before=$(pg_count)
    local audit_before
    audit_before=$(pg_psql -c 'SELECT count(*) FROM ai.evalgw_audit')
    rm -f "$WORK"/pgbench_log*
    (cd "$WORK" && pgbench -n -M prepared -c "$CONNS" -j 2 -T "$PG_DUR" -D n=0 -D b="$b" -D span="$span" \
        -f "$script" -l --log-prefix=pgbench_log "$PG_URL") >"$out" 2>&1 \
        || { cat "$out" >&2; echo "LIMIT verify=MISMATCH"; return 0; }
    after=$(pg_count)
    tx=$(awk '/number of transactions actually processed/{split($0,a,": "); split(a[2],b,"/"); print b[1]}' "$out")
    local tps
    tps=$(awk '/^tps = /{print $3; exit}' "$out")
    secs=$(awk -v tx="$tx" -v tps="$tps" 'BEGIN{ if (tps > 0) printf "%.3f", tx/tps; else print 0 }')
    # Latency percentiles from the per-transaction log (3rd column, microseconds).
    local pcts
    pcts=$(cat "$WORK"/pgbench_log* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END{ if (NR==0) {print "0 0"; exit}
        i50=int(0.50*(NR-1))+1; i99=int(0.99*(NR-1))+1; printf "%.3f %.3f", a[i50]/1000, a[i99]/1000 }')
    local deleted=$(( before - after )) expect verify exhausted
    # Transactions beyond a client's range (logged transaction_no >= span / B) deleted nothing.
    exhausted=$(cat "$WORK"/pgbench_log* | awk -v per=$(( span / b )) '$2 >= per' | wc -l)
    if [ "$prefix" = e ]; then expect=$(( (tx - exhausted) * b )); else expect=0; fi
    # With the audit record: one record per transaction that ran the statement, their deleted summing
    # to the rows dropped.
    local audit_rows=0 audit_ok=1
    if [ -n "$audit" ]; then
        local rec
        rec=$(pg_psql -F ' ' -c 'SELECT count(*), COALESCE(sum(deleted), 0) FROM ai.evalgw_audit')
        audit_rows=$(( ${rec% *} - audit_before ))
        [ "$audit_rows" -eq $(( tx - exhausted )) ] && [ "${rec#* }" -eq "$deleted" ] || audit_ok=0
    fi
    if [ "$prefix" = e ] && [ "$exhausted" -gt 0 ]; then verify=EXHAUSTED
    elif [ "$deleted" -eq "$expect" ] && [ "$audit_ok" = 1 ]; then verify=VERIFIED; else verify=MISMATCH; fi
    echo "LIMIT audit=$([ -n "$audit" ] && echo 1 || echo 0) audit_rows=$audit_rows batch=$b tx=$tx ids_sent=$(( tx * b )) deleted=$deleted seconds=$secs tx_per_s=$tps" \
         "ids_per_s=$(awk -v d="$deleted" -v s="$secs" 'BEGIN{ if (s > 0) printf "%.1f", d/s; else print 0 }')" \
         "p50_ms=${pcts% *} p99_ms=${pcts#* } rows_before=$before rows_after=$after verify=$verify"
}

postgres_suite() {
    # Is the postgres adapter built into this gateway? A gateway without it refuses the config at
    # start ("unknown adapter"); one with it starts even while the server is down.
    local url_saved=$PG_URL
    PG_URL=${PG_URL:-postgresql://bench@127.0.0.1:1/probe}
    write_config "$WORK/pg.yaml" "$WORK/pg-unused.sqlite" postgres
    PG_URL=$url_saved
    if start_gateway "$WORK/pg.yaml" "$WORK/pg-probe.log"; then
        stop_gateway
    elif grep -q "unknown adapter 'postgres'" "$WORK/pg-probe.log"; then
        log "Postgres: skipped (this gateway binary has no postgres adapter)"
        echo "Postgres: skipped (the gateway binary $BIN has no postgres adapter)" >>"$WORK/notes.txt"
        return 0
    else
        cat "$WORK/pg-probe.log" >&2; die "gateway with a postgres database did not start"
    fi

    need psql postgresql-client
    need pgbench postgresql-contrib
    require_needed
    [ "$PG_LOCAL" = 1 ] && [ -z "$PG_URL" ] && start_local_postgres
    pg_psql -c 'SELECT 1' >/dev/null 2>&1 || {
        log "Postgres: skipped (cannot connect to $PG_URL)"
        echo "Postgres: skipped (cannot connect to the server)" >>"$WORK/notes.txt"
        return 0
    }
    write_config "$WORK/pg.yaml" "$WORK/pg-unused.sqlite" postgres
    start_gateway "$WORK/pg.yaml" "$WORK/pg-create.log" || { cat "$WORK/pg-create.log" >&2; die "gateway did not start"; }
    # A store connects on its first request: that one creates schema ai and the table (create_tables:
    # true); its first delete creates the audit table.
    warm_up "$BASE_URL" pg
    stop_gateway
    pg_psql -c 'SELECT 1 FROM ai.agno_eval_runs LIMIT 1' >/dev/null || die "the gateway did not create ai.agno_eval_runs"
    pg_psql -c 'SELECT 1 FROM ai.evalgw_audit LIMIT 1' >/dev/null || die "the gateway did not create ai.evalgw_audit"

    local b B P label L LA lverdict l_ids la_ids g_ids after ps pl cell
    declare -gA PG_GW_IDS PG_LIM_IDS
    PG_SUITE_RAN=1
    local rows span
    for b in $BATCHES miss; do
        if [ "$b" = miss ]; then B=100; P=m; label="miss B=100"; else B=$b; P=e; label="B=$b"; fi
        rows=$(pg_rows_for "$b"); span=$(( rows / CONNS ))
        log "Postgres $label: seeding $rows rows, pgbench -c$CONNS (${PG_DUR}s)"
        pg_seed "$rows"
        local lspan=$span
        [ "$P" = e ] || lspan=$(( MISS_IDS / CONNS ))
        L=$(pgbench_limit "$B" "$P" "$lspan")
        lverdict=$(kv "$L" verify); [ "$lverdict" = VERIFIED ] || FAILURES=$((FAILURES + 1))
        l_ids=$(limit_ids "$L" "$P" "$B")
        log "  pgbench: $L"
        log "Postgres $label: seeding $rows rows, pgbench -c$CONNS with the audit record, same work as the gateway (${PG_DUR}s)"
        pg_seed "$rows"
        LA=$(pgbench_limit "$B" "$P" "$lspan" audit)
        [ "$(kv "$LA" verify)" = VERIFIED ] || FAILURES=$((FAILURES + 1))
        la_ids=$(limit_ids "$LA" "$P" "$B")
        log "  pgbench, same work: $LA"

        log "Postgres $label: seeding $rows rows, gateway, wrk -t$CONNS -c$CONNS (${PG_DUR}s)"
        pg_seed "$rows"
        start_gateway "$WORK/pg.yaml" "$WORK/pg-$b.log" || die "gateway did not start"
        warm_up "$BASE_URL" pg
        local wspan=$span
        [ "$P" = e ] || wspan=$(( MISS_IDS / CONNS ))
        R_LINE=$(run_wrk_delete "pg-$b" pg "$B" "$P" "$wspan" "$PG_DUR")
        R_RSS=$(mib "$(proc_kib "$GW_PID" VmHWM)")
        stop_gateway
        after=$(pg_count)
        ps=$(pg_psql -c "SELECT $(present_sql "$(kv "$R_LINE" ranges)")")
        pl=$(pg_psql -c "SELECT $(present_sql "$(kv "$R_LINE" lost | sed 's/^none$//')")")
        if R_VERDICT=$(verify_counts "$rows" "$after" "$R_LINE" "$ps" "$pl"); then :; else FAILURES=$((FAILURES + 1)); fi
        g_ids=$(kv "$R_LINE" ids_per_s); [ "$P" = m ] && g_ids=$(awk -v r="$(kv "$R_LINE" rps)" -v b="$B" 'BEGIN{printf "%.1f", r*b}')
        log "  gateway: $(sed 's/ ranges=.*//' <<<"$R_LINE")"
        log "  $R_VERDICT"
        # Read while writing: at B=100 (the target's), and at every B with --full — each needs a reseed.
        cell="-"
        if [ "$b" = 100 ] || [ "$MODE" = full ]; then
            postgres_read_run "pg-$b-read" "$B" "$P" "$label" "$rows" "$wspan"
            cell=$RW_CELL
        fi
        add_row "Postgres" "pgbench ($CONNS clients)" "$label" "$(kv "$L" tx_per_s)" "$l_ids" "$(kv "$L" p50_ms)" "$(kv "$L" p99_ms)" "-" "1.00" "$lverdict"
        add_row "Postgres" "pgbench + audit record (same work)" "$label" "$(kv "$LA" tx_per_s)" "$la_ids" "$(kv "$LA" p50_ms)" "$(kv "$LA" p99_ms)" "-" \
            "1.00 (same work)" "$(same_work_check "$LA" "$l_ids" "$la_ids")"
        add_row "Postgres" "gateway (wrk, $CONNS conns)" "$label" "$(kv "$R_LINE" rps)" "$g_ids" "$(kv "$R_LINE" p50_ms)" "$(kv "$R_LINE" p99_ms)" "$R_RSS" \
            "$(ratio "$g_ids" "$l_ids") ($(ratio "$g_ids" "$la_ids") same work)" "$R_VERDICT" "$(gw_cpu "$R_LINE")" "$cell"
        PG_GW_IDS[$b]=$g_ids; PG_LIM_IDS[$b]=$l_ids
    done
}

# The read-while-writing run of one Postgres row (see read_while_writing in run.sh): sets RW_CELL.
postgres_read_run() { # NAME B PREFIX LABEL ROWS SPAN
    local name=$1 v after ps pl
    log "Postgres $4: read while writing — seeding $5 rows; list at ${LIST_RATE}/s alone (${READ_DUR}s), then beside the delete load"
    pg_seed "$5"
    start_gateway "$WORK/pg.yaml" "$WORK/$name.log" || die "gateway did not start"
    warm_up "$BASE_URL" pg
    read_while_writing "$name" pg "$2" "$3" "$6"
    stop_gateway
    after=$(pg_count)
    ps=$(pg_psql -c "SELECT $(present_sql "$(kv "$RW_DEL" ranges)")")
    pl=$(pg_psql -c "SELECT $(present_sql "$(kv "$RW_DEL" lost | sed 's/^none$//')")")
    if v=$(verify_counts "$5" "$after" "$RW_DEL" "$ps" "$pl"); then :; else FAILURES=$((FAILURES + 1)); fi
    rw_summary "Postgres $4" "$v"
}
