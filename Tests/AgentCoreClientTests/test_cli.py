"""`evalgw start|get|list|stop|archive batch-evaluation` against a live gateway (pytest).

    EVALGW_BIN=.build/debug/evalgw python3 -m pytest -q Tests/AgentCoreClientTests/test_cli.py
"""

import json
import os
import subprocess
import time
import uuid

import pytest


def _run(evalgw_bin, gateway, *arguments, token=None):
    endpoint, default_token = gateway
    environment = dict(os.environ, EVALGW_ENDPOINT=endpoint, EVALGW_TOKEN=default_token if token is None else token)
    if not os.path.exists(evalgw_bin):
        pytest.skip(f"no evalgw binary at {evalgw_bin}")
    return subprocess.run([evalgw_bin, *arguments], capture_output=True, text=True, env=environment, timeout=60)


def _json(result):
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_cli_lifecycle(evalgw_bin, gateway):
    name = f"cli_{uuid.uuid4().hex[:8]}"
    started = _run(evalgw_bin, gateway, "start", "batch-evaluation", "--name", name, "--session", "s1", "--session", "s2",
                   "--evaluator", "Builtin.Correctness", "--json")
    assert started.returncode == 0, started.stderr
    body = _json(started)
    assert body["success"] is True
    job_id = body["batchEvaluationId"]
    assert body["status"] == "PENDING"

    shown = _run(evalgw_bin, gateway, "get", "batch-evaluation", "-i", job_id)
    assert shown.returncode == 0
    assert f"ID: {job_id}" in shown.stdout

    listed = _run(evalgw_bin, gateway, "list", "batch-evaluation", "--max-results", "100", "--json")
    assert job_id in [item["batchEvaluationId"] for item in _json(listed)["batchEvaluations"]]

    # Archiving a running job fails with exit code 1 and tells the user to stop it first.
    refused = _run(evalgw_bin, gateway, "archive", "batch-evaluation", "-i", job_id, "--json")
    assert refused.returncode == 1
    failure = _json(refused)
    assert failure["success"] is False
    assert "Stop it first" in failure["error"]
    refused_text = _run(evalgw_bin, gateway, "archive", "batch-evaluation", "--id", job_id)
    assert refused_text.returncode == 1
    assert "Stop it first" in refused_text.stderr

    stopped = _run(evalgw_bin, gateway, "stop", "batch-evaluation", "-i", job_id, "--region", "us-east-1")
    assert stopped.returncode == 0, stopped.stderr
    assert "Batch evaluation stopped successfully" in stopped.stdout
    assert f"ID: {job_id}" in stopped.stdout
    assert "Status: STOPPING" in stopped.stdout or "Status: STOPPED" in stopped.stdout

    deadline = time.time() + 5
    while time.time() < deadline:
        status = _json(_run(evalgw_bin, gateway, "get", "batch-evaluation", "-i", job_id, "--json"))["status"]
        if status == "STOPPED":
            break
        time.sleep(0.1)
    assert status == "STOPPED"

    archived = _run(evalgw_bin, gateway, "archive", "batch-evaluation", "-i", job_id, "--json")
    assert archived.returncode == 0, archived.stdout
    assert _json(archived) == {
        "success": True, "batchEvaluationId": job_id, "batchEvaluationArn": _json(archived)["batchEvaluationArn"], "status": "STOPPED",
    }
    gone = _run(evalgw_bin, gateway, "get", "batch-evaluation", "-i", job_id, "--json")
    assert gone.returncode == 1
    assert "ResourceNotFoundException" in _json(gone)["error"]


def test_cli_errors(evalgw_bin, gateway):
    malformed = _run(evalgw_bin, gateway, "stop", "batch-evaluation", "-i", "bad!id", "--json")
    assert malformed.returncode == 1
    assert "ValidationException" in _json(malformed)["error"]
    if gateway[1]:
        unauthorized = _run(evalgw_bin, gateway, "list", "batch-evaluation", "--json", token="wrong")
        assert unauthorized.returncode == 1
        assert "UnauthorizedException" in _json(unauthorized)["error"]
    unreachable = _run(evalgw_bin, gateway, "list", "batch-evaluation", "--endpoint", "http://127.0.0.1:9", "--json")
    assert unreachable.returncode == 1
    assert _json(unreachable)["success"] is False


def test_cli_eval_runs(evalgw_bin, gateway, tmp_path):
    """`evalgw eval-runs list|get|delete`: ids as arguments and from a file, in chunks, with exact totals."""
    endpoint, token = gateway
    import urllib.request
    prefix = f"cli-run-{uuid.uuid4().hex[:8]}"
    for index in range(25):
        request = urllib.request.Request(
            f"{endpoint}/eval-runs", method="POST",
            data=json.dumps({"id": f"{prefix}-{index}", "eval_type": "accuracy", "eval_data": {"score": index}}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        assert urllib.request.urlopen(request).status == 201

    shown = _run(evalgw_bin, gateway, "eval-runs", "get", f"{prefix}-3", "--json")
    assert shown.returncode == 0, shown.stderr
    assert _json(shown)["id"] == f"{prefix}-3"

    listed = _run(evalgw_bin, gateway, "eval-runs", "list", "--limit", "5", "--json")
    assert listed.returncode == 0, listed.stderr
    assert len(_json(listed)["data"]) == 5

    deleted = _run(evalgw_bin, gateway, "eval-runs", "delete", f"{prefix}-0", f"{prefix}-1", "missing-id", "--json")
    assert deleted.returncode == 0, deleted.stderr
    assert _json(deleted) == {"success": True, "deleted": 2, "not_found": ["missing-id"]}

    ids_file = tmp_path / "ids.txt"
    ids_file.write_text("\n".join(f"{prefix}-{index}" for index in range(25)) + "\n")
    chunked = _run(evalgw_bin, gateway, "eval-runs", "delete", "--ids-file", str(ids_file), "--chunk-size", "7")
    assert chunked.returncode == 0, chunked.stderr
    assert "Deleted 23 eval runs; 2 ids not found" in chunked.stdout

    missing = _run(evalgw_bin, gateway, "eval-runs", "get", f"{prefix}-3", "--json")
    assert missing.returncode == 1
    assert _json(missing)["success"] is False
