"""Every Kafka consumer parks a record it can never process and applies the rest of its batch.

The handlers run in this process on MSK events, against a real Postgres and a real broker (the
agents publish their answers); poison records go to the dead-letter file named by DEAD_LETTER_FILE.
"""

import asyncio
import base64
import importlib
import json
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from infra.wiring import FUNCTIONS
from learnflow.domain.models import User
from learnflow.events.envelope import CloudEvent
from learnflow.events.schemas import (
    CodeSubmitted,
    EventData,
    ProgressRecorded,
    StruggleDetected,
    TutorRequested,
    TutorResponded,
    new_event,
)
from learnflow.events.topics import ALL_TOPICS, Topic
from learnflow.repositories.database import Database
from localcloud.embedded import EmbeddedKafka, ensure_topics
from localcloud.event_sources import CLUSTER_ARN
from tests.contract.handler_loading import context
from tests.database.tutor_requests import stored_request

pytestmark = pytest.mark.database

CONSUMERS = tuple(spec.name for spec in FUNCTIONS if spec.kafka_sources)
UNREACHABLE_DATABASE = "postgresql://nobody@127.0.0.1:1/none"
#: what Lambda sets in every function; boto3 (the @connections client) needs a region
LAMBDA_ENV = {"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_LOG_LEVEL": "ERROR"}


@contextmanager
def fresh_handlers(names: tuple[str, ...], env: dict[str, str]) -> Iterator[dict[str, ModuleType]]:
    """The handler modules imported anew with `env` (their settings are read once, at import)."""
    modules = [f"functions.{name}.handler" for name in names]
    saved = {module: sys.modules.pop(module) for module in modules if module in sys.modules}
    try:
        with pytest.MonkeyPatch.context() as patch:
            for key, value in env.items():
                patch.setenv(key, value)
            yield {name: importlib.import_module(module) for name, module in zip(names, modules, strict=True)}
    finally:
        for module in modules:
            sys.modules.pop(module, None)
        sys.modules.update(saved)


def msk_batch(topic: Topic, values: list[bytes]) -> dict[str, Any]:
    """An MSK event of one partition holding these values at offsets 0, 1, 2..."""
    return {
        "eventSource": "aws:kafka",
        "eventSourceArn": CLUSTER_ARN,
        "bootstrapServers": "127.0.0.1:9092",
        "records": {
            f"{topic.value}-0": [
                {
                    "topic": topic.value,
                    "partition": 0,
                    "offset": offset,
                    "timestamp": 1769860800000 + offset,
                    "timestampType": "CREATE_TIME",
                    "key": base64.b64encode(b"user-key").decode(),
                    "value": base64.b64encode(value).decode(),
                    "headers": [{"content-type": list(b"application/cloudevents+json")}],
                }
                for offset, value in enumerate(values)
            ]
        },
    }


def parked(path: Path) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
    return [line for line in lines if line.get("kind") == "poison_record"]


@dataclass(frozen=True)
class Case:
    """A consumer's batch: a good event, a poison value, another good event."""

    topic: Topic
    good: Callable[[Database, User], CloudEvent]
    poison: Callable[[Database, User], bytes]
    reason: str


def _event(topic: Topic, data: EventData, user_id: str) -> CloudEvent:
    return new_event(topic, data, user_id=user_id, correlation_id=str(uuid.uuid4()))


def _queued(db: Database, student: User, intent: Any, *, error: str | None = None) -> str:
    question = "What is a list comprehension?" if error is None else "Why does this fail?"
    return stored_request(db, student, question=question, intent=intent, error=error).id


def _request(topic: Topic, intent: Any, error: str | None = None) -> Callable[[Database, User], CloudEvent]:
    def make(db: Database, student: User) -> CloudEvent:
        request_id = _queued(db, student, intent, error=error)
        data = TutorRequested(
            request_id=request_id,
            user_id=student.id,
            intent=intent,
            confidence=0.9,
            question="What is a list comprehension?",
            error=error,
        )
        return _event(topic, data, student.id)

    return make


def _with_data(topic: Topic, data: dict[str, Any], *, event_id: str | None = None) -> bytes:
    """A well-formed envelope around `data` (which may break the topic's schema)."""
    envelope = CloudEvent(type=f"com.learnflow.{topic.value}", subject="s", correlationid="c", data=data)
    if event_id is not None:
        envelope = envelope.model_copy(update={"id": event_id})
    return envelope.to_json_bytes()


