#!/usr/bin/env python3
"""Faults under load: nothing acknowledged is lost when Postgres or the gateway is killed.

    python3 Benchmarks/faults.py --bin .build/release/evalgw [--rows 4000] [--clients 4] [--batch 1]

1. Postgres killed: a throwaway PostgreSQL cluster (initdb as the `postgres` user under a temporary
   directory, loopback only, a free port) behind `evalgw serve`. --clients threads delete disjoint ids,
   --batch per request, on keep-alive connections. After 2 s the server is stopped with `pg_ctl -m
   immediate` (a crash: no checkpoint, no goodbye to clients), and started again 3 s later. Checked: while
   it is down the gateway answers 503 with `Retry-After` (never another 5xx, never a hang); once it is
   back, every id the gateway acknowledged as deleted is absent from the table (read with psql before any
   retry); then the clients retry what was not acknowledged and the table ends empty. Reported: how long
   after the restart the first delete succeeded.
2. Gateway killed: the same load on an SQLite database; after 2 s the gateway gets SIGKILL. Checked: every
   id acknowledged as deleted is absent from the file (read with sqlite3's library), and every id not
   acknowledged is either present or was deleted by a request in flight (the answer was lost).

Exits non-zero if a check fails. Loopback only.
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message)
    if not condition:
        check.failed = True


check.failed = False


class Gateway:
    def __init__(self, binary, directory, database_yaml):
        self.port = free_port()
        self.config = os.path.join(directory, "gateway.yaml")
        self.log = open(os.path.join(directory, "gateway.log"), "a")
        with open(self.config, "w") as handle:
            handle.write(f"""
server: {{ host: 127.0.0.1, port: {self.port} }}
registry: {{ adapter: memory }}
databases:
  - {database_yaml}
