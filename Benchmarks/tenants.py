#!/usr/bin/env python3
"""Tenants at scale (issue 11): a gateway with 10,000 databases registered through the admin API.

    python3 Benchmarks/tenants.py --bin .build/release/evalgw [--tenants 10000] [--postgres-tenants 0]
        [--postgres-url URL] [--cold 200] [--puts-timed 1000] [--idle-seconds 20]

Starts `evalgw serve` (release build) on a free 127.0.0.1 port in a temporary directory, with an SQLite
registry, one admin token, metrics on and the request log at info, as a deployment would run. Then:

1. PUT latency: registers --tenants databases through `PUT /admin/databases/{db_id}` on one keep-alive
   connection (SQLite files under the temporary directory; with --postgres-url, --postgres-tenants of them
   are Postgres schemas on that server). p50/p99 of every PUT.
2. Start-up: stops the gateway and starts it again over the same registry: time from exec to the first
   `/health` answer, and to the registry being applied (a `GET /admin/databases?limit=1` that reports
   every tenant).
3. Idle cost: waits --idle-seconds, then samples the gateway's RSS and CPU time (/proc) over another
   --idle-seconds: idle CPU as % of one core; the size of `/metrics`.
4. Cold first request: `GET /eval-runs?db_id=…` to --cold SQLite tenants never used before (the file is
   created and opened on that request): p50/p99/max.
5. Idle close: those tenants were registered with `idle_timeout_seconds: 5`; after 8 s, the number of
   SQLite files the gateway still holds open (/proc/PID/fd).
6. With --postgres-url: fleet propagation. Two gateways on one Postgres registry (a fresh schema): a PUT on
   one until the other serves the database, and a token revoked on one until the other refuses it;
   p50/p99/max over --fleet-rounds rounds.

Every step is checked (status codes, counts); the script exits non-zero if a check fails. Report the
machine's load average beside the figures: this 2-core machine is shared.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

ADMIN = "bench-admin-" + uuid.uuid4().hex
HEADERS = {"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/json"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[index]


class Client:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, port, token=ADMIN):
        self.port = port
        self.headers = dict(HEADERS, Authorization=f"Bearer {token}")
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        try:
            self.connection.request(method, path, body=data, headers=self.headers)
            response = self.connection.getresponse()
        except (ConnectionError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.connection.request(method, path, body=data, headers=self.headers)
            response = self.connection.getresponse()
        payload = response.read()
        return response.status, payload


class Gateway:
    """An `evalgw serve` process."""

    def __init__(self, binary, directory, registry, port=None, name="gateway"):
        self.binary, self.directory, self.port = binary, directory, port or free_port()
        self.config = os.path.join(directory, f"{name}.yaml")
        self.log = os.path.join(directory, f"{name}.log")
        with open(self.config, "w") as handle:
            handle.write(f"""
server: {{ host: 127.0.0.1, port: {self.port} }}
registry: {registry}
databases: []
auth:
  tokens:
    - {{ name: admin, token: "{ADMIN}", scopes: [admin] }}
