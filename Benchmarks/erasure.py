#!/usr/bin/env python3
"""Erasure at scale (issue 12): one user's eval runs erased from every tenant with ONE request, verified
against every tenant's file; and what the audit record costs a delete.

    python3 Benchmarks/erasure.py [--bin .build-bench/release/evalgw] [--tenants 1000] [--rows 1000]
        [--user-rows 10] [--duration 10] [--clients 16] [--baseline-bin PATH] [--keep] [--smoke]

Starts its own `evalgw serve` on a free 127.0.0.1 port, in a temporary directory (SQLite registry, no
declared database, an admin token, retention off, warnings only), then:

1. Tenants: T SQLite files, each a copy of one template holding R rows in Agno's schema (ids r00000…,
   created over the last year), U of them of user `u-1` and the others of users `u-2`…; each file is
   registered through the admin API (`PUT /admin/databases/t0000` …), timed (p50, p99).
2. Erasure: one `DELETE /eval-runs?db_id=*` with `{"filter":{"user_id":"u-1"}}` and
   `Prefer: return=representation`, timed end to end (the tenants are cold: no file is open before it).
   Verified: the answer is 200 with deleted = T x U and each tenant's part = U; then every file is read
   directly (sqlite3): no `u-1` row left, all R - U other rows present, and exactly one `evalgw_audit`
   record of kind `filter`, principal `bench-admin`, deleted = U, whose ids digest is the digest of the
   ids removed. The target is 10 s for 1,000 tenants.
3. Audit cost at B = 100: (a) SQLite's own limit without and with the audit record — one connection,
   WAL, synchronous=FULL, one transaction per delete of 100 fresh ids (`DELETE ... json_each(?)`), and
   the same with the gateway's `INSERT INTO evalgw_audit` in the same transaction — each for D seconds
   on a fresh copy of the same file; (b) the gateway (every delete audited) on one tenant with C clients
   on keep-alive connections, each deleting its own fresh ids, B = 100 per request, for D seconds; with
   --baseline-bin, the same load on a gateway build that writes no audit record (e.g. main before the
   audit trail), on a fresh copy of the same file, in the same run. Every run is verified against the file.

Reports the machine's load average before and after: the machine is shared, and absolute figures vary
between runs; ratios within one run are what to compare. The exit status is non-zero if anything did not
verify.
"""

import argparse
import hashlib
import http.client
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

ADMIN = "bench-admin-token"
SCHEMA = """
CREATE TABLE IF NOT EXISTS "agno_eval_runs" (
    run_id VARCHAR NOT NULL PRIMARY KEY,
    eval_type VARCHAR NOT NULL,
    eval_data JSON NOT NULL,
    eval_input JSON NOT NULL,
    name VARCHAR,
    agent_id VARCHAR,
    team_id VARCHAR,
    workflow_id VARCHAR,
    model_id VARCHAR,
    model_provider VARCHAR,
    evaluated_component_name VARCHAR,
    user_id VARCHAR,
    created_at BIGINT NOT NULL,
    updated_at BIGINT
);
CREATE INDEX IF NOT EXISTS "idx_agno_eval_runs_created_at" ON "agno_eval_runs" (created_at);
CREATE INDEX IF NOT EXISTS "idx_agno_eval_runs_user_id" ON "agno_eval_runs" (user_id);
"""
AUDIT_SCHEMA = """
CREATE TABLE IF NOT EXISTS evalgw_audit (
    id TEXT NOT NULL PRIMARY KEY, at INTEGER NOT NULL, principal TEXT NOT NULL, request_id TEXT, db_id TEXT NOT NULL,
    table_name TEXT, kind TEXT NOT NULL, ids_count INTEGER NOT NULL, ids_sha256 TEXT NOT NULL, filter TEXT,
    deleted INTEGER NOT NULL, ids TEXT
);
CREATE INDEX IF NOT EXISTS idx_evalgw_audit_at ON evalgw_audit (at, id);
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_average():
    with open("/proc/loadavg") as handle:
        return " ".join(handle.read().split()[:3])


class Client:
    """One keep-alive HTTP/1.1 connection to the gateway."""

    def __init__(self, port, timeout=600):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method, path, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        sent = {"Authorization": f"Bearer {ADMIN}", **(headers or {})}
        if data is not None:
            sent["Content-Type"] = "application/json"
        self.connection.request(method, path, body=data, headers=sent)
        response = self.connection.getresponse()
        payload = response.read()
        return response.status, dict(response.getheaders()), (json.loads(payload) if payload else {})


def user_of(index, rows, user_rows):
    """The user of row `index`: `u-1` for `user_rows` rows spread through the table, others round-robin."""
    step = rows // user_rows
    if index % step == 0 and index // step < user_rows:
        return "u-1"
    return f"u-{2 + index % 7}"


def make_template(path, rows, user_rows, prefix="r", width=5):
    connection = sqlite3.connect(path)
    connection.executescript("PRAGMA journal_mode=WAL;" + SCHEMA)
    now = int(time.time())
    connection.executemany(
        "INSERT INTO agno_eval_runs (run_id, eval_type, eval_data, eval_input, name, agent_id, user_id, created_at, updated_at) "
        "VALUES (?, 'accuracy', '{\"score\":1}', '{}', ?, 'agent-1', ?, ?, ?)",
        [(f"{prefix}{index:0{width}d}", f"run {index}", user_of(index, rows, user_rows), now - index * 30_000, now - index * 30_000)
         for index in range(rows)],
    )
    connection.commit()
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def start_gateway(binary, directory, name, extra=""):
    port = free_port()
    config = os.path.join(directory, f"{name}.yaml")
    with open(config, "w") as handle:
        handle.write(f"""
