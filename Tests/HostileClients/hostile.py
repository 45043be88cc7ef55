#!/usr/bin/env python3
"""A hostile client against a real `evalgw serve`.

Starts the built gateway with four databases — `attacker` (SQLite, the attacker's own), `victim-sqlite`
(SQLite), `victim-memory` (memory), `victim-pg` (Postgres, a fresh schema on EVALGW_TEST_POSTGRES_URL)
— plus `down-pg`, a Postgres database whose server is not there, and scoped bearer tokens. Seeds canary
eval runs and batch jobs in the victims with an admin token, then throws generated hostile requests at
every route of both surfaces with the attacker's tokens (and none): injection strings in every
parameter, malformed bodies, malformed HTTP framing on raw sockets, slow-drip sockets, cross-tenant
attempts, forged `nextToken` cursors. It checks, request by request and at the end:

- no 5xx other than 503 from `down-pg`, the backend that really is down;
- no SQL or driver text in any error body (text the request itself carried is not counted; a success
  body holds only what clients stored);
- the gateway alive throughout (`/health` polled on its own thread; the process never exits);
- a database outside the token's set answered exactly as an unknown one, on every route;
- forged, altered, truncated, re-encoded and other-database cursors refused with 400;
- malformed framing answered 400/431 with an error body; slow-drip sockets dropped;
- the canary rows and jobs intact, byte for byte;
- no 5xx in the gateway's request metrics, and none in its request log but 503s from `down-pg`.

Usage: hostile.py --bin .build/debug/evalgw [--requests 1200] [--seed N] [--postgres-url URL]
Exit status 0 when every check held; the first problems are printed otherwise.
"""

import argparse
import base64
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

ADMIN = "hostile-admin-" + uuid.uuid4().hex
ATTACKER = "hostile-attacker-" + uuid.uuid4().hex  # read/write/delete on attacker and down-pg
READER = "hostile-reader-" + uuid.uuid4().hex  # read on victim-memory only
VICTIMS = ["victim-sqlite", "victim-memory", "victim-pg"]
READ_TIMEOUT_SECONDS = 2

# Driver and SQL phrases that must never reach a client (unless the request itself carried them).
DRIVER_MARKERS = [
    "syntax error", "sqlite", "libpq", "sqlstate", "no such table", "no such column", "unrecognized token",
    "near \"", "error:  ", "detail:  ", "hint:  ", "relation \"", "column \"", "violates", "duplicate key",
    "invalid input syntax", "could not connect", "connection refused", "server closed the connection",
    "unterminated", "operator does not exist", "pg_catalog", "json_each", "evalgw_batch_evaluations",
    "select ", "insert into", "delete from", " where ", "returning ", "agno_eval_runs",
]

INJECTIONS = [
    "' OR '1'='1", "' OR 1=1 --", "\"; DROP TABLE agno_eval_runs; --", "1; SELECT pg_sleep(3)--",
    "' UNION SELECT run_id, eval_data FROM agno_eval_runs --", "x' AND (SELECT 1 FROM pg_catalog.pg_user) --",
    "agno_eval_runs", "ai.agno_eval_runs", "public.agno_eval_runs", "main.agno_eval_runs", "sqlite_master",
    "evalgw_batch_evaluations", "../../../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%00", "\x00", "a\x00b",
    "${jndi:ldap://127.0.0.1/x}", "{{7*7}}", "$(id)", "`id`", "*", "victim-sqlite,victim-pg", "VICTIM-PG",
    "victim-pg ", " victim-pg", "victim-pg\u200b", "victim\u2010pg", "caf\u00e9", "cafe\u0301",
    "\u202eevil", "\U0001f600", "\\", "\"", "'", "--", "/*", "*/", ";", "%", "_", "%25", "+", "&", "=", "#",
    "?", "NaN", "-1", "0", "99999999999999999999999", "1e309", "null", "true", "[]", "{}", "",
    " ", "\t", "\r\n", "A" * 4096, "é" * 300, "%ff%fe", "\udcff",
]

GET_ROUTES = ["/eval-runs", "/eval-runs/{id}", "/evaluations/batch-evaluate", "/evaluations/batch-evaluate/{job}"]
LIST_FILTERS = ["agent_id", "team_id", "workflow_id", "model_id", "type", "eval_types", "limit", "page", "sort_by", "sort_order"]


