"""CloudEvents envelopes and the schema of each of the eight topics."""

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from learnflow.events.envelope import CloudEvent
from learnflow.events.schemas import TOPIC_SCHEMAS, CodeSubmitted, ProgressRecorded, TutorRequested, new_event
from learnflow.events.topics import ALL_TOPICS, Topic

CONTRACT_TOPICS = {
    "learning.requests",
    "concepts.requests",
    "code.submissions",
    "debug.requests",
    "exercise.generated",
    "learning.responses",
    "struggle.detected",
    "progress.events",
}


def test_the_eight_topics_of_the_contract_each_have_a_schema() -> None:
    assert set(ALL_TOPICS) == CONTRACT_TOPICS
    assert {topic.value for topic in TOPIC_SCHEMAS} == CONTRACT_TOPICS


def test_an_event_is_a_structured_cloudevent_with_the_correlation_id() -> None:
    data = TutorRequested(
        request_id="r1", user_id="u1", intent="concepts", confidence=0.8, question="what is a set?"
    )
    event = new_event(Topic.CONCEPTS_REQUESTS, data, user_id="u1", correlation_id="corr-9")
    wire = json.loads(event.to_json_bytes())
    assert {
        "specversion",
        "id",
        "source",
        "type",
        "time",
        "datacontenttype",
        "subject",
        "data",
        "correlationid",
    } <= wire.keys()
    assert wire["specversion"] == "1.0"
    assert wire["type"] == "com.learnflow.concepts.requests"
    assert wire["subject"] == "u1" and wire["correlationid"] == "corr-9"
    assert wire["datacontenttype"] == "application/json"
    assert datetime.fromisoformat(wire["time"]).tzinfo is not None
    assert CloudEvent.model_validate(wire).data == data.model_dump(mode="json")


def test_each_topic_refuses_data_of_another_schema() -> None:
    wrong = CodeSubmitted(user_id="u1", code="print(1)")
    with pytest.raises(TypeError, match=r"concepts\.requests carries TutorRequested"):
        new_event(Topic.CONCEPTS_REQUESTS, wrong, user_id="u1", correlation_id="c")


def test_schemas_refuse_unknown_fields_and_out_of_range_values() -> None:
    with pytest.raises(ValidationError):
        ProgressRecorded.model_validate(
            {"user_id": "u", "kind": "activity", "occurred_at": datetime.now(UTC), "score": 101}
        )
    with pytest.raises(ValidationError):
        TutorRequested.model_validate(
            {
                "request_id": "r",
                "user_id": "u",
                "intent": "concepts",
                "confidence": 0.5,
                "question": "q",
                "surprise": True,
            }
        )
