#!/usr/bin/env python3
"""Batch-evaluation benchmark (issue 6): how long a 500-session job takes from Start to COMPLETED, and
how many concurrent Start/Stop/Delete requests per second the gateway sustains, per backend.

    python3 Benchmarks/batch_jobs.py --bin .build/release/evalgw [--postgres-url URL] \
        [--sessions 500] [--repeat 3] [--clients 16] [--duration 10] [--backends sqlite,memory,postgres]

Starts its own `evalgw serve` on a free 127.0.0.1 port, in a temporary directory, with jobs as fast as
the runner goes (min_job_seconds 0, session_delay_ms 0) and info logs off. Databases: `sqlite` (a file),
`memory`, and `postgres` (a fresh schema on --postgres-url, dropped afterwards) when a URL is given.

Job time: Start with N sessions that every evaluator can score (expected and actual trajectory, expected
and actual response), then GET every 10 ms until COMPLETED. Checked: every session completed and
N x evaluators eval runs written.

Churn: C client threads, each on its own keep-alive connection, loop for D seconds over
Start (one session) -> Stop -> Delete, retrying the Delete (after 5 ms) while the job is still
STOPPING (409). Reported: requests/s of all three kinds together and full cycles/s. Checked: no 5xx,
and afterwards none of the churned jobs is left.
"""

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

EVALUATORS = ["Builtin.TrajectoryExactOrderMatch", "Builtin.Correctness"]
BASE = "/evaluations/batch-evaluate"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """One keep-alive HTTP/1.1 connection to the gateway."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        payload = response.read()
        return response.status, (json.loads(payload) if payload else {})


def start_body(name, sessions):
    metadata = [
        {
            "sessionId": f"session-{index}",
            "metadata": {"actualToolNames": "search,book", "actualResponse": "Booked flight LH123"},
            "groundTruth": {
                "inline": {
                    "expectedTrajectory": {"toolNames": ["search", "book"]},
                    "turns": [{"input": {"prompt": "Book it"}, "expectedResponse": {"text": "Booked flight LH123"}}],
                }
            },
        }
        for index in range(sessions)
    ]
    return {
        "batchEvaluationName": name,
        "evaluators": [{"evaluatorId": evaluator} for evaluator in EVALUATORS],
        "dataSourceConfig": {"cloudWatchLogs": {"serviceNames": ["bench"], "logGroupNames": ["/bench"]}},
        "evaluationMetadata": {"sessionMetadata": metadata},
    }


def eval_run_count(client, db_id):
    status, body = client.request("GET", f"/eval-runs?db_id={db_id}&limit=1")
    assert status == 200, (status, body)
    return body["meta"]["total_count"]


def job_time(port, db_id, sessions, repeat):
    client = Client(port)
    times = []
    for round_ in range(repeat):
        before = eval_run_count(client, db_id)
        name = f"bench_{uuid.uuid4().hex[:10]}"
        began = time.perf_counter()
        status, started = client.request("POST", f"{BASE}?db_id={db_id}", start_body(name, sessions))
        assert status == 202, (status, started)
        job_id = urllib.parse.quote(started["batchEvaluationId"], safe="")
        while True:
            status, job = client.request("GET", f"{BASE}/{job_id}?db_id={db_id}")
            assert status == 200, (status, job)
            if job["status"] not in ("PENDING", "IN_PROGRESS"):
                break
            time.sleep(0.01)
        elapsed = time.perf_counter() - began
        results = job["evaluationResults"]
        written = eval_run_count(client, db_id) - before
        verified = (
            job["status"] == "COMPLETED"
            and results["numberOfSessionsCompleted"] == sessions
            and written == sessions * len(EVALUATORS)
        )
        times.append(elapsed)
        print(
            f"  {db_id:8} job {round_ + 1}: {sessions} sessions x {len(EVALUATORS)} evaluators -> {job['status']} in "
            f"{elapsed:.2f} s ({written} eval runs) {'VERIFIED' if verified else 'MISMATCH'}",
            flush=True,
        )
        if not verified:
            raise SystemExit(f"job {job_id} did not verify: {json.dumps(results)}")
    return times


def churn(port, db_id, clients, duration):
    counts = {"start": 0, "stop": 0, "delete": 0, "delete_409": 0, "stop_409": 0, "cycles": 0, "5xx": 0, "other": 0}
    lock = threading.Lock()
    created = []
    deadline = time.perf_counter() + duration

    def worker(number):
        client = Client(port)
        local = dict.fromkeys(counts, 0)
        mine = []
        while time.perf_counter() < deadline:
            name = f"churn_{number}_{uuid.uuid4().hex[:10]}"
            status, started = client.request("POST", f"{BASE}?db_id={db_id}", start_body(name, 1))
            local["start"] += 1
            if status != 202:
                local["5xx" if status >= 500 else "other"] += 1
                continue
            job_id = urllib.parse.quote(started["batchEvaluationId"], safe="")
            mine.append(started["batchEvaluationId"])
            status, _ = client.request("POST", f"{BASE}/{job_id}/stop?db_id={db_id}")
            local["stop"] += 1
            if status == 409:  # the runner finished it first
                local["stop_409"] += 1
            elif status != 202:
                local["5xx" if status >= 500 else "other"] += 1
            while True:
                status, _ = client.request("DELETE", f"{BASE}/{job_id}?db_id={db_id}")
                local["delete"] += 1
                if status == 202:
                    local["cycles"] += 1
                    break
                if status == 409:  # still STOPPING: the runner has not seen the stop yet
                    local["delete_409"] += 1
                    time.sleep(0.005)
                    continue
                local["5xx" if status >= 500 else "other"] += 1
                break
        with lock:
            for key, value in local.items():
                counts[key] += value
            created.extend(mine)

    began = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    requests = counts["start"] + counts["stop"] + counts["delete"]

    # Check: none of the churned jobs is left.
    client = Client(port)
    left = 0
    for job_id in created:
        status, _ = client.request("GET", f"{BASE}/{urllib.parse.quote(job_id, safe='')}?db_id={db_id}")
        left += status == 200
    verified = counts["5xx"] == 0 and counts["other"] == 0 and left == 0
    print(
        f"  {db_id:8} churn: {clients} clients, {elapsed:.1f} s: {requests / elapsed:,.0f} req/s "
        f"({counts['cycles'] / elapsed:,.0f} start/stop/delete cycles/s; start {counts['start']}, stop {counts['stop']} "
        f"[{counts['stop_409']} already finished], delete {counts['delete']} [{counts['delete_409']} still stopping]; "
        f"5xx {counts['5xx']}, other {counts['other']}, jobs left {left}) {'VERIFIED' if verified else 'MISMATCH'}",
        flush=True,
    )
    if not verified:
        raise SystemExit("churn did not verify")
    return requests / elapsed, counts["cycles"] / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=os.environ.get("EVALGW_BIN", ".build/release/evalgw"))
    parser.add_argument("--postgres-url", default=os.environ.get("EVALGW_BENCH_POSTGRES_URL"))
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--backends", default="sqlite,memory,postgres")
    args = parser.parse_args()

    backends = [name for name in args.backends.split(",") if name]
    if "postgres" in backends and not args.postgres_url:
        print("batch_jobs: no --postgres-url: skipping postgres", file=sys.stderr)
        backends.remove("postgres")
    directory = tempfile.mkdtemp(prefix="evalgw-batch-bench-")
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    port = free_port()
    databases = f"""
  - {{ id: sqlite, adapter: sqlite, path: {directory}/bench.sqlite }}
  - {{ id: memory, adapter: memory }}