class Problems:
    """Violations found, printed at the end (the first ones in full)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.items = []

    def add(self, what):
        with self.lock:
            self.items.append(what)


PROBLEMS = Problems()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gateway:
    """A running `evalgw serve` with the hostile-run configuration."""

    def __init__(self, binary, postgres_url):
        self.directory = tempfile.mkdtemp(prefix="evalgw-hostile-")
        self.port = free_port()
        self.schema = "hostile_" + uuid.uuid4().hex[:12]
        config = os.path.join(self.directory, "gateway.yaml")
        with open(config, "w") as handle:
            handle.write(f"""
server: {{ host: 127.0.0.1, port: {self.port}, idle_timeout_seconds: 10, read_timeout_seconds: {READ_TIMEOUT_SECONDS} }}
databases:
  - {{ id: attacker, adapter: sqlite, path: {self.directory}/attacker.sqlite }}
  - {{ id: victim-sqlite, adapter: sqlite, path: {self.directory}/victim.sqlite }}
  - {{ id: victim-memory, adapter: memory }}
  - {{ id: victim-pg, adapter: postgres, url: "{postgres_url}", schema: {self.schema} }}
  - {{ id: down-pg, adapter: postgres, url: "postgresql://postgres@127.0.0.1:1/none?connect_timeout=1" }}
auth:
  tokens:
    - {{ name: admin, token: "{ADMIN}", scopes: [admin] }}
    - {{ name: attacker, token: "{ATTACKER}", scopes: [evals:read, evals:write, evals:delete], databases: [attacker, down-pg] }}
    - {{ name: reader, token: "{READER}", scopes: [evals:read], databases: [victim-memory] }}
