"""Shared fixtures: a live `evalgw serve` for the client tests (boto3 and the evalgw CLI).

Starts the gateway on a free port with its own configuration (an SQLite file in a temporary directory,
`local`, the default; with EVALGW_TEST_POSTGRES_URL, also `pg`, a fresh schema on that server; one
bearer token; slow jobs so they can be caught running), unless EVALGW_ENDPOINT points at a gateway
that is already running (EVALGW_TOKEN is then its token). EVALGW_BIN names the binary (default
.build/debug/evalgw). `sigv4_gateway` starts another one that verifies AWS SigV4 signatures.
"""

import os
import socket
import subprocess
import tempfile
import time
import urllib.request
import uuid

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKEN = "boto3-test-token-" + uuid.uuid4().hex


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _binary():
    return os.path.abspath(os.environ.get("EVALGW_BIN", os.path.join(REPO, ".build", "debug", "evalgw")))


def _serve(databases, auth, environment=None, top=""):
    """Starts `evalgw serve` on a free port with these `databases` and `auth` YAML sections (and `top`,
    more top-level keys); yields the endpoint, and stops the gateway afterwards."""
    binary = _binary()
    if not os.path.exists(binary):
        message = f"no evalgw binary at {binary} (build it, or set EVALGW_BIN or EVALGW_ENDPOINT)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    directory = tempfile.mkdtemp(prefix="evalgw-boto3-")
    port = _free_port()
    config = os.path.join(directory, "gateway.yaml")
    with open(config, "w") as handle:
        handle.write(f"""
server: {{ host: 127.0.0.1, port: {port} }}
{top}databases:
{databases.format(directory=directory)}
auth:
{auth}
batch: {{ min_job_seconds: 30, session_delay_ms: 200, poll_interval_ms: 50 }}
metrics: {{ enabled: false }}
""")
    log = open(os.path.join(directory, "gateway.log"), "w")
    process = subprocess.Popen(
        [binary, "serve", "--config", config], stdout=log, stderr=subprocess.STDOUT, cwd=directory,
        env=dict(os.environ, **(environment or {})),
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(endpoint + "/health", timeout=1)
            break
        except Exception:
            if process.poll() is not None or time.time() > deadline:
                process.kill()
                raise RuntimeError("evalgw did not start: " + open(os.path.join(directory, "gateway.log")).read())
            time.sleep(0.1)
    try:
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def gateway():
    """(endpoint, token) of a running gateway."""
    endpoint = os.environ.get("EVALGW_ENDPOINT")
    if endpoint:
        yield endpoint, os.environ.get("EVALGW_TOKEN", "")
        return
    databases = """  - id: local
    adapter: sqlite
    path: {directory}/evals.sqlite"""
    if os.environ.get("EVALGW_TEST_POSTGRES_URL"):
        databases += f"""
  - id: pg
    adapter: postgres
    url: "{os.environ["EVALGW_TEST_POSTGRES_URL"]}"
    schema: boto3_{uuid.uuid4().hex[:12]}"""
    auth = f"""  tokens:
    - {{ name: boto3, token: "{TOKEN}", scopes: [admin] }}"""
    for endpoint in _serve(databases, auth, top="default_db: local\n"):
        yield endpoint, TOKEN


# The SigV4 gateway's access keys: (access key id, secret access key).
SIGV4_ADMIN = ("AKIDEVALGWTEST", "sigv4-test-secret-" + uuid.uuid4().hex)
SIGV4_READER = ("AKIDEVALGWREADER", "sigv4-reader-secret-" + uuid.uuid4().hex)


@pytest.fixture(scope="session")
def sigv4_gateway():
    """The endpoint of a gateway that verifies AWS SigV4 signatures (auth.sigv4) against two access keys
    (SIGV4_ADMIN: admin; SIGV4_READER: evals:read), over two databases, so requests must name a db_id.
    The admin secret reaches the configuration through an environment variable, as a deployment would."""
    if os.environ.get("EVALGW_ENDPOINT"):
        pytest.skip("the SigV4 tests start their own gateway (EVALGW_ENDPOINT is set)")
    databases = """  - id: local
    adapter: sqlite
    path: {directory}/evals.sqlite
  - id: scratch
    adapter: memory"""
    auth = f"""  sigv4:
    region: us-east-1
    credentials:
      - {{ name: boto3, access_key_id: {SIGV4_ADMIN[0]}, secret_access_key: "${{EVALGW_TEST_SIGV4_SECRET}}", scopes: [admin] }}
      - {{ name: reader, access_key_id: {SIGV4_READER[0]}, secret_access_key: "{SIGV4_READER[1]}", scopes: [evals:read], databases: [local] }}"""
    yield from _serve(databases, auth, environment={"EVALGW_TEST_SIGV4_SECRET": SIGV4_ADMIN[1]})


@pytest.fixture(scope="session")
def evalgw_bin():
    """The evalgw binary the CLI tests run."""
    return _binary()


def wait_for_status(client, job_id, statuses, timeout=10):
    """Polls a boto3 client's GetBatchEvaluation until the job's status is one of `statuses` or `timeout`
    seconds pass; returns the last answer."""
    deadline = time.time() + timeout
    while True:
        job = client.get_batch_evaluation(batchEvaluationId=job_id)
        if job["status"] in statuses or time.time() > deadline:
            return job
        time.sleep(0.05)
