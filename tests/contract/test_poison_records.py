"""Which failures park a record and which retry it, and the message a poison record becomes on AWS."""

import json
from typing import Any

import boto3
import psycopg
import pytest
from aiokafka.errors import KafkaConnectionError
from aws_lambda_powertools.utilities.data_classes import KafkaEvent
from botocore.stub import Stubber
from psycopg_pool import PoolTimeout

from learnflow.api.kafka import PoisonRecordError, cloud_event_of, data_of, parked_record, poison_reason
from learnflow.domain.errors import NotFoundError
from learnflow.events.schemas import ProgressRecorded, TutorRequested
from learnflow.messaging.poison_records import PoisonReason, SqsPoisonRecords
from tests.aws_events import load_event
from tests.contract.handler_loading import unreadable_batch

QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/learnflow-dev-ConceptsAgentDeadLetters"


def test_a_value_that_is_no_cloud_event_is_poison() -> None:
    (record,) = KafkaEvent(unreadable_batch(load_event("kafkaEventMsk"))).records
    with pytest.raises(PoisonRecordError) as raised:
        cloud_event_of(record)
    reason = poison_reason(raised.value)
    assert reason is not None and reason.code == "not_a_cloud_event"
    assert "correlationid: Field required" in reason.message


def test_data_that_breaks_its_topics_schema_is_poison() -> None:
    (record,) = KafkaEvent(load_event("kafkaEventMsk")).records
    event = cloud_event_of(record)
    with pytest.raises(PoisonRecordError) as raised:
        data_of(event, ProgressRecorded)  # a concepts request is no progress event
    reason = poison_reason(raised.value)
    assert reason is not None and reason.code == "schema_violation"
    assert data_of(event, TutorRequested).intent == "concepts"


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (NotFoundError("No such request."), "not_found"),
        (psycopg.errors.InvalidTextRepresentation('invalid input syntax for type uuid: "x"'), "invalid_data"),
        (psycopg.errors.ForeignKeyViolation("violates foreign key constraint"), "unknown_reference"),
    ],
)
def test_failures_that_repeat_with_the_same_record_are_poison(error: Exception, code: str) -> None:
    reason = poison_reason(error)
    assert reason is not None and reason.code == code


@pytest.mark.parametrize(
    "error",
    [
        psycopg.OperationalError("connection refused"),
        PoolTimeout("couldn't get a connection after 1.00 sec"),
        KafkaConnectionError("broker down"),
        TimeoutError("the push timed out"),
        RuntimeError("anything not known to be permanent"),
    ],
)
def test_failures_that_can_pass_are_retried(error: Exception) -> None:
    assert poison_reason(error) is None


def test_a_permanent_looking_failure_caused_by_an_outage_is_retried() -> None:
    try:
        try:
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        except psycopg.OperationalError as outage:
            raise NotFoundError("No such user.") from outage
    except NotFoundError as error:
        assert poison_reason(error) is None


def test_on_aws_a_poison_record_is_one_message_on_the_mappings_dead_letter_queue() -> None:
    """SQS does not run here: botocore's Stubber checks the request against SQS's model and answers it."""
    client = boto3.client("sqs", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    sent: list[dict[str, Any]] = []
    client.meta.events.register(
        "before-parameter-build.sqs.SendMessage", lambda params, **_: sent.append(dict(params))
    )
    (record,) = KafkaEvent(load_event("kafkaEventMsk")).records
    parked = parked_record(record, PoisonReason("unknown_user", "no such user"), "concepts_agent")

    with Stubber(client) as stubber:
        stubber.add_response("send_message", {"MessageId": "m-1", "MD5OfMessageBody": "0" * 32})
        SqsPoisonRecords(QUEUE_URL, client).park(parked)
        stubber.assert_no_pending_responses()

    (request,) = sent
    assert request["QueueUrl"] == QUEUE_URL
    assert request["MessageAttributes"]["reason"] == {"DataType": "String", "StringValue": "unknown_user"}
    body = json.loads(request["MessageBody"])
    assert (body["kind"], body["version"], body["function"]) == ("poison_record", "1.0", "concepts_agent")
    assert body["reason"] == {"code": "unknown_user", "message": "no such user"}
    sample = load_event("kafkaEventMsk")["records"]["concepts.requests-0"][0]
    assert body["record"] == {
        name: sample[name]
        for name in ("topic", "partition", "offset", "timestamp", "key", "value", "headers")
    }
    assert body["parkedAt"].endswith("Z")