batch: {{ min_job_seconds: 1, session_delay_ms: 0, poll_interval_ms: 50 }}
metrics: {{ enabled: true }}
""")
        self.log_path = os.path.join(self.directory, "gateway.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([binary, "serve", "--config", config], stdout=self.log, stderr=subprocess.STDOUT, cwd=self.directory)
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=1)
                return
            except Exception:
                if self.process.poll() is not None or time.time() > deadline:
                    self.process.kill()
                    raise SystemExit("evalgw did not start:\n" + open(self.log_path).read())
                time.sleep(0.1)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class Client:
    """HTTP/1.1 requests to the gateway, one connection each, targets sent as given."""

    def __init__(self, port):
        self.port = port
        self.sent = 0
        self.lock = threading.Lock()

    def request(self, method, target, token=None, body=None, headers=None):
        headers = dict(headers or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8", "surrogatepass")
        if body is not None:
            headers.setdefault("Content-Type", "application/json")
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, target, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            with self.lock:
                self.sent += 1
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        finally:
            connection.close()


def query(**parameters):
    return "?" + "&".join(f"{key}={urllib.parse.quote(str(value), safe='', errors='surrogatepass')}" for key, value in parameters.items() if value is not None)


def segment(value):
    return urllib.parse.quote(value, safe="", errors="surrogatepass")


def check(description, request_text, status, body, down_allowed=False):
    """The checks every answer must pass."""
    if status >= 500 and not (status == 503 and down_allowed):
        PROBLEMS.add(f"{description}: {status} {body[:300]!r}")
    # A success body holds what clients stored (which includes earlier attacks' strings); an error body
    # holds only the gateway's own sentences and the request's own values.
    text = body.decode("utf-8", "replace").lower() if status >= 400 else ""
    carried = request_text.lower()
    for marker in DRIVER_MARKERS:
        if marker in text and marker not in carried:
            PROBLEMS.add(f"{description}: body contains driver/SQL text {marker!r}: {body[:300]!r}")
    if status >= 400:
        try:
            parsed = json.loads(body)
            if not isinstance(parsed, dict) or not ({"detail", "error_code"} <= parsed.keys() or {"__type", "message"} <= parsed.keys()):
                PROBLEMS.add(f"{description}: {status} without an error body: {body[:200]!r}")
        except ValueError:
            PROBLEMS.add(f"{description}: {status} without a JSON error body: {body[:200]!r}")


def send(client, description, method, target, token=ATTACKER, body=None, headers=None, down_allowed=False, expect=None):
    status, answer_headers, data = client.request(method, target, token=token, body=body, headers=headers)
    text = f"{method} {urllib.parse.unquote(target, errors='replace')} {body if isinstance(body, str) else json.dumps(body) if body is not None else ''}"
    check(description, text, status, data, down_allowed=down_allowed or "down-pg" in target)
    if expect is not None and status not in expect:
        PROBLEMS.add(f"{description}: expected {sorted(expect)}, got {status} {data[:200]!r}")
    return status, answer_headers, data


# --- Seeding (admin only, never used by the attacks) -----------------------------------------------

CANARIES = {}  # (db, id) -> JSON of GET
JOB_BODY = {
    "batchEvaluationName": "canary",
    "evaluators": [{"evaluatorId": "Builtin.Correctness"}],
    "dataSourceConfig": {"cloudWatchLogs": {"serviceNames": ["s"], "logGroupNames": ["l"], "filterConfig": {"sessionIds": ["s-1", "s-2"]}}},
}


def seed(client):
    for database in VICTIMS:
        for index in range(5):
            run_id = f"canary-{database}-{index}"
            body = {"id": run_id, "eval_type": "accuracy", "eval_data": {"score": index, "note": "canary"}, "agent_id": "agent-canary", "user_id": "user-canary", "name": f"canary {index}"}
            status, _, data = client.request("POST", "/eval-runs" + query(db_id=database), token=ADMIN, body=body)
            assert status == 201, f"seeding {run_id}: {status} {data!r}"
            CANARIES[(database, run_id)] = json.loads(data)
        for index in range(3):
            # No sessions: the runner writes no eval runs into the victims, so their tables hold exactly
            # the canaries.
            body = dict(JOB_BODY, batchEvaluationName=f"canary{index}", dataSourceConfig={"cloudWatchLogs": {"serviceNames": ["s"], "logGroupNames": ["l"]}})
            status, _, data = client.request("POST", "/evaluations/batch-evaluate" + query(db_id=database), token=ADMIN, body=body)
            assert status == 202, f"seeding a job in {database}: {status} {data!r}"
            job = json.loads(data)["batchEvaluationId"]
            CANARIES[(database, "job:" + job)] = job
    for index in range(3):
        body = dict(JOB_BODY, batchEvaluationName=f"attacker{index}")
        status, _, data = client.request("POST", "/evaluations/batch-evaluate" + query(db_id="attacker"), token=ATTACKER, body=body)
        assert status == 202, f"seeding the attacker's job: {status} {data!r}"


def victim_job(database):
    return next(value for (db, key), value in CANARIES.items() if db == database and key.startswith("job:"))


def verify_canaries(client):
    for (database, key), expected in CANARIES.items():
        if key.startswith("job:"):
            status, _, data = client.request("GET", f"/evaluations/batch-evaluate/{expected}" + query(db_id=database), token=ADMIN)
            if status != 200:
                PROBLEMS.add(f"canary job {expected} in {database} is gone: {status} {data[:200]!r}")
            continue
        status, _, data = client.request("GET", f"/eval-runs/{key}" + query(db_id=database), token=ADMIN)
        if status != 200 or json.loads(data) != expected:
            PROBLEMS.add(f"canary {key} in {database} changed: {status} {data[:300]!r}")
    for database in VICTIMS:
        status, _, data = client.request("GET", "/eval-runs" + query(db_id=database, limit=100), token=ADMIN)
        ids = sorted(run["id"] for run in json.loads(data)["data"])
        expected = sorted(key for (db, key) in CANARIES if db == database and not key.startswith("job:"))
        if ids != expected:
            PROBLEMS.add(f"{database} holds {ids}, expected exactly the canaries {expected}")


# --- Generated attacks ------------------------------------------------------------------------------

def injection_cases(rng, count):
    """`count` requests with an injection string in one parameter of one route."""
    cases = []
    for _ in range(count):
        value = rng.choice(INJECTIONS)
        kind = rng.randrange(11)
        db = rng.choice(["attacker", "attacker", "victim-pg", "victim-sqlite", "victim-memory", "nobody", "down-pg", None])
        if kind == 0:
            cases.append(("GET list db_id", "GET", "/eval-runs" + query(db_id=value), None))
        elif kind == 1:
            cases.append(("GET list table", "GET", "/eval-runs" + query(db_id=db or "attacker", table=value), None))
        elif kind == 2:
            name = rng.choice(LIST_FILTERS)
            cases.append((f"GET list {name}", "GET", "/eval-runs" + query(db_id="attacker", **{name: value}), None))
        elif kind == 3:
            cases.append(("GET run id", "GET", f"/eval-runs/{segment(value) or 'x'}" + query(db_id=db), None))
        elif kind == 4:
            ids = [value, rng.choice(list(k for (_, k) in CANARIES if not k.startswith("job:")))]
            cases.append(("DELETE ids", "DELETE", "/eval-runs" + query(db_id=db), {"eval_run_ids": ids}))
        elif kind == 5:
            cases.append(("PATCH name", "PATCH", f"/eval-runs/{segment(value) or 'x'}" + query(db_id=db), {"name": value}))
        elif kind == 6:
            field = rng.choice(["id", "agent_id", "model_id", "team_id", "user_id", "name", "eval_type", "eval_data", "eval_input", "created_at"])
            body = {"id": "attack-" + uuid.uuid4().hex[:8], "eval_type": "accuracy", "eval_data": {"x": 1}}
            body[field] = value
            cases.append((f"POST run {field}", "POST", "/eval-runs" + query(db_id=rng.choice(["attacker", db])), body))
        elif kind == 7:
            field = rng.choice(["batchEvaluationName", "description", "clientToken", "evaluators", "dataSourceConfig"])
            body = dict(JOB_BODY)
            body[field] = value
            cases.append((f"StartBatchEvaluation {field}", "POST", "/evaluations/batch-evaluate" + query(db_id=rng.choice(["attacker", db])), body))
        elif kind == 8:
            name = rng.choice(["maxResults", "nextToken", "db_id", "table"])
            parameters = {"db_id": "attacker"}
            parameters[name] = value
            cases.append((f"ListBatchEvaluations {name}", "GET", "/evaluations/batch-evaluate" + query(**parameters), None))
        elif kind == 9:
            method, suffix = rng.choice([("GET", ""), ("DELETE", ""), ("POST", "/stop")])
            cases.append((f"{method} job id{suffix}", method, f"/evaluations/batch-evaluate/{segment(value) or 'x'}{suffix}" + query(db_id=db), None))
        else:
            header = rng.choice(["X-Request-Id", "Prefer", "Content-Type", "Accept", "X-Amz-Date"])
            cases.append((f"header {header}", "GET", "/eval-runs" + query(db_id="attacker"), None, {header: value.encode("latin-1", "replace").decode("latin-1").replace("\r", "").replace("\n", "").replace("\x00", "")}))
    return cases


def malformed_bodies():
    bodies = [
        "{", "}", "[", "null", "true", "123", "\"text\"", "{\"eval_run_ids\":", "{\"eval_run_ids\":null}",
        "{\"eval_run_ids\":\"canary-victim-pg-0\"}", "{\"eval_run_ids\":[1,2,3]}", "{\"eval_run_ids\":[null]}",
        "{\"eval_run_ids\":[[\"a\"]]}", "{\"eval_run_ids\":[{\"$ne\":null}]}", "[" * 5000 + "]" * 5000,
        "{\"a\":" * 3000 + "1" + "}" * 3000, "\xff\xfe{}", "{\"name\":\"\\ud800\"}", "{\"eval_run_ids\":[\"a\"],\"eval_run_ids\":[\"b\"]}",
        "{\"eval_type\":\"accuracy\",\"eval_data\":{\"x\":1e999}}", "{\"eval_type\":\"accuracy\",\"eval_data\":[]}",
        "{\"filter\":{}}", "\x00\x00\x00", " " * 10000,
    ]
    cases = []
    for body in bodies:
        for method, target in [("DELETE", "/eval-runs?db_id=attacker"), ("POST", "/eval-runs?db_id=attacker"), ("PATCH", "/eval-runs/x?db_id=attacker"), ("POST", "/evaluations/batch-evaluate?db_id=attacker")]:
            cases.append((f"malformed body {method} {target}", method, target, body))
    return cases


def auth_cases():
    cases = []
    for header in ["", "Bearer", "Bearer ", "Bearer x", f"Bearer {ATTACKER}x", f"bearer {ATTACKER[:-1]}", "Basic YTpi", "AWS4-HMAC-SHA256 garbage",
                   "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/bedrock-agentcore/aws4_request, SignedHeaders=host, Signature=00",
                   f"Bearer {ADMIN[:10]}"]:
        for method, target in [("GET", "/eval-runs?db_id=victim-pg"), ("DELETE", "/eval-runs?db_id=victim-pg"), ("GET", "/evaluations/batch-evaluate?db_id=victim-pg")]:
            body = {"eval_run_ids": ["canary-victim-pg-0"]} if method == "DELETE" else None
            cases.append((f"auth {header[:20]!r} {method}", method, target, body, {"Authorization": header}, None))
    # The reader may read victim-memory but not change it.
    cases.append(("reader deletes", "DELETE", "/eval-runs?db_id=victim-memory", {"eval_run_ids": ["canary-victim-memory-0"]}, None, READER))
    cases.append(("reader renames", "PATCH", "/eval-runs/canary-victim-memory-1?db_id=victim-memory", {"name": "owned"}, None, READER))
    cases.append(("reader stops", "POST", f"/evaluations/batch-evaluate/{victim_job('victim-memory')}/stop?db_id=victim-memory", None, None, READER))
    return cases


def normalized(status, headers, body, db):
    text = body.decode("utf-8", "replace").replace(db, "<DB>").replace(segment(db), "<DB>")
    return status, headers.get("content-type"), headers.get("x-amzn-errortype"), text


def cross_tenant(client):
    """Every route, with the attacker's token, for each victim and for an unknown id of the same shape:
    the answers must be the same but for the id."""
    count = 0
    for victim in VICTIMS:
        unknown = "victim-" + "x" * (len(victim) - 7)
        job = victim_job(victim)
        canary = f"canary-{victim}-0"
        routes = [
            ("GET", "/eval-runs?db_id={db}", None),
            ("GET", "/eval-runs?db_id={db}&table=agno_eval_runs", None),
            ("GET", "/eval-runs?db_id={db}&table=no_such_table", None),
            ("GET", f"/eval-runs/{canary}?db_id={{db}}", None),
            ("DELETE", "/eval-runs?db_id={db}", {"eval_run_ids": [canary]}),
            ("PATCH", f"/eval-runs/{canary}?db_id={{db}}", {"name": "owned"}),
            ("POST", "/eval-runs?db_id={db}", {"eval_type": "accuracy", "eval_data": {}}),
            ("POST", "/evaluations/batch-evaluate?db_id={db}", JOB_BODY),
            ("GET", "/evaluations/batch-evaluate?db_id={db}", None),
            ("GET", f"/evaluations/batch-evaluate/{job}?db_id={{db}}", None),
            ("POST", f"/evaluations/batch-evaluate/{job}/stop?db_id={{db}}", None),
            ("DELETE", f"/evaluations/batch-evaluate/{job}?db_id={{db}}", None),
            ("GET", "/admin/databases/{db}", None),
            ("DELETE", "/admin/databases/{db}", None),
            ("PUT", "/admin/databases/{db}", {"adapter": "memory"}),
            # Fan-out: a victim in a list is the 404 of an unknown database, whatever its place.
            ("DELETE", "/eval-runs?db_id=attacker,{db}", {"filter": {"user_id": "user-canary"}}),
            ("DELETE", "/eval-runs?db_id={db},attacker&dry_run=true", {"filter": {"user_id": "user-canary"}}),
            ("GET", "/admin/audit?db_id={db}", None),
        ]
        for token in [ATTACKER, READER] if victim != "victim-memory" else [ATTACKER]:
            for method, template, body in routes:
                answers = []
                for db in [victim, unknown]:
                    status, headers, data = send(client, f"cross-tenant {method} {template} as {token[:15]}", method, template.format(db=db), token=token, body=body)
                    answers.append(normalized(status, headers, data, db))
                    count += 1
                if answers[0] != answers[1]:
                    PROBLEMS.add(f"existence oracle: {method} {template} tells {victim} from an unknown database: {answers[0]} vs {answers[1]}")
    # `db_id=*` is every database the token may touch, and nothing else: the victims' canaries of user
    # `user-canary` stay (verify_canaries), and the answer names only the attacker's databases.
    for dry in ["&dry_run=true", ""]:
        status, _, data = send(client, f"fan-out * {dry}", "DELETE", "/eval-runs?db_id=*" + dry, body={"filter": {"user_id": "user-canary"}}, down_allowed=True)
        count += 1
        named = set(json.loads(data).get("databases", {}).keys()) if status in (200, 207) else None
        if named != {"attacker", "down-pg"}:
            PROBLEMS.add(f"DELETE /eval-runs?db_id=*{dry} as the attacker: {status}, databases {named}")
    # Discovery lists only the token's own databases; readiness names none without admin.
    for token in [ATTACKER, READER, None, "wrong"]:
        for path in ["/config", "/ready"]:
            # down-pg really is down: /ready answers 503 {"status":"not_ready"}, its own shape.
            status, _, data = client.request("GET", path, token=token)
            count += 1
            if status >= 500 and not (path == "/ready" and status == 503):
                PROBLEMS.add(f"{path}: {status} {data[:200]!r}")
            for victim in VICTIMS:
                if victim.encode() in data and not (token == READER and victim == "victim-memory"):
                    PROBLEMS.add(f"{path} names {victim} to a token that may not touch it: {data[:300]!r}")
    return count


def cursor_cases(client):
    """Genuine cursors work once; forged, altered, truncated, re-encoded and other-database ones are 400."""
    count = 0
    status, _, data = send(client, "list attacker jobs", "GET", "/evaluations/batch-evaluate?db_id=attacker&maxResults=1", expect={200})
    genuine = json.loads(data).get("nextToken")
    if not genuine:
        PROBLEMS.add("no nextToken on a page of 1 of 3 jobs")
        return 1
    _, _, data = client.request("GET", "/evaluations/batch-evaluate" + query(db_id="victim-pg", maxResults=1), token=ADMIN)
    victim_cursor = json.loads(data).get("nextToken", "")
    send(client, "genuine cursor", "GET", "/evaluations/batch-evaluate" + query(db_id="attacker", maxResults=1, nextToken=genuine), expect={200})
    count += 3
    forged = [victim_cursor, genuine[:-1], genuine[:-4], genuine[:10], genuine + "A", genuine + "=", genuine + "==",
              genuine.replace("-", "+").replace("_", "/"), genuine.upper(), genuine.lower(), genuine[::-1], " " + genuine]
    for index in range(len(genuine)):
        flipped = "A" if genuine[index] != "A" else "B"
        forged.append(genuine[:index] + flipped + genuine[index + 1:])
    for created_at in ["9223372036854775807", "0", "-1"]:
        body = f"v1\n{created_at}\nzzzz"
        check_value = format(fnv1a(("evalgw-batch-page\nattacker\n" + body).encode()), "x")
        forged.append(base64.urlsafe_b64encode(f"{body}\n{check_value}".encode()).decode().rstrip("="))
        forged.append(base64.urlsafe_b64encode(f"v2\n{created_at}\nzzzz".encode()).decode().rstrip("=") + "." + base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="))
    for token in forged:
        if token == genuine:
            continue
        send(client, f"forged cursor {token[:30]!r}", "GET", "/evaluations/batch-evaluate" + query(db_id="attacker", maxResults=1, nextToken=token), expect={400})
        count += 1
    return count


def fnv1a(data):
    value = 0xcbf29ce484222325
    for byte in data:
        value ^= byte
        value = (value * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return value


# --- Raw framing and slow sockets --------------------------------------------------------------------

def raw_exchange(port, payload, shut_write=False, timeout=10):
    """Sends `payload` on a new socket; returns (bytes received, whether the server closed)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(payload)
            if shut_write:
                sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        received = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    return received, True
                received += chunk
        except ConnectionResetError:
            return received, True
        except socket.timeout:
            return received, False


