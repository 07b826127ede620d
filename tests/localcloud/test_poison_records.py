"""A poison record through the local cloud's event source mapping: parked at once, partition not held up.

The real notifications_consumer runs in the local cloud's function runtime with the environment
the local cloud gives it, fed by a real mapping from a real broker, against a real Postgres.
"""

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import psycopg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from infra.wiring import FunctionSpec, KafkaSource, function_named
from learnflow.domain.models import User
from learnflow.events.schemas import StruggleDetected, new_event
from learnflow.events.topics import Topic
from localcloud.environment import Endpoints, function_environment
from localcloud.event_sources import Backoff, EventSourceMappings, dead_letter_file
from localcloud.runtime import FunctionRuntime
from tests.localcloud.conftest import eventually

CONSUMER = function_named("notifications_consumer")
#: a retry would wait this long: a good record behind a poison one must not
SLOW_BACKOFF = Backoff(first_delay_seconds=10.0, max_delay_seconds=10.0)
FAST_BACKOFF = Backoff(first_delay_seconds=0.05, max_delay_seconds=0.2)
UNREACHABLE_DATABASE = "postgresql://nobody@127.0.0.1:1/none"


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _student(database_url: str) -> User:
    user = User(
        id=str(uuid.uuid4()), email=f"{uuid.uuid4().hex[:8]}@example.com", display_name="Ada", role="student"
    )
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "INSERT INTO users (id, email, display_name, role, password_hash) VALUES (%s, %s, %s, %s, 'x')",
            (user.id, user.email, user.display_name, user.role),
        )
    return user


def _alerts(database_url: str, user_id: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM notifications WHERE user_id = %s AND kind = 'struggle_alert'", (user_id,)
        ).fetchone()
    return int(row[0]) if row else 0


def _struggle(user: User) -> bytes:
    data = StruggleDetected(user_id=user.id, reason="NameError 3 times", occurrences=3, window_minutes=10)
    event = new_event(Topic.STRUGGLE_DETECTED, data, user_id=user.id, correlation_id=str(uuid.uuid4()))
    return event.to_json_bytes()


@asynccontextmanager
async def consuming(
    spec: FunctionSpec,
    environment: Callable[[FunctionSpec], Mapping[str, str]],
    broker: str,
    data_dir: Path,
    backoff: Backoff,
) -> AsyncIterator[EventSourceMappings]:
    runtime = FunctionRuntime((spec,), environment, data_dir / "logs")
    await runtime.prewarm()
    mappings = EventSourceMappings(
        runtime, [spec], broker, data_dir, backoff=backoff, session_timeout_ms=1000
    )
    try:
        await mappings.start()
        await mappings.wait_assigned(timeout_seconds=15)
        yield mappings
    finally:
        await mappings.stop()
        await runtime.close()


async def _committed(broker: str, group: str, topic: str) -> int | None:
    consumer = AIOKafkaConsumer(bootstrap_servers=broker, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        return cast(int | None, await consumer.committed(TopicPartition(topic, 0)))
    finally:
        await consumer.stop()


def _wired(topic: str, **source: Any) -> FunctionSpec:
    return replace(CONSUMER, kafka_sources=(KafkaSource(cast(Topic, topic), **source),))


async def test_a_poison_record_is_parked_at_once_and_the_records_behind_it_are_consumed(
    broker: str, producer: AIOKafkaProducer, topic: str, database_url: str, tmp_path: Path
) -> None:
    ada, grace = _student(database_url), _student(database_url)
    spec = _wired(topic, maximum_retry_attempts=3)
    endpoints = Endpoints(database_url, broker, "http://127.0.0.1:1", "x" * 48, data_dir=tmp_path)
    dead_letters = dead_letter_file(tmp_path, spec.name)

    async with consuming(
        spec, lambda s: function_environment(s, endpoints), broker, tmp_path, SLOW_BACKOFF
    ) as mappings:
        for value in (_struggle(ada), b"NameError 3 times"):
            await producer.send_and_wait(topic, value, key=b"k", headers=[("source", b"test")])
        await eventually(lambda: _alerts(database_url, ada.id) == 1, timeout_seconds=30)
        # the poison record has been delivered; what comes next on its partition must not wait for it
        sent_at = time.monotonic()
        await producer.send_and_wait(topic, _struggle(grace))
        await eventually(lambda: _alerts(database_url, grace.id) == 1, timeout_seconds=30)
        consumed_in = time.monotonic() - sent_at
        (mapping,) = mappings.mappings
        group = mapping.group_id
        # the mapping commits once the invocation has returned; stopping earlier leaves it uncommitted
        committed = None
        for _ in range(150):
            committed = await _committed(broker, group, topic)
            if committed == 3:
                break
            await asyncio.sleep(0.1)

    assert consumed_in < SLOW_BACKOFF.first_delay_seconds, "the poison record held up its partition"
    assert _alerts(database_url, ada.id) == 1
    (parked,) = _lines(dead_letters)  # no batch the mapping gave up on: nothing failed
    assert parked["kind"] == "poison_record"
    assert parked["function"] == "notifications_consumer"
    assert parked["reason"]["code"] == "not_a_cloud_event"
    assert (parked["record"]["topic"], parked["record"]["offset"]) == (topic, 1)
    assert parked["record"]["key"] == "aw=="  # b"k"
    assert parked["record"]["headers"] == [{"source": list(b"test")}]
    assert committed == 3


async def test_a_record_the_database_cannot_take_is_retried_then_given_up_by_the_mapping_not_parked(
    broker: str, producer: AIOKafkaProducer, topic: str, database_url: str, tmp_path: Path
) -> None:
    ada = _student(database_url)
    spec = _wired(topic, maximum_retry_attempts=1)
    endpoints = Endpoints(UNREACHABLE_DATABASE, broker, "http://127.0.0.1:1", "x" * 48, data_dir=tmp_path)
    dead_letters = dead_letter_file(tmp_path, spec.name)

    async with consuming(spec, lambda s: function_environment(s, endpoints), broker, tmp_path, FAST_BACKOFF):
        await producer.send_and_wait(topic, _struggle(ada))
        (given_up,) = await eventually(lambda: _lines(dead_letters), timeout_seconds=30)

    assert "kind" not in given_up  # the mapping's invocation record, not a parked poison record
    assert given_up["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert given_up["requestContext"]["approximateInvokeCount"] == 2
    assert _alerts(database_url, ada.id) == 0
