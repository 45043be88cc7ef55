"""Tenants as data, driven by real clients (pytest): Agno's own AgentOSClient reads /config, the evalgw
CLI registers databases and tokens through the admin API of a running gateway, and boto3's standard
retry mode rides out the gateway's ThrottlingException.

    EVALGW_BIN=.build/debug/evalgw python3 -m pytest -q Tests/AgentCoreClientTests/test_tenants.py
"""

import json
import os
import subprocess
import urllib.request
import uuid

import boto3
import pytest
from botocore.config import Config

from conftest import _serve

ADMIN = "tenants-admin-" + uuid.uuid4().hex


@pytest.fixture(scope="module")
def tenant_gateway():
    """A gateway with an SQLite registry, one declared database and an admin token; one more token,
    `slow-reader`, is allowed 1 request per second with a burst of 2."""
    if os.environ.get("EVALGW_ENDPOINT"):
        pytest.skip("the tenant tests start their own gateway (EVALGW_ENDPOINT is set)")
    databases = """  - id: local
    adapter: sqlite
    path: {directory}/evals.sqlite
    tables: [agno_eval_runs, agno_eval_runs_archive]"""
    auth = f"""  tokens:
    - {{ name: admin, token: "{ADMIN}", scopes: [admin] }}
    - {{ name: slow-reader, token: "slow-{ADMIN}", scopes: [evals:read], rate: {{ requests_per_second: 1, burst: 2 }} }}"""
    top = "registry: { adapter: sqlite, path: ./registry.sqlite }\n"
    yield from _serve(databases, auth, top=top)


def _cli(evalgw_bin, endpoint, *arguments, token=ADMIN):
    completed = subprocess.run(
        [evalgw_bin, *arguments, "--endpoint", endpoint, "--token", token, "--json"],
        capture_output=True, text=True, timeout=60,
    )
    return completed.returncode, json.loads(completed.stdout)


def _get(endpoint, path, token):
    request = urllib.request.Request(endpoint + path, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_agno_client_reads_the_registry_through_config(tenant_gateway, evalgw_bin):
    from agno.client.os import AgentOSClient

    status, _ = _cli(evalgw_bin, tenant_gateway, "databases", "put", "tenant-a", "--adapter", "memory", "--tables", "evals")
    assert status == 0
    config = AgentOSClient(base_url=tenant_gateway).get_config(headers={"Authorization": f"Bearer {ADMIN}"})
    assert config.os_id == "evalgw"
    assert "local" in config.databases and "tenant-a" in config.databases
    tables = {db.db_id: db.tables for db in config.evals.dbs}
    assert tables["local"] == ["agno_eval_runs", "agno_eval_runs_archive"]
    assert tables["tenant-a"] == ["evals"]
    assert config.agents == [] and config.teams == [] and config.workflows == []


def test_cli_registers_tenants_and_tokens(tenant_gateway, evalgw_bin):
    status, put = _cli(evalgw_bin, tenant_gateway, "databases", "put", "tenant-b", "--adapter", "sqlite",
                       "--option", "path=./tenant-b.sqlite", "--rate", "50", "--retention-days", "30")
    assert status == 0 and put["success"] and put["source"] == "api"
    assert put["rate"] == {"requests_per_second": 50, "burst": 50} and put["retention"] == {"max_age_days": 30}

    status, token = _cli(evalgw_bin, tenant_gateway, "tokens", "put", "tenant-b-service",
                         "--scope", "evals:read", "--scope", "evals:write", "--database", "tenant-b")
    assert status == 0 and token["token"].startswith("egw_")
    secret = token["token"]
    code, page = _get(tenant_gateway, "/eval-runs?db_id=tenant-b", secret)
    assert code == 200 and page["data"] == []
    code, foreign = _get(tenant_gateway, "/eval-runs?db_id=local", secret)
    assert code == 404 and foreign["detail"] == "No database found with id 'local'"

    status, listed = _cli(evalgw_bin, tenant_gateway, "tokens", "list")
    assert status == 0 and secret not in json.dumps(listed)
    assert {"tenant-b-service", "admin", "slow-reader"} <= {item["name"] for item in listed["data"]}

    status, _ = _cli(evalgw_bin, tenant_gateway, "tokens", "delete", "tenant-b-service")
    assert status == 0
    assert _get(tenant_gateway, "/eval-runs?db_id=tenant-b", secret)[0] == 401

    status, refused = _cli(evalgw_bin, tenant_gateway, "databases", "delete", "local")
    assert status == 1 and "declared in the configuration file" in refused["error"]
    status, invalid = _cli(evalgw_bin, tenant_gateway, "databases", "put", "bad", "--adapter", "sqlite")
    assert status == 1 and "body.options.path: is required" in invalid["error"]
    status, _ = _cli(evalgw_bin, tenant_gateway, "databases", "delete", "tenant-b")
    assert status == 0
    assert _get(tenant_gateway, "/eval-runs?db_id=tenant-b", ADMIN)[0] == 404


def test_boto3_standard_retries_ride_out_throttling(tenant_gateway):
    client = boto3.client(
        "bedrock-agentcore", endpoint_url=tenant_gateway, region_name="us-east-1",
        aws_access_key_id="x", aws_secret_access_key="x",
        config=Config(retries={"mode": "standard", "max_attempts": 10}),
    )

    def add_bearer(request, **_):
        request.headers["Authorization"] = f"Bearer slow-{ADMIN}"
        request.url += ("&" if "?" in request.url else "?") + "db_id=local"
    client.meta.events.register("before-send.bedrock-agentcore.*", add_bearer)

    retries = 0
    for _ in range(5):
        page = client.list_batch_evaluations(maxResults=10)
        assert "batchEvaluations" in page
        retries += page["ResponseMetadata"]["RetryAttempts"]
    # A burst of 2 at 1 request per second: some of the 5 calls were refused and retried by boto3 itself.
    assert retries > 0
