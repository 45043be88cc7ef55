"""The AgentCore batch-evaluation surface driven by the real boto3 client (pytest).

Starts `evalgw serve` on a free port with its own configuration (see conftest.py: SQLite, and
Postgres when EVALGW_TEST_POSTGRES_URL is set; one bearer token), unless EVALGW_ENDPOINT points at a gateway that is already running
(then EVALGW_TOKEN is its token, and the gateway must run jobs slowly enough to be caught running).

    EVALGW_BIN=.build/debug/evalgw python3 -m pytest -q Tests/AgentCoreClientTests/test_boto3_lifecycle.py

boto3 signs requests with SigV4; the gateway's bearer auth is added with a boto3 event hook
(`before-send`), which replaces the Authorization header.
"""

import os
import time
import uuid

import boto3
import botocore.exceptions
import pytest

from conftest import wait_for_status


def _client(endpoint, token, db_id=None):
    client = boto3.client(
        "bedrock-agentcore",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )
    if token is not None:
        def add_bearer(request, **_):
            request.headers["Authorization"] = f"Bearer {token}"
        client.meta.events.register("before-send.bedrock-agentcore.*", add_bearer)
    if db_id is not None:
        # boto3 has no db_id parameter: it goes on the URL, before the request is signed.
        def add_db_id(request, **_):
            request.url += ("&" if "?" in request.url else "?") + f"db_id={db_id}"
        client.meta.events.register("before-sign.bedrock-agentcore.*", add_db_id)
    return client


@pytest.fixture(scope="module")
def client(gateway):
    endpoint, token = gateway
    return _client(endpoint, token)


def _start(client, name, sessions=50):
    return client.start_batch_evaluation(
        batchEvaluationName=name,
        evaluators=[{"evaluatorId": "Builtin.Correctness"}, {"evaluatorId": "Builtin.ToolSelectionAccuracy"}],
        dataSourceConfig={
            "cloudWatchLogs": {
                "serviceNames": ["my-agent"],
                "logGroupNames": ["/aws/bedrock-agentcore/runtimes/my-agent"],
                "filterConfig": {"sessionIds": [f"session-{index}" for index in range(sessions)]},
            }
        },
        evaluationMetadata={
            "sessionMetadata": [
                {
                    "sessionId": "session-0",
                    "metadata": {"actualResponse": "Booked flight LH123", "actualToolNames": "search,book"},
                    "groundTruth": {
                        "inline": {
                            "expectedTrajectory": {"toolNames": ["search", "book"]},
                            "turns": [{"input": {"prompt": "Book it"}, "expectedResponse": {"text": "Booked flight LH123"}}],
                        }
                    },
                }
            ]
        },
        description="boto3 lifecycle",
    )


def _backend(gateway, db_id):
    """A client of `db_id`: `local` (SQLite) always, `pg` when the gateway was given a Postgres server."""
    if db_id == "pg" and not os.environ.get("EVALGW_TEST_POSTGRES_URL"):
        if os.environ.get("CI") == "true":
            pytest.fail("EVALGW_TEST_POSTGRES_URL is not set on CI")
        pytest.skip("no Postgres server (EVALGW_TEST_POSTGRES_URL)")
    endpoint, token = gateway
    return _client(endpoint, token, db_id)


