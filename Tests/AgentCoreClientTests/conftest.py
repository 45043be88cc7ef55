"""Shared fixtures: a live `evalgw serve` for the client tests (boto3 and the evalgw CLI).

Starts the gateway on a free port with its own configuration (an SQLite file in a temporary directory,
`local`, the default; with EVALGW_TEST_POSTGRES_URL, also `pg`, a fresh schema on that server; one
bearer token; slow jobs so they can be caught running), unless EVALGW_ENDPOINT points at a gateway
that is already running (EVALGW_TOKEN is then its token). EVALGW_BIN names the binary (default
.build/debug/evalgw).
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


@pytest.fixture(scope="session")
def gateway():
    """(endpoint, token) of a running gateway."""
    endpoint = os.environ.get("EVALGW_ENDPOINT")
    if endpoint:
        yield endpoint, os.environ.get("EVALGW_TOKEN", "")
        return
    binary = os.path.abspath(os.environ.get("EVALGW_BIN", os.path.join(REPO, ".build", "debug", "evalgw")))
    if not os.path.exists(binary):
        message = f"no evalgw binary at {binary} (build it, or set EVALGW_BIN or EVALGW_ENDPOINT)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    directory = tempfile.mkdtemp(prefix="evalgw-boto3-")
    port = _free_port()
    config = os.path.join(directory, "gateway.yaml")
    postgres = ""
    if os.environ.get("EVALGW_TEST_POSTGRES_URL"):
        postgres = f"""
  - id: pg
    adapter: postgres
    url: "{os.environ["EVALGW_TEST_POSTGRES_URL"]}"
    schema: boto3_{uuid.uuid4().hex[:12]}
"""
    with open(config, "w") as handle:
        handle.write(f"""
server: {{ host: 127.0.0.1, port: {port} }}
default_db: local
databases:
  - id: local
    adapter: sqlite
    path: {directory}/evals.sqlite
{postgres}auth:
  tokens:
    - {{ name: boto3, token: "{TOKEN}", scopes: [admin] }}
batch: {{ min_job_seconds: 30, session_delay_ms: 200, poll_interval_ms: 50 }}
metrics: {{ enabled: false }}
""")
    log = open(os.path.join(directory, "gateway.log"), "w")
    process = subprocess.Popen([binary, "serve", "--config", config], stdout=log, stderr=subprocess.STDOUT, cwd=directory)
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
        yield endpoint, TOKEN
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()




@pytest.fixture(scope="session")
def evalgw_bin():
    """The evalgw binary the CLI tests run."""
    return os.path.abspath(os.environ.get("EVALGW_BIN", os.path.join(REPO, ".build", "debug", "evalgw")))