server: {{ host: 127.0.0.1, port: {port} }}
registry: {{ adapter: sqlite, path: {directory}/{name}-registry.sqlite }}
databases: []
auth:
  tokens:
    - {{ name: bench-admin, token: {ADMIN}, scopes: [admin] }}
batch: {{ enabled: false }}
logging: {{ level: warning }}
{extra}
""")
    log = open(os.path.join(directory, f"{name}.log"), "w")
    process = subprocess.Popen([os.path.abspath(binary), "serve", "--config", config], stdout=log, stderr=subprocess.STDOUT, cwd=directory)
    deadline = time.time() + 60
    while True:
        try:
            Client(port).request("GET", "/health")
            return process, port, log
        except OSError:
            if process.poll() is not None or time.time() > deadline:
                raise SystemExit(f"evalgw ({binary}) did not start: " + open(os.path.join(directory, f"{name}.log")).read())
            time.sleep(0.1)


def stop_gateway(process, log):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * (len(ordered) - 1)))] if ordered else 0


def digest(ids):
    hasher = hashlib.sha256()
    for value in sorted(set(ids), key=lambda text: text.encode()):
        hasher.update(value.encode() + b"\0")
    return hasher.hexdigest()


# --- 1 and 2: tenants and the erasure --------------------------------------------------------------

def erasure(args, directory):
    template = os.path.join(directory, "template.sqlite")
    make_template(template, args.rows, args.user_rows)
    began = time.perf_counter()
    paths = []
    for number in range(args.tenants):
        path = os.path.join(directory, "tenants", f"t{number:04d}.sqlite")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        shutil.copyfile(template, path)
        paths.append(path)
    print(f"{args.tenants} tenant files of {args.rows} rows ({args.user_rows} of u-1) made in {time.perf_counter() - began:.1f} s", flush=True)

    process, port, log = start_gateway(args.bin, directory, "erasure")
    ok = True
    try:
        client = Client(port)
        timings = []
        for number, path in enumerate(paths):
            started = time.perf_counter()
            status, _, body = client.request("PUT", f"/admin/databases/t{number:04d}", {"adapter": "sqlite", "options": {"path": path}})
            timings.append(time.perf_counter() - started)
            if status != 201:
                raise SystemExit(f"registering t{number:04d}: {status} {body}")
        print(f"registered through the admin API: p50 {percentile(timings, 0.5) * 1000:.1f} ms, "
              f"p99 {percentile(timings, 0.99) * 1000:.1f} ms, {sum(timings):.1f} s in all", flush=True)

        load_before = load_average()
        started = time.perf_counter()
        status, headers, body = client.request(
            "DELETE", "/eval-runs?db_id=*", {"filter": {"user_id": "u-1"}}, {"Prefer": "return=representation", "X-Request-Id": "bench-erasure"}
        )
        elapsed = time.perf_counter() - started
        load_after = load_average()

        expected = args.tenants * args.user_rows
        parts = body.get("databases", {})
        answer_ok = status == 200 and body.get("deleted") == expected and len(parts) == args.tenants \
            and all(part == {"deleted": args.user_rows} for part in parts.values())
        if not answer_ok:
            failed = {key: value for key, value in parts.items() if value != {"deleted": args.user_rows}}
            print(f"  answer: {status}, deleted {body.get('deleted')}, unexpected parts: {dict(list(failed.items())[:5])}")

        # Every file, read directly.
        removed = [f"r{index:05d}" for index in range(args.rows) if user_of(index, args.rows, args.user_rows) == "u-1"]
        bad = []
        audited = 0
        for number, path in enumerate(paths):
            connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            left_u1 = connection.execute("SELECT COUNT(*) FROM agno_eval_runs WHERE user_id = 'u-1'").fetchone()[0]
            others = connection.execute("SELECT COUNT(*) FROM agno_eval_runs WHERE user_id IS NOT 'u-1'").fetchone()[0]
            records = connection.execute(
                "SELECT kind, principal, request_id, db_id, deleted, ids_count, ids_sha256 FROM evalgw_audit"
            ).fetchall()
            connection.close()
            good_record = len(records) == 1 and records[0] == (
                "filter", "bench-admin", "bench-erasure", f"t{number:04d}", args.user_rows, args.user_rows, digest(removed)
            )
            audited += len(records)
            if left_u1 != 0 or others != args.rows - args.user_rows or not good_record:
                bad.append((number, left_u1, others, records[:2]))
        files_ok = not bad
        verified = answer_ok and files_ok and audited == args.tenants
        ok = verified
        print(f"\nErasure: DELETE /eval-runs?db_id=* {{\"filter\":{{\"user_id\":\"u-1\"}}}} over {args.tenants} SQLite tenants "
              f"({args.user_rows} of {args.rows} rows each): {status} in {elapsed:.2f} s end to end; "
              f"deleted {body.get('deleted')}; {audited} audit records; "
              f"{'VERIFIED' if verified else 'MISMATCH'} (target <= 10 s for 1,000 tenants)", flush=True)
        print(f"  load average before {load_before}, after {load_after}; {os.cpu_count()} cores", flush=True)
        if bad:
            print(f"  files that did not verify: {len(bad)}, e.g. {bad[:3]}")
        return ok, elapsed
    finally:
        stop_gateway(process, log)


# --- 3: the cost of the audit record -------------------------------------------------------------

def ids_for(start, count, prefix="e", width=9):
    return [f"{prefix}{number:0{width}d}" for number in range(start, start + count)]


def limit_loop(path, batch, seconds, audit):
    """SQLite's own limit: one connection, one transaction per delete of `batch` fresh ids, with or
    without the audit record the gateway writes in the same transaction."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.executescript(AUDIT_SCHEMA)
    before = connection.execute("SELECT COUNT(*) FROM agno_eval_runs").fetchone()[0]
    deleted = 0
    transactions = 0
    next_id = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds and next_id + batch <= before:
        ids = ids_for(next_id, batch)
        next_id += batch
        connection.execute("BEGIN IMMEDIATE")
        changed = connection.execute(
            "DELETE FROM agno_eval_runs WHERE run_id IN (SELECT value FROM json_each(?))", (json.dumps(ids),)
        ).rowcount
        if audit:
            connection.execute(
                "INSERT INTO evalgw_audit (id, at, principal, request_id, db_id, table_name, kind, ids_count, ids_sha256, filter, deleted, ids) "
                "VALUES (?, ?, 'bench', ?, 'bench', 'agno_eval_runs', 'ids', ?, ?, NULL, ?, NULL)",
                (f"{time.time_ns():x}-{transactions}", int(time.time() * 1000), f"request-{transactions}", len(ids), digest(ids), changed),
            )
        connection.execute("COMMIT")
        deleted += changed
        transactions += 1
    elapsed = time.perf_counter() - started
    after = connection.execute("SELECT COUNT(*) FROM agno_eval_runs").fetchone()[0]
    records = connection.execute("SELECT COUNT(*) FROM evalgw_audit").fetchone()[0]
    connection.close()
    verified = before - after == deleted == transactions * batch and records == (transactions if audit else 0)
    return transactions / elapsed, verified