def framing_cases(port, rng):
    heads = [
        ("DELETE /eval-runs?db_id=attacker HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n", "agno"),
        ("POST /eval-runs?db_id=attacker HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ATTACKER + "\r\nContent-Type: application/json\r\n", "agno"),
        ("POST /evaluations/batch-evaluate?db_id=attacker HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ATTACKER + "\r\n", "agentcore"),
    ]
    bodies = [
        ("Transfer-Encoding: chunked\r\n\r\n", b"zz\r\n{}\r\n0\r\n\r\n", False),
        ("Transfer-Encoding: chunked\r\n\r\n", b"2\r\n{\"eval_run_ids\":[\"x\"]}\r\n0\r\n\r\n", False),
        ("Transfer-Encoding: chunked\r\n\r\n", b"2\r\n{}0\r\n\r\n", False),
        ("Transfer-Encoding: chunked\r\n\r\n", b"-2\r\n{}\r\n0\r\n\r\n", False),
        ("Transfer-Encoding: chunked\r\n\r\n", b"fffffffffffffffffffff\r\n{}\r\n0\r\n\r\n", False),
        ("Content-Length: 100\r\n\r\n", b"{\"eval_run_ids\":[", True),
        ("Content-Length: -5\r\n\r\n", b"{}", False),
        ("Content-Length: 2\r\nContent-Length: 5\r\n\r\n", b"{}", False),
        ("Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n", b"2\r\n{}\r\n0\r\n\r\n", False),
    ]
    payloads = []
    for head, surface in heads:
        for framing, body, shut in bodies:
            payloads.append((f"framing {framing.strip()!r} {body[:12]!r} on {head.split(' ')[1]}", (head + framing).encode() + body, shut, surface, {400}))
    garbage = [b"NOT HTTP\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"GET /eval-runs HTTP/1.1\r\nBad Header\r\n\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
               b"GET /eval-runs?db_id=\x00 HTTP/1.1\r\nHost: x\r\n\r\n", b"GET /eval-runs HTTP/1.1\r\nHost: x\r\nX: a\x00b\r\n\r\n",
               b"GET /evaluations/batch-evaluate HTTP/1.1\r\nHost: x\r\nX-Fill: " + b"a" * 100_000 + b"\r\n\r\n",
               b"GET /eval-runs HTTP/1.1\r\nHost: x\r\n" + b"X-F: 1\r\n" * 2000 + b"\r\n",
               b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"]
    for payload in garbage:
        surface = "agentcore" if payload.startswith(b"GET /evaluations") else "agno"
        expect = {431} if len(payload) > 10_000 else {400}
        payloads.append((f"garbage {payload[:30]!r}", payload, False, surface, expect))
    count = 0
    for description, payload, shut, surface, expect in payloads:
        received, closed = raw_exchange(port, payload, shut_write=shut)
        count += 1
        status = int(received.split(b" ", 2)[1]) if received.startswith(b"HTTP/1.1 ") else None
        body = received.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in received else b""
        if status not in expect and not (status == 401 and 401 in expect):
            # A request that carries no token may be refused (401) before its body is read; that is
            # fine as long as the connection does not stay open for more.
            if not (status == 401 and "Authorization" not in payload.decode("latin-1")):
                PROBLEMS.add(f"{description}: expected {sorted(expect)}, got {received[:200]!r}")
        if status is not None:
            check(description, payload.decode("latin-1"), status, body)
            if status in expect:
                key = "__type" if surface == "agentcore" else "error_code"
                if key.encode() not in body:
                    PROBLEMS.add(f"{description}: the {surface} error body is missing: {body[:200]!r}")
        if not closed:
            PROBLEMS.add(f"{description}: the connection stayed open after a framing error")
    return count


def slow_drips(port):
    """Sockets that send a head or body one byte at a time are dropped within the read timeout."""
    def drip(payload):
        start = time.time()
        with socket.create_connection(("127.0.0.1", port), timeout=READ_TIMEOUT_SECONDS + 5) as sock:
            try:
                for byte in payload:
                    sock.sendall(bytes([byte]))
                    time.sleep(0.1)
                    if time.time() - start > READ_TIMEOUT_SECONDS + 5:
                        return False, time.time() - start
                return False, time.time() - start
            except OSError:
                return True, time.time() - start
    head = b"GET /eval-runs?db_id=attacker HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"s" * 200 + b"\r\n\r\n"
    body = b"DELETE /eval-runs?db_id=attacker HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ATTACKER.encode() + b"\r\nContent-Length: 300\r\n\r\n{\"eval_run_ids\":[\"" + b"x" * 300
    results = []
    threads = [threading.Thread(target=lambda p=p: results.append(drip(p))) for p in [head, head, body, body]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for dropped, seconds in results:
        if not dropped or seconds > READ_TIMEOUT_SECONDS + 3:
            PROBLEMS.add(f"a slow-drip socket was not dropped within the read timeout ({seconds:.1f} s)")
    return len(results)


# --- The run --------------------------------------------------------------------------------------

def watch_health(port, stop, gateway):
    while not stop.is_set():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:
                if response.status != 200:
                    PROBLEMS.add(f"/health answered {response.status} during the run")
        except Exception as error:
            PROBLEMS.add(f"/health failed during the run: {error}")
        if gateway.process.poll() is not None:
            PROBLEMS.add(f"the gateway exited during the run (status {gateway.process.returncode})")
            return
        stop.wait(0.25)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=".build/debug/evalgw")
    parser.add_argument("--requests", type=int, default=1500, help="generated injection requests (framing, cross-tenant and cursor cases come on top)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--postgres-url", default=os.environ.get("EVALGW_TEST_POSTGRES_URL"))
    parser.add_argument("--workers", type=int, default=8)
    arguments = parser.parse_args()
    if not arguments.postgres_url:
        raise SystemExit("hostile.py needs a PostgreSQL server: pass --postgres-url or set EVALGW_TEST_POSTGRES_URL")
    seed_value = arguments.seed if arguments.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed_value)
    print(f"hostile: seed {seed_value}", flush=True)

    gateway = Gateway(os.path.abspath(arguments.bin), arguments.postgres_url)
    client = Client(gateway.port)
    stop = threading.Event()
    watcher = threading.Thread(target=watch_health, args=(gateway.port, stop, gateway))
    started = time.time()
    try:
        seed(client)
        watcher.start()
        cases = injection_cases(rng, arguments.requests) + malformed_bodies()
        statuses = {}
        statuses_lock = threading.Lock()

        def run(case):
            description, method, target, body, *rest = case
            headers = rest[0] if rest else None
            token = rest[1] if len(rest) > 1 else ATTACKER
            try:
                status, _, _ = send(client, description, method, target, token=token, body=body, headers=headers)
            except (http.client.HTTPException, OSError) as error:
                PROBLEMS.add(f"{description}: no answer ({error!r})")
                status = "none"
            with statuses_lock:
                statuses[status] = statuses.get(status, 0) + 1

        with ThreadPoolExecutor(arguments.workers) as pool:
            list(pool.map(run, cases + auth_cases()))
        counted = len(cases) + len(auth_cases())
        counted += cross_tenant(client)
        counted += cursor_cases(client)
        counted += framing_cases(gateway.port, rng)
        counted += slow_drips(gateway.port)

        stop.set()
        watcher.join()
        verify_canaries(client)
        _, _, metrics = client.request("GET", "/metrics")
        for line in metrics.decode().splitlines():
            if line.startswith("evalgw_http_requests_total{") and re.search(r'status="5\d\d"', line) and not line.endswith(" 0"):
                if 'status="503"' not in line:
                    PROBLEMS.add(f"a 5xx was counted: {line}")
        if gateway.process.poll() is not None:
            PROBLEMS.add("the gateway is not running at the end")
        gateway.log.flush()
        for line in open(gateway.log_path, errors="replace"):
            status = re.search(r" status=(\d+) ", line)
            if line.rstrip().endswith("[EvalGatewayHTTP] request") and status and int(status.group(1)) >= 500:
                if status.group(1) != "503" or not ("db_id=down-pg" in line or "path=/ready " in line):
                    PROBLEMS.add(f"the log has a server error: {line.strip()[:300]}")
        print(f"hostile: {counted} hostile requests in {time.time() - started:.1f} s; answers of the generated ones: "
              + ", ".join(f"{key}: {value}" for key, value in sorted(statuses.items(), key=lambda item: str(item[0]))), flush=True)
    finally:
        stop.set()
        gateway.stop()
    if PROBLEMS.items:
        print(f"hostile: {len(PROBLEMS.items)} problems (seed {seed_value}); gateway log: {gateway.log_path}")
        for item in PROBLEMS.items[:40]:
            print("  - " + item)
        sys.exit(1)
    print("hostile: every check held")


if __name__ == "__main__":
    main()