@pytest.mark.parametrize("db_id", ["local", "pg"])
def test_lifecycle(gateway, db_id):
    client = _backend(gateway, db_id)
    suffix = uuid.uuid4().hex[:8]
    started = _start(client, f"lifecycle_{suffix}")
    job_id = started["batchEvaluationId"]
    assert started["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert started["status"] == "PENDING"
    assert started["batchEvaluationArn"].endswith(f":batch-evaluate/{job_id}")
    assert started["batchEvaluationArn"].startswith("arn:aws:bedrock-agentcore:us-east-1:")
    assert started["createdAt"].tzinfo is not None

    job = wait_for_status(client, job_id, {"IN_PROGRESS"})
    assert job["status"] == "IN_PROGRESS"
    assert job["batchEvaluationName"] == f"lifecycle_{suffix}"
    assert job["evaluationResults"]["totalNumberOfSessions"] == 50
    assert job["dataSourceConfig"]["cloudWatchLogs"]["serviceNames"] == ["my-agent"]
    assert [e["evaluatorId"] for e in job["evaluators"]] == ["Builtin.Correctness", "Builtin.ToolSelectionAccuracy"]

    # List with pagination, through boto3's own paginator when the model has one.
    others = [_start(client, f"page_{suffix}_{index}", sessions=1)["batchEvaluationId"] for index in range(3)]
    first = client.list_batch_evaluations(maxResults=2)
    assert len(first["batchEvaluations"]) == 2
    assert "nextToken" in first
    seen = []
    token = None
    while True:
        page = client.list_batch_evaluations(maxResults=2, **({"nextToken": token} if token else {}))
        seen += [item["batchEvaluationId"] for item in page["batchEvaluations"]]
        token = page.get("nextToken")
        if not token:
            break
    assert len(seen) == len(set(seen))
    assert {job_id, *others} <= set(seen)
    with pytest.raises(client.exceptions.ValidationException):
        client.list_batch_evaluations(nextToken="forged-token")

    # Delete while running: 409.
    with pytest.raises(client.exceptions.ConflictException) as conflict:
        client.delete_batch_evaluation(batchEvaluationId=job_id)
    assert conflict.value.response["Error"]["Code"] == "ConflictException"
    assert conflict.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert "Stop it first" in conflict.value.response["Error"]["Message"]

    # Stop: STOPPING, then STOPPED within a second.
    stopped = client.stop_batch_evaluation(batchEvaluationId=job_id)
    assert stopped["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert stopped["status"] in ("STOPPING", "STOPPED")
    began = time.time()
    job = wait_for_status(client, job_id, {"STOPPED"}, timeout=5)
    assert job["status"] == "STOPPED"
    assert time.time() - began < 1.5

    # Delete: 202 with the final status, then 404.
    deleted = client.delete_batch_evaluation(batchEvaluationId=job_id)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert deleted["batchEvaluationId"] == job_id
    assert deleted["status"] == "STOPPED"
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_batch_evaluation(batchEvaluationId=job_id)

    for other in others:
        client.stop_batch_evaluation(batchEvaluationId=other)


def test_idempotency(client):
    token = str(uuid.uuid4())
    name = f"idem_{uuid.uuid4().hex[:8]}"
    source = {"cloudWatchLogs": {"serviceNames": ["s"], "logGroupNames": ["l"], "filterConfig": {"sessionIds": ["a"]}}}
    first = client.start_batch_evaluation(batchEvaluationName=name, dataSourceConfig=source, clientToken=token)
    again = client.start_batch_evaluation(batchEvaluationName=name, dataSourceConfig=source, clientToken=token)
    assert again["batchEvaluationId"] == first["batchEvaluationId"]
    with pytest.raises(client.exceptions.ValidationException) as mismatch:
        client.start_batch_evaluation(batchEvaluationName=name, dataSourceConfig=source, clientToken=token, description="changed")
    assert mismatch.value.response["reason"] == "IdempotentParameterMismatchException"
    with pytest.raises(client.exceptions.ConflictException):
        client.start_batch_evaluation(batchEvaluationName=name, dataSourceConfig=source)
    client.stop_batch_evaluation(batchEvaluationId=first["batchEvaluationId"])


def test_malformed_ids(client):
    for bad in ["bad!id", "bad id-abcdefghij", "x", "name-abc/defghij"]:
        with pytest.raises(client.exceptions.ValidationException) as error:
            client.get_batch_evaluation(batchEvaluationId=bad)
        assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        with pytest.raises(client.exceptions.ValidationException):
            client.delete_batch_evaluation(batchEvaluationId=bad)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_batch_evaluation(batchEvaluationId="missing-abcdefghij")
    with pytest.raises(client.exceptions.ValidationException) as error:
        client.start_batch_evaluation(
            batchEvaluationName="has-dash",
            dataSourceConfig={"cloudWatchLogs": {"serviceNames": ["s"], "logGroupNames": ["l"]}},
        )
    assert error.value.response["reason"] == "FieldValidationFailed"
    assert error.value.response["fieldList"][0]["name"] == "batchEvaluationName"


def test_bad_tokens(gateway):
    endpoint, token = gateway
    if not token:
        pytest.skip("the gateway is open (no tokens configured)")
    wrong = _client(endpoint, "not-the-token")
    with pytest.raises(wrong.exceptions.UnauthorizedException) as error:
        wrong.list_batch_evaluations()
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 401
    # Only SigV4, no bearer token: refused as well.
    signed_only = _client(endpoint, None)
    with pytest.raises(botocore.exceptions.ClientError) as error:
        signed_only.list_batch_evaluations()
    assert error.value.response["Error"]["Code"] == "UnauthorizedException"