"""
    if "postgres" in backends:
        databases += f'  - {{ id: postgres, adapter: postgres, url: "{args.postgres_url}", schema: {schema}, max_connections: 16 }}\n'
    config = os.path.join(directory, "gateway.yaml")
    with open(config, "w") as handle:
        handle.write(f"""
server: {{ host: 127.0.0.1, port: {port} }}
databases:{databases}
batch: {{ min_job_seconds: 0, session_delay_ms: 0, poll_interval_ms: 20, max_concurrent_jobs: 4 }}
logging: {{ level: warning }}
""")
    log = open(os.path.join(directory, "gateway.log"), "w")
    process = subprocess.Popen([os.path.abspath(args.bin), "serve", "--config", config], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 30
        while True:
            try:
                Client(port).request("GET", "/health")
                break
            except OSError:
                if process.poll() is not None or time.time() > deadline:
                    raise SystemExit("evalgw did not start: " + open(os.path.join(directory, "gateway.log")).read())
                time.sleep(0.1)
        print(f"evalgw {args.bin} on 127.0.0.1:{port}; {os.cpu_count()} cores", flush=True)
        summary = []
        for db_id in backends:
            times = job_time(port, db_id, args.sessions, args.repeat)
            rate, cycles = churn(port, db_id, args.clients, args.duration)
            summary.append((db_id, min(times), sorted(times)[len(times) // 2], rate, cycles))
        print(f"\n| backend | {args.sessions}-session job, best | median | Start/Stop/Delete req/s ({args.clients} clients) | cycles/s |")
        print("|---|---|---|---|---|")
        for db_id, best, median, rate, cycles in summary:
            print(f"| {db_id} | {best:.2f} s | {median:.2f} s | {rate:,.0f} | {cycles:,.0f} |")
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        if "postgres" in backends:
            subprocess.run(
                ["psql", args.postgres_url, "-qc", f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'],
                check=False, env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"},
            )
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