logging: {{ level: info }}
metrics: {{ enabled: true }}
""")
        self.process = None

    def start(self):
        """Starts the process; returns seconds until /health answered."""
        started = time.monotonic()
        self.process = subprocess.Popen([self.binary, "serve", "--config", self.config], cwd=self.directory,
                                        stdout=open(self.log, "a"), stderr=subprocess.STDOUT)
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                connection.request("GET", "/health")
                if connection.getresponse().status == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("the gateway exited: " + open(self.log).read()[-2000:])
            time.sleep(0.01)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def rss_mib(self):
        with open(f"/proc/{self.process.pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024

    def cpu_seconds(self):
        with open(f"/proc/{self.process.pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def open_files(self, suffix):
        count = 0
        for fd in os.listdir(f"/proc/{self.process.pid}/fd"):
            try:
                if os.readlink(f"/proc/{self.process.pid}/fd/{fd}").endswith(suffix):
                    count += 1
            except OSError:
                pass
        return count


def check(condition, message):
    if not condition:
        print("CHECK FAILED:", message, file=sys.stderr)
        sys.exit(1)


def tenant_body(index, directory, postgres_url, postgres_tenants, schema_prefix):
    if index < postgres_tenants:
        return {"adapter": "postgres", "options": {"url": postgres_url, "schema": f"{schema_prefix}_{index}", "max_connections": 2,
                                                   "idle_timeout_seconds": 5}}
    return {"adapter": "sqlite", "options": {"path": os.path.join(directory, "tenants", f"t{index}.sqlite"), "idle_timeout_seconds": 5}}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=".build/release/evalgw")
    parser.add_argument("--tenants", type=int, default=10_000)
    parser.add_argument("--postgres-url")
    parser.add_argument("--postgres-tenants", type=int, default=0)
    parser.add_argument("--cold", type=int, default=200)
    parser.add_argument("--idle-seconds", type=float, default=20)
    parser.add_argument("--fleet-rounds", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    arguments = parser.parse_args()
    binary = os.path.abspath(arguments.bin)
    directory = tempfile.mkdtemp(prefix="evalgw-tenants-")
    schema_prefix = "bench_" + uuid.uuid4().hex[:8]
    results = {"load_average_start": os.getloadavg()[0], "tenants": arguments.tenants, "postgres_tenants": arguments.postgres_tenants}
    registry = "{ adapter: sqlite, path: ./registry.sqlite }"
    gateway = Gateway(binary, directory, registry)
    try:
        # 1. PUT latency.
        gateway.start()
        client = Client(gateway.port)
        puts = []
        for index in range(arguments.tenants):
            body = tenant_body(index, directory, arguments.postgres_url, arguments.postgres_tenants if arguments.postgres_url else 0, schema_prefix)
            started = time.perf_counter()
            status, payload = client.request("PUT", f"/admin/databases/t{index}", body)
            puts.append(time.perf_counter() - started)
            check(status == 201, f"PUT t{index}: {status} {payload[:200]}")
        results["put_ms_p50"] = percentile(puts, 0.5) * 1000
        results["put_ms_p99"] = percentile(puts, 0.99) * 1000
        check(not os.path.exists(os.path.join(directory, "tenants")), "registering opened no SQLite file")
        gateway.stop()

        # 2. Start-up over the full registry.
        results["startup_s"] = gateway.start()
        client = Client(gateway.port)
        status, payload = client.request("GET", "/admin/databases?limit=1")
        check(status == 200 and json.loads(payload)["meta"]["total_count"] == arguments.tenants, f"after restart: {payload[:200]}")

        # 3. Idle cost.
        time.sleep(arguments.idle_seconds)
        cpu_before, wall_before = gateway.cpu_seconds(), time.monotonic()
        time.sleep(arguments.idle_seconds)
        results["idle_cpu_percent_of_a_core"] = 100 * (gateway.cpu_seconds() - cpu_before) / (time.monotonic() - wall_before)
        results["idle_rss_mib"] = gateway.rss_mib()
        status, metrics = client.request("GET", "/metrics")
        check(status == 200, "/metrics")
        results["metrics_bytes_idle"] = len(metrics)
        results["metrics_series_idle"] = sum(1 for line in metrics.decode().splitlines() if line and not line.startswith("#"))

        # 4. Cold first requests to SQLite tenants.
        postgres_count = arguments.postgres_tenants if arguments.postgres_url else 0
        cold_ids = random.sample(range(postgres_count, arguments.tenants), min(arguments.cold, arguments.tenants - postgres_count))
        cold = []
        for index in cold_ids:
            started = time.perf_counter()
            status, payload = client.request("GET", f"/eval-runs?db_id=t{index}")
            cold.append(time.perf_counter() - started)
            check(status == 200, f"cold GET t{index}: {status} {payload[:200]}")
        results["cold_first_request_ms_p50"] = percentile(cold, 0.5) * 1000
        results["cold_first_request_ms_p99"] = percentile(cold, 0.99) * 1000
        results["cold_first_request_ms_max"] = max(cold) * 1000
        results["sqlite_files_open_after_cold"] = gateway.open_files(".sqlite")
        status, metrics = client.request("GET", "/metrics")
        results["metrics_bytes_after_cold"] = len(metrics)
        results["rss_mib_after_cold"] = gateway.rss_mib()

        # 5. Idle close.
        time.sleep(8)
        results["sqlite_files_open_after_idle_close"] = gateway.open_files(".sqlite")
        gateway.stop()

        # 6. Fleet propagation.
        if arguments.postgres_url:
            registry_schema = "evalgw_bench_" + uuid.uuid4().hex[:8]
            fleet_registry = f'{{ adapter: postgres, url: "{arguments.postgres_url}", schema: {registry_schema} }}'
            first = Gateway(binary, directory, fleet_registry, name="fleet-1")
            second = Gateway(binary, directory, fleet_registry, name="fleet-2")
            first.start()
            second.start()
            try:
                one, two = Client(first.port), Client(second.port)
                puts_seen, revokes_seen = [], []
                for lap in range(arguments.fleet_rounds):
                    status, _ = one.request("PUT", f"/admin/databases/fleet-{lap}", {"adapter": "memory"})
                    check(status == 201, "fleet PUT")
                    started = time.perf_counter()
                    while two.request("GET", f"/eval-runs?db_id=fleet-{lap}")[0] != 200:
                        check(time.perf_counter() - started < 30, "propagation within 30 s")
                        time.sleep(0.002)
                    puts_seen.append(time.perf_counter() - started)
                    status, payload = one.request("PUT", f"/admin/tokens/fleet-{lap}", {"scopes": ["evals:read"]})
                    secret = json.loads(payload)["token"]
                    reader = Client(second.port, token=secret)
                    while reader.request("GET", f"/eval-runs?db_id=fleet-{lap}")[0] != 200:
                        time.sleep(0.002)
                    one.request("DELETE", f"/admin/tokens/fleet-{lap}")
                    started = time.perf_counter()
                    while reader.request("GET", f"/eval-runs?db_id=fleet-{lap}")[0] != 401:
                        check(time.perf_counter() - started < 30, "revocation within 30 s")
                        time.sleep(0.002)
                    revokes_seen.append(time.perf_counter() - started)
                results["fleet_put_seen_ms_p50"] = percentile(puts_seen, 0.5) * 1000
                results["fleet_put_seen_ms_p99"] = percentile(puts_seen, 0.99) * 1000
                results["fleet_put_seen_ms_max"] = max(puts_seen) * 1000
                results["fleet_revoke_seen_ms_p50"] = percentile(revokes_seen, 0.5) * 1000
                results["fleet_revoke_seen_ms_max"] = max(revokes_seen) * 1000
            finally:
                first.stop()
                second.stop()
                subprocess.run(["psql", arguments.postgres_url, "-q", "-c", f"DROP SCHEMA IF EXISTS {registry_schema} CASCADE"], check=False)
        results["load_average_end"] = os.getloadavg()[0]
        print(json.dumps({key: round(value, 2) if isinstance(value, float) else value for key, value in results.items()}, indent=2))
    finally:
        gateway.stop()
        if arguments.postgres_url and arguments.postgres_tenants:
            drops = ";".join(f"DROP SCHEMA IF EXISTS {schema_prefix}_{index} CASCADE" for index in range(arguments.postgres_tenants))
            subprocess.run(["psql", arguments.postgres_url, "-q"], input=drops, text=True, check=False)
        if not arguments.keep:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