NAME_ERROR = (
    "Traceback (most recent call last):\n  File \"main.py\", line 1\nNameError: name 'x' is not defined"
)

CASES: dict[str, Case] = {
    "concepts_agent": Case(
        Topic.CONCEPTS_REQUESTS,
        _request(Topic.CONCEPTS_REQUESTS, "concepts"),
        lambda db, student: b"what is a list comprehension?",
        "not_a_cloud_event",
    ),
    "learning_agent": Case(
        Topic.LEARNING_REQUESTS,
        _request(Topic.LEARNING_REQUESTS, "progress"),
        lambda db, student: _with_data(
            Topic.LEARNING_REQUESTS, {"request_id": "r", "user_id": student.id, "intent": "progress"}
        ),
        "schema_violation",
    ),
    "debug_agent": Case(
        Topic.DEBUG_REQUESTS,
        _request(Topic.DEBUG_REQUESTS, "debug", NAME_ERROR),
        lambda db, student: _event(
            Topic.DEBUG_REQUESTS,
            TutorRequested(
                request_id=str(uuid.uuid4()),
                user_id=str(uuid.uuid4()),  # nobody
                intent="debug",
                confidence=0.9,
                question="Why does this fail?",
                error=NAME_ERROR,
            ),
            student.id,
        ).to_json_bytes(),
        "unknown_user",
    ),
    "review_agent": Case(
        Topic.CODE_SUBMISSIONS,
        lambda db, student: _event(
            Topic.CODE_SUBMISSIONS,
            CodeSubmitted(
                user_id=student.id,
                code="def add(a, b):\n    return a + b\n",
                request_id=_queued(db, student, "code_review"),
            ),
            student.id,
        ),
        lambda db, student: _with_data(Topic.CODE_SUBMISSIONS, {"user_id": student.id, "code": 42}),
        "schema_violation",
    ),
    "response_relay": Case(
        Topic.LEARNING_RESPONSES,
        lambda db, student: _event(
            Topic.LEARNING_RESPONSES, TutorResponded(user_id=student.id, data={"answer": 42}), student.id
        ),
        lambda db, student: _with_data(
            Topic.LEARNING_RESPONSES, {"user_id": student.id, "data": {}}, event_id="not-a-uuid"
        ),
        "invalid_data",
    ),
    "progress_consumer": Case(
        Topic.PROGRESS_EVENTS,
        lambda db, student: _event(
            Topic.PROGRESS_EVENTS,
            ProgressRecorded(user_id=student.id, kind="activity", occurred_at=datetime.now(UTC)),
            student.id,
        ),
        lambda db, student: _with_data(
            Topic.PROGRESS_EVENTS,
            {
                "user_id": student.id,
                "kind": "quiz_attempted",
                "score": 150,
                "occurred_at": "2026-01-01T00:00Z",
            },
        ),
        "schema_violation",
    ),
    "notifications_consumer": Case(
        Topic.STRUGGLE_DETECTED,
        lambda db, student: _event(
            Topic.STRUGGLE_DETECTED,
            StruggleDetected(
                user_id=student.id, reason="NameError 3 times", occurrences=3, window_minutes=10
            ),
            student.id,
        ),
        lambda db, student: b'{"specversion": "1.0", "data": {}}',
        "not_a_cloud_event",
    ),
}


def test_every_kafka_consumer_of_the_wiring_has_a_case() -> None:
    assert set(CASES) == set(CONSUMERS)


@pytest.fixture(scope="module")
def broker(kafka_broker: EmbeddedKafka) -> str:
    asyncio.run(ensure_topics(kafka_broker.bootstrap_servers, ALL_TOPICS))
    return kafka_broker.bootstrap_servers


@pytest.fixture(scope="module")
def dead_letters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dead-letters") / "consumers.jsonl"


@pytest.fixture(scope="module")
def consumers(database_url: str, broker: str, dead_letters: Path) -> Iterator[dict[str, ModuleType]]:
    env = {
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": broker,
        "WEBSOCKET_MANAGEMENT_ENDPOINT": "http://127.0.0.1:1",  # students here have no connections
        "DEAD_LETTER_FILE": str(dead_letters),
        **LAMBDA_ENV,
    }
    with fresh_handlers(CONSUMERS, env) as handlers:
        yield handlers