def gateway_load(binary, directory, name, template, batch, clients, seconds, audited):
    """C clients, each on its own keep-alive connection and its own id range, deleting B fresh ids per
    request from one tenant for D seconds. Verified against the file (and its audit records)."""
    path = os.path.join(directory, f"{name}.sqlite")
    shutil.copyfile(template, path)
    process, port, log = start_gateway(binary, directory, name)
    try:
        status, _, body = Client(port).request("PUT", "/admin/databases/load", {"adapter": "sqlite", "options": {"path": path}})
        if status != 201:
            raise SystemExit(f"{name}: registering the tenant: {status} {body}")
        total = sqlite3.connect(f"file:{path}?mode=ro", uri=True).execute("SELECT COUNT(*) FROM agno_eval_runs").fetchone()[0]
        span = total // clients
        counts = [0] * clients
        requests = [0] * clients
        errors = [0] * clients
        deadline = time.perf_counter() + seconds

        def worker(number):
            client = Client(port, timeout=60)
            start = number * span
            while time.perf_counter() < deadline and start + batch <= (number + 1) * span:
                status, headers, _ = client.request("DELETE", "/eval-runs?db_id=load", {"eval_run_ids": ids_for(start, batch)})
                start += batch
                requests[number] += 1
                if status == 204:
                    counts[number] += int(headers.get("X-Deleted-Count", "0"))
                else:
                    errors[number] += 1

        began = time.perf_counter()
        threads = [threading.Thread(target=worker, args=(number,)) for number in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        stop_gateway(process, log)
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    left = connection.execute("SELECT COUNT(*) FROM agno_eval_runs").fetchone()[0]
    try:
        records = connection.execute("SELECT COUNT(*), COALESCE(SUM(deleted), 0) FROM evalgw_audit").fetchone()
    except sqlite3.OperationalError:
        records = (0, 0)
    connection.close()
    answered = sum(requests)
    verified = sum(errors) == 0 and total - left == sum(counts) == answered * batch \
        and (records == (answered, sum(counts)) if audited else True)
    return answered / elapsed, verified, records


def audit_cost(args, directory):
    template = os.path.join(directory, "load-template.sqlite")
    rows = args.load_rows
    connection = sqlite3.connect(template)
    connection.executescript("PRAGMA journal_mode=WAL;" + SCHEMA)
    connection.executemany(
        "INSERT INTO agno_eval_runs (run_id, eval_type, eval_data, eval_input, created_at) VALUES (?, 'accuracy', '{\"score\":1}', '{}', ?)",
        [(f"e{number:09d}", 1_700_000_000 + number) for number in range(rows)],
    )
    connection.commit()
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    print(f"\nAudit cost at B = 100 ({rows} seeded rows, {args.duration:.0f} s per run; load average {load_average()}):", flush=True)
    results = []
    ok = True
    for label, audit in [("SQLite limit, no audit record", False), ("SQLite limit, with the audit record", True)]:
        path = os.path.join(directory, f"limit-{int(audit)}.sqlite")
        shutil.copyfile(template, path)
        rate, verified = limit_loop(path, 100, args.duration, audit)
        ok = ok and verified
        results.append((label, rate, verified))
        print(f"  {label}: {rate:,.0f} deletes/s {'VERIFIED' if verified else 'MISMATCH'}", flush=True)
    runs = [("gateway, every delete audited", args.bin, True)]
    if args.baseline_bin:
        runs.append((f"gateway without the audit record ({args.baseline_bin})", args.baseline_bin, False))
    for label, binary, audited in runs:
        rate, verified, records = gateway_load(binary, directory, f"load-{int(audited)}", template, 100, args.clients, args.duration, audited)
        ok = ok and verified
        results.append((label, rate, verified))
        print(f"  {label}, {args.clients} clients: {rate:,.0f} deletes/s ({records[0]} audit records) {'VERIFIED' if verified else 'MISMATCH'}", flush=True)
    limit_plain, limit_audit = results[0][1], results[1][1]
    print(f"  the audit record costs SQLite's own loop {100 * (1 - limit_audit / limit_plain):.1f} % of its deletes/s", flush=True)
    if args.baseline_bin:
        print(f"  the gateway with the audit record runs at {results[2][1] / results[3][1]:.2f}x the gateway without it", flush=True)
    print(f"  load average after: {load_average()}", flush=True)
    print("\n| B = 100 | deletes/s | verified |\n|---|---|---|")
    for label, rate, verified in results:
        print(f"| {label} | {rate:,.0f} | {'yes' if verified else 'NO'} |")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=os.environ.get("EVALGW_BIN", ".build-bench/release/evalgw"))
    parser.add_argument("--baseline-bin", help="a gateway build that writes no audit record, for the audit-cost comparison")
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--user-rows", type=int, default=10)
    parser.add_argument("--load-rows", type=int, default=400_000)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--smoke", action="store_true", help="20 tenants, 1 s runs: checks that everything verifies")
    args = parser.parse_args()
    if args.smoke:
        args.tenants, args.duration, args.load_rows = 20, 1, 40_000
    if not os.path.exists(args.bin):
        print(f"building {args.bin} …", flush=True)
        subprocess.run(["swift", "build", "-c", "release", "--scratch-path", ".build-bench", "--product", "evalgw"], check=True)
    directory = tempfile.mkdtemp(prefix="evalgw-erasure-")
    print(f"evalgw {args.bin}; {os.cpu_count()} cores; load average {load_average()}; work in {directory}", flush=True)
    try:
        erased, _ = erasure(args, directory)
        costed = audit_cost(args, directory)
    finally:
        if args.keep:
            print(f"kept {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)
    if not (erased and costed):
        sys.exit(1)


if __name__ == "__main__":
    main()
