"""An unmodified, SigV4-signing boto3 client against a gateway with `auth.sigv4` (pytest).

No bearer token here: boto3 signs every request with the access key it is given, and the gateway
verifies the signature. The gateway has two databases, so each request names one with a `db_id` query
parameter, added by a `before-sign` hook so that the signature covers it.

    EVALGW_BIN=.build/debug/evalgw python3 -m pytest -q Tests/AgentCoreClientTests/test_boto3_sigv4.py
"""

import datetime
import uuid

import boto3
import botocore.auth
import botocore.exceptions
import pytest

from conftest import SIGV4_ADMIN, SIGV4_READER, wait_for_status


def _add_db_id(request, **_):
    request.url += ("&" if "?" in request.url else "?") + "db_id=local"


def _client(endpoint, key, hook_event="before-sign"):
    client = boto3.client(
        "bedrock-agentcore",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=key[0],
        aws_secret_access_key=key[1],
    )
    client.meta.events.register(f"{hook_event}.bedrock-agentcore.*", _add_db_id)
    return client


def _start(client, name, sessions=50):
    return client.start_batch_evaluation(
        batchEvaluationName=name,
        evaluators=[{"evaluatorId": "Builtin.Correctness"}],
        dataSourceConfig={
            "cloudWatchLogs": {
                "serviceNames": ["my-agent"],
                "logGroupNames": ["/aws/bedrock-agentcore/runtimes/my-agent"],
                "filterConfig": {"sessionIds": [f"session-{index}" for index in range(sessions)]},
            }
        },
    )


def _error(excinfo):
    return excinfo.value.response["Error"]["Code"], excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_signed_lifecycle(sigv4_gateway):
    client = _client(sigv4_gateway, SIGV4_ADMIN)
    name = f"sigv4_{uuid.uuid4().hex[:8]}"
    started = _start(client, name)
    job_id = started["batchEvaluationId"]
    assert started["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert started["batchEvaluationArn"].startswith("arn:aws:bedrock-agentcore:us-east-1:")

    job = wait_for_status(client, job_id, {"IN_PROGRESS"})
    assert job["status"] == "IN_PROGRESS"
    assert job["batchEvaluationName"] == name

    listed = client.list_batch_evaluations(maxResults=100)
    assert job_id in [item["batchEvaluationId"] for item in listed["batchEvaluations"]]

    stopped = client.stop_batch_evaluation(batchEvaluationId=job_id)
    assert stopped["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert wait_for_status(client, job_id, {"STOPPED"}, timeout=5)["status"] == "STOPPED"

    deleted = client.delete_batch_evaluation(batchEvaluationId=job_id)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert deleted["status"] == "STOPPED"
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_batch_evaluation(batchEvaluationId=job_id)


def test_wrong_secret_and_unknown_key_are_403(sigv4_gateway):
    wrong = _client(sigv4_gateway, (SIGV4_ADMIN[0], "not-the-secret"))
    with pytest.raises(botocore.exceptions.ClientError) as error:
        wrong.list_batch_evaluations()
    assert _error(error) == ("InvalidSignatureException", 403)
    assert "signature we calculated does not match" in error.value.response["Error"]["Message"]

    unknown = _client(sigv4_gateway, ("AKIDNOTCONFIGURED", "whatever"))
    with pytest.raises(botocore.exceptions.ClientError) as error:
        unknown.list_batch_evaluations()
    assert _error(error) == ("UnrecognizedClientException", 403)


def test_the_signature_must_cover_the_final_url(sigv4_gateway):
    # A hook that adds db_id after signing (before-send) changes the signed URL: refused.
    late = _client(sigv4_gateway, SIGV4_ADMIN, hook_event="before-send")
    with pytest.raises(botocore.exceptions.ClientError) as error:
        late.list_batch_evaluations()
    assert _error(error) == ("InvalidSignatureException", 403)


def test_clock_skew_over_15_minutes_is_403(sigv4_gateway, monkeypatch):
    client = _client(sigv4_gateway, SIGV4_ADMIN)
    skewed = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(minutes=16)
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda *args, **kwargs: skewed)
    with pytest.raises(botocore.exceptions.ClientError) as error:
        client.list_batch_evaluations()
    assert _error(error) == ("InvalidSignatureException", 403)
    assert error.value.response["Error"]["Message"].startswith("Signature expired")


def test_a_signed_principal_keeps_its_scopes_and_databases(sigv4_gateway):
    reader = _client(sigv4_gateway, SIGV4_READER)
    assert reader.list_batch_evaluations()["ResponseMetadata"]["HTTPStatusCode"] == 200
    with pytest.raises(reader.exceptions.AccessDeniedException) as error:
        _start(reader, "reader_cannot_start", sessions=1)
    assert _error(error) == ("AccessDeniedException", 403)

    other_db = boto3.client(
        "bedrock-agentcore", endpoint_url=sigv4_gateway, region_name="us-east-1",
        aws_access_key_id=SIGV4_READER[0], aws_secret_access_key=SIGV4_READER[1],
    )
    other_db.meta.events.register(
        "before-sign.bedrock-agentcore.*", lambda request, **_: setattr(request, "url", request.url + "?db_id=scratch")
    )
    # A database the key may not touch is answered as an unknown one: the key learns nothing of it.
    with pytest.raises(other_db.exceptions.ResourceNotFoundException):
        other_db.list_batch_evaluations()