def _applied(db: Database, consumer: str, event: CloudEvent) -> bool:
    query = (
        "SELECT 1 FROM progress_events WHERE event_id = %s"
        if consumer == "progress_consumer"
        else "SELECT 1 FROM processed_events WHERE event_id = %s AND consumer = %s"
    )
    with db.pool.connection() as conn:
        return conn.execute(query, (event.id, consumer)[: query.count("%s")]).fetchone() is not None


def _request_status(db: Database, event: CloudEvent) -> str | None:
    request_id = event.data.get("request_id")
    if request_id is None:
        return None
    with db.transaction("c") as uow:
        stored = uow.requests.by_id(request_id)
    return stored.status if stored else None


@pytest.mark.parametrize("consumer", CONSUMERS)
def test_a_poison_record_is_parked_with_its_reason_and_the_rest_of_the_batch_is_applied(
    consumers: dict[str, ModuleType], db: Database, student: User, dead_letters: Path, consumer: str
) -> None:
    case = CASES[consumer]
    first, poison, last = case.good(db, student), case.poison(db, student), case.good(db, student)
    already_parked = len(parked(dead_letters))
    batch = msk_batch(case.topic, [first.to_json_bytes(), poison, last.to_json_bytes()])

    response = consumers[consumer].lambda_handler(batch, context(consumer))

    assert response == {"batchItemFailures": []}
    assert _applied(db, consumer, first) and _applied(db, consumer, last)
    if "request_id" in first.data and consumer != "response_relay":
        assert _request_status(db, first) == _request_status(db, last) == "done"
    (parked_now,) = parked(dead_letters)[already_parked:]
    poison_record = batch["records"][f"{case.topic.value}-0"][1]
    assert parked_now["function"] == consumer
    assert parked_now["reason"]["code"] == case.reason
    assert parked_now["reason"]["message"]
    assert parked_now["record"] == {
        name: poison_record[name]
        for name in ("topic", "partition", "offset", "timestamp", "key", "value", "headers")
    }
    assert base64.b64decode(parked_now["record"]["value"]) == poison


def _without_database(dead_letters: Path) -> dict[str, str]:
    """A consumer's settings with its database unreachable."""
    return {
        "DATABASE_URL": UNREACHABLE_DATABASE,
        "WEBSOCKET_MANAGEMENT_ENDPOINT": "http://127.0.0.1:1",
        "DEAD_LETTER_FILE": str(dead_letters),
        **LAMBDA_ENV,
    }


def test_a_record_that_fails_because_the_database_is_unreachable_is_retried_not_parked(
    broker: str, tmp_path: Path
) -> None:
    dead_letters = tmp_path / "dead-letters.jsonl"
    env = _without_database(dead_letters)
    good = _event(
        Topic.STRUGGLE_DETECTED,
        StruggleDetected(user_id=str(uuid.uuid4()), reason="r", occurrences=3, window_minutes=10),
        str(uuid.uuid4()),
    )
    batch = msk_batch(Topic.STRUGGLE_DETECTED, [good.to_json_bytes(), b"not a CloudEvent"])
    with fresh_handlers(("notifications_consumer",), env) as handlers:
        response = handlers["notifications_consumer"].lambda_handler(batch, context("notifications_consumer"))

    # the good record fails its batch item (the mapping retries it); the poison one is parked
    failed = {"partition": f"{Topic.STRUGGLE_DETECTED.value}-0", "offset": 0}
    assert response == {"batchItemFailures": [{"itemIdentifier": failed}]}
    assert [line["record"]["offset"] for line in parked(dead_letters)] == [1]


def test_a_batch_the_database_fails_entirely_fails_the_invocation_so_the_mapping_retries_it(
    broker: str, tmp_path: Path
) -> None:
    dead_letters = tmp_path / "dead-letters.jsonl"
    env = _without_database(dead_letters)
    good = _event(
        Topic.PROGRESS_EVENTS,
        ProgressRecorded(user_id=str(uuid.uuid4()), kind="activity", occurred_at=datetime.now(UTC)),
        str(uuid.uuid4()),
    )
    with (
        fresh_handlers(("progress_consumer",), env) as handlers,
        pytest.raises(BatchProcessingError, match="All records failed"),
    ):
        handlers["progress_consumer"].lambda_handler(
            msk_batch(Topic.PROGRESS_EVENTS, [good.to_json_bytes()]), context("progress_consumer")
        )
    assert parked(dead_letters) == []