logging: {{ level: warning }}
""")
        self.process = subprocess.Popen([binary, "serve", "--config", self.config], cwd=directory, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/health")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the gateway did not start")

    def request(self, method, path, body=None, connection=None):
        connection = connection or http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        data = json.dumps(body).encode() if body is not None else None
        connection.request(method, path, body=data, headers={"Content-Type": "application/json"} if data else {})
        response = connection.getresponse()
        payload = response.read()
        return response.status, response.headers, payload


def seed(gateway, db, rows):
    def worker(start):
        connection = http.client.HTTPConnection("127.0.0.1", gateway.port, timeout=30)
        for index in range(start, rows, 8):
            status, _, payload = gateway.request("POST", f"/eval-runs?db_id={db}",
                                                 {"id": f"r{index:06d}", "eval_type": "accuracy", "eval_data": {"score": index}}, connection)
            if status != 201:
                raise RuntimeError(f"seed: {status} {payload[:200]}")
    threads = [threading.Thread(target=worker, args=(start,)) for start in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


class Deleters:
    """--clients threads, each deleting its own ids in batches until told to stop."""

    def __init__(self, gateway, db, rows, clients, batch):
        self.gateway, self.db, self.batch = gateway, db, batch
        self.acknowledged, self.unanswered, self.statuses = set(), set(), {}
        self.first_success_after = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.pause_retries = threading.Event()
        self.bad = []
        self.threads = [threading.Thread(target=self.run, args=([f"r{i:06d}" for i in range(c, rows, clients)],)) for c in range(clients)]

    def run(self, ids):
        connection = None
        position = 0
        while position < len(ids) and not self.stop.is_set():
            chunk = ids[position:position + self.batch]
            try:
                connection = connection or http.client.HTTPConnection("127.0.0.1", self.gateway.port, timeout=30)
                status, headers, payload = self.gateway.request("DELETE", f"/eval-runs?db_id={self.db}", {"eval_run_ids": chunk}, connection)
            except (OSError, http.client.HTTPException):
                connection = None
                with self.lock:
                    self.unanswered.update(chunk)
                if self.stop.wait(0.05):
                    break
                continue
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1
                if status in (200, 204):
                    self.acknowledged.update(chunk)
                    self.unanswered.difference_update(chunk)
                    self.first_success_after.setdefault("t", time.monotonic())
                elif status == 503:
                    if "Retry-After" not in headers:
                        self.bad.append("503 without Retry-After")
                else:
                    self.bad.append(f"{status}: {payload[:200]!r}")
            if status in (200, 204):
                position += self.batch
            else:
                time.sleep(0.05)

    def start(self):
        for thread in self.threads:
            thread.start()

    def join(self):
        for thread in self.threads:
            thread.join()


def postgres_killed(arguments, directory):
    print("\n== Postgres killed under delete load")
    pg_bin = arguments.pg_bin
    data = os.path.join(directory, "pg")
    os.makedirs(data)
    shutil.chown(directory, "postgres", "postgres")
    shutil.chown(data, "postgres", "postgres")
    port = free_port()
    as_postgres = ["runuser", "-u", "postgres", "--"]
    subprocess.run(as_postgres + [f"{pg_bin}/initdb", "-D", f"{data}/data", "-U", "postgres", "--auth=trust", "-E", "UTF8"],
                   check=True, stdout=subprocess.DEVNULL)
    start = as_postgres + [f"{pg_bin}/pg_ctl", "-D", f"{data}/data", "-l", f"{data}/log", "-w", "-o",
                           f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=on"]
    subprocess.run(start + ["start"], check=True, stdout=subprocess.DEVNULL)
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    gateway = None
    try:
        gateway = Gateway(arguments.bin, directory, f'{{ id: pg, adapter: postgres, url: "{url}", pool_timeout_ms: 2000, connect_timeout_seconds: 2 }}')
        seed(gateway, "pg", arguments.rows)
        deleters = Deleters(gateway, "pg", arguments.rows, arguments.clients, arguments.batch)
        deleters.start()
        time.sleep(2)
        subprocess.run(as_postgres + [f"{pg_bin}/pg_ctl", "-D", f"{data}/data", "-m", "immediate", "stop"], check=True, stdout=subprocess.DEVNULL)
        killed_at = time.monotonic()
        time.sleep(3)
        with deleters.lock:
            acknowledged_at_kill = set(deleters.acknowledged)
            outage_statuses = dict(deleters.statuses)
        subprocess.run(start + ["start"], check=True, stdout=subprocess.DEVNULL)
        restarted_at = time.monotonic()
        deleters.first_success_after.clear()
        # Durability first: what was acknowledged before the crash is gone after recovery.
        present = subprocess.run(["psql", url, "-Atc", "SELECT run_id FROM ai.agno_eval_runs"], check=True, capture_output=True, text=True).stdout.split()
        lost = acknowledged_at_kill & set(present)
        check(not lost, f"every delete acknowledged before the crash is durable ({len(acknowledged_at_kill)} ids acknowledged, {len(lost)} back)")
        deleters.join()
        served_again = deleters.first_success_after.get("t")
        check(served_again is not None, "deletes succeed again after the restart"
              + (f" (first {served_again - restarted_at:.2f} s after the server accepted connections)" if served_again else ""))
        check(503 in deleters.statuses, f"503 while the server was down (answers: {deleters.statuses})")
        check(not deleters.bad, f"no answer other than 2xx and 503 with Retry-After ({deleters.bad[:3]})")
        left = int(subprocess.run(["psql", url, "-Atc", "SELECT count(*) FROM ai.agno_eval_runs"], check=True, capture_output=True, text=True).stdout)
        check(left == 0, f"every row deleted once the clients retried what was not acknowledged ({left} left)")
        print(f"      down {restarted_at - killed_at:.1f} s; answers before the restart: {outage_statuses}")
    finally:
        if gateway:
            gateway.process.terminate()
            gateway.process.wait(timeout=30)
        subprocess.run(as_postgres + [f"{pg_bin}/pg_ctl", "-D", f"{data}/data", "-m", "fast", "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def gateway_killed(arguments, directory):
    print("\n== Gateway killed (SIGKILL) under SQLite delete load")
    path = os.path.join(directory, "faults.sqlite")
    gateway = Gateway(arguments.bin, directory, f'{{ id: lite, adapter: sqlite, path: "{path}" }}')
    seed(gateway, "lite", arguments.rows)
    deleters = Deleters(gateway, "lite", arguments.rows, arguments.clients, arguments.batch)
    deleters.start()
    time.sleep(2)
    os.kill(gateway.process.pid, signal.SIGKILL)
    gateway.process.wait()
    deleters.stop.set()
    deleters.join()
    with sqlite3.connect(path) as connection:
        present = {row[0] for row in connection.execute("SELECT run_id FROM agno_eval_runs")}
    lost = deleters.acknowledged & present
    check(len(deleters.acknowledged) > 0, f"deletes were acknowledged before the kill ({len(deleters.acknowledged)} ids)")
    check(not lost, f"every acknowledged delete holds in the file after SIGKILL ({len(lost)} back)")
    expected_present = arguments.rows - len(deleters.acknowledged)
    in_flight = expected_present - len(present)
    check(0 <= in_flight <= arguments.clients * arguments.batch,
          f"rows not acknowledged are present, but for requests in flight at the kill ({in_flight} ids, at most {arguments.clients} x {arguments.batch})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=".build/release/evalgw")
    parser.add_argument("--pg-bin", default=sorted(d for d in (f"/usr/lib/postgresql/{v}/bin" for v in os.listdir("/usr/lib/postgresql")) if os.path.isdir(d))[-1]
                        if os.path.isdir("/usr/lib/postgresql") else "")
    parser.add_argument("--rows", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--only", choices=["postgres", "gateway"])
    parser.add_argument("--keep", action="store_true")
    arguments = parser.parse_args()
    arguments.bin = os.path.abspath(arguments.bin)
    directory = tempfile.mkdtemp(prefix="evalgw-faults-")
    os.chmod(directory, 0o755)
    try:
        if arguments.only in (None, "postgres"):
            postgres_killed(arguments, directory)
        if arguments.only in (None, "gateway"):
            gateway_killed(arguments, directory)
    finally:
        if not arguments.keep:
            shutil.rmtree(directory, ignore_errors=True)
        else:
            print("kept", directory)
    print("\nFAILED" if check.failed else "\nAll checks passed.")
    sys.exit(1 if check.failed else 0)


if __name__ == "__main__":
    main()
