"""The transactional outbox against real Postgres and a real Kafka-protocol broker."""

import asyncio
import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from learnflow.db.pool import Pool
from learnflow.domain.models import User
from learnflow.events.envelope import CloudEvent
from learnflow.events.schemas import ProgressRecorded
from learnflow.events.topics import ALL_TOPICS, Topic
from learnflow.messaging.publisher import KafkaEventPublisher
from learnflow.repositories.database import Database
from learnflow.repositories.outbox_relay import relay_pending, requeue_sent_between
from learnflow.settings import KafkaSettings
from localcloud.embedded import EmbeddedKafka, ensure_topics
from tests.conftest import free_port
from tests.kafka_reading import read_topic

pytestmark = pytest.mark.database


def _activity(user: User) -> ProgressRecorded:
    return ProgressRecorded(user_id=user.id, kind="activity", occurred_at="2026-11-28T10:00:00Z")


def _pending(pool: Pool, event_ids: list[str]) -> list[dict[str, object]]:
    with pool.connection() as conn:
        return conn.execute(
            "SELECT event_id::text AS event_id, attempts, last_error, sent_at FROM event_outbox"
            " WHERE event_id = ANY(%s::uuid[]) AND sent_at IS NULL",
            (event_ids,),
        ).fetchall()


@pytest.fixture(scope="module")
def topics_ready(kafka_broker: EmbeddedKafka) -> str:
    asyncio.run(ensure_topics(kafka_broker.bootstrap_servers, ALL_TOPICS))
    return kafka_broker.bootstrap_servers


@pytest.fixture
def publisher(topics_ready: str) -> Iterator[KafkaEventPublisher]:
    created = KafkaEventPublisher(KafkaSettings(kafka_bootstrap_servers=topics_ready))
    yield created
    created.close()


@pytest.fixture
def publishing_db(pool: Pool, publisher: KafkaEventPublisher) -> Database:
    return Database(pool, publisher)


def test_an_event_is_published_right_after_its_change_commits(
    publishing_db: Database, student: User, topics_ready: str
) -> None:
    with publishing_db.transaction("corr-1") as uow:
        event = uow.publish(Topic.PROGRESS_EVENTS, _activity(student), user_id=student.id)

    assert _pending(publishing_db.pool, [event.id]) == []
    records = asyncio.run(read_topic(topics_ready, Topic.PROGRESS_EVENTS, expect=1))
    mine = [record for record in records if json.loads(record.value)["id"] == event.id]
    assert len(mine) == 1
    received = CloudEvent.model_validate_json(mine[0].value)
    assert mine[0].key == student.id.encode()
    assert (received.specversion, received.subject, received.correlationid) == ("1.0", student.id, "corr-1")
    assert received.data["kind"] == "activity"
    assert dict(mine[0].headers)["content-type"].startswith(b"application/cloudevents+json")


def test_a_rolled_back_change_leaves_no_event(publishing_db: Database, student: User) -> None:
    published: list[str] = []
    with pytest.raises(RuntimeError), publishing_db.transaction("corr-2") as uow:
        published.append(uow.publish(Topic.PROGRESS_EVENTS, _activity(student), user_id=student.id).id)
        raise RuntimeError("the change failed")
    with publishing_db.pool.connection() as conn:
        assert (
            conn.execute("SELECT 1 FROM event_outbox WHERE event_id = %s", (published[0],)).fetchone() is None
        )


def test_a_broker_outage_delays_events_but_loses_and_doubles_none(
    pool: Pool, student: User, tmp_path_factory: pytest.TempPathFactory
) -> None:
    broker = EmbeddedKafka(tmp_path_factory.mktemp("outage"), port=free_port())
    publisher = KafkaEventPublisher(KafkaSettings(kafka_bootstrap_servers=broker.bootstrap_servers))
    db = Database(pool, publisher)
    try:
        with db.transaction("during-outage") as uow:
            ids = [
                uow.publish(Topic.PROGRESS_EVENTS, _activity(student), user_id=student.id).id
                for _ in range(5)
            ]

        waiting = _pending(pool, ids)
        assert len(waiting) == 5, "with the broker down, every event must stay in the outbox"
        assert all(row["attempts"] == 1 and row["last_error"] for row in waiting)

        asyncio.run(broker.start())
        asyncio.run(ensure_topics(broker.bootstrap_servers, ALL_TOPICS))
        while relay_pending(pool, publisher).sent:
            pass
        assert relay_pending(pool, publisher).sent == 0

        assert _pending(pool, ids) == []
        records = asyncio.run(read_topic(broker.bootstrap_servers, Topic.PROGRESS_EVENTS, expect=5))
        delivered = Counter(json.loads(record.value)["id"] for record in records)
        assert {event_id: delivered[event_id] for event_id in ids} == dict.fromkeys(ids, 1)
    finally:
        publisher.close()
        asyncio.run(broker.stop())


def test_relays_running_at_once_never_send_the_same_event_twice(
    pool: Pool, student: User, clean_outbox: None, topics_ready: str
) -> None:
    with Database(pool).transaction("concurrent") as uow:
        ids = [
            uow.publish(Topic.PROGRESS_EVENTS, _activity(student), user_id=student.id).id for _ in range(40)
        ]
    publishers = [KafkaEventPublisher(KafkaSettings(kafka_bootstrap_servers=topics_ready)) for _ in range(4)]

    def drain(publisher: KafkaEventPublisher) -> None:
        while relay_pending(pool, publisher, limit=5).sent:
            pass

    async def relay_together() -> None:
        await asyncio.gather(*(asyncio.to_thread(drain, publisher) for publisher in publishers))

    try:
        asyncio.run(relay_together())
    finally:
        for publisher in publishers:
            publisher.close()
    assert _pending(pool, ids) == []
    records = asyncio.run(read_topic(topics_ready, Topic.PROGRESS_EVENTS, expect=40, within_seconds=15))
    delivered = Counter(json.loads(record.value)["id"] for record in records)
    assert {event_id: delivered[event_id] for event_id in ids} == dict.fromkeys(ids, 1)


def _kept(pool: Pool, event_id: str) -> list[dict[str, object]]:
    with pool.connection() as conn:
        return conn.execute(
            "SELECT attempts, last_error, sent_at FROM event_outbox WHERE event_id = %s", (event_id,)
        ).fetchall()


def test_an_event_of_no_change_goes_straight_to_kafka_without_an_outbox_row(
    publishing_db: Database, student: User, topics_ready: str
) -> None:
    event = publishing_db.direct_events("run-1").publish(
        Topic.PROGRESS_EVENTS, _activity(student), user_id=student.id
    )
    assert _kept(publishing_db.pool, event.id) == []
    records = asyncio.run(read_topic(topics_ready, Topic.PROGRESS_EVENTS, expect=1))
    assert [json.loads(record.value)["id"] for record in records].count(event.id) == 1


def test_an_event_of_no_change_is_kept_while_the_broker_is_down_and_sent_once_it_is_back(
    pool: Pool, student: User, tmp_path_factory: pytest.TempPathFactory
) -> None:
    broker = EmbeddedKafka(tmp_path_factory.mktemp("direct-outage"), port=free_port())
    publisher = KafkaEventPublisher(
        KafkaSettings(kafka_bootstrap_servers=broker.bootstrap_servers, kafka_publish_timeout_seconds=0.5)
    )
    try:
        event = (
            Database(pool, publisher)
            .direct_events("run-2")
            .publish(Topic.PROGRESS_EVENTS, _activity(student), user_id=student.id)
        )
        (kept,) = _kept(pool, event.id)
        assert kept["attempts"] == 1 and kept["last_error"] and kept["sent_at"] is None

        asyncio.run(broker.start())
        asyncio.run(ensure_topics(broker.bootstrap_servers, ALL_TOPICS))
        # a row a relay already tried is due at once, however young
        while relay_pending(pool, publisher, settle_seconds=300).sent:
            pass
        assert _kept(pool, event.id)[0]["sent_at"] is not None
        records = asyncio.run(read_topic(broker.bootstrap_servers, Topic.PROGRESS_EVENTS, expect=1))
        assert [json.loads(record.value)["id"] for record in records].count(event.id) == 1
    finally:
        publisher.close()
        asyncio.run(broker.stop())


def test_the_scheduled_relay_leaves_young_untried_rows_to_the_function_that_wrote_them(
    pool: Pool, student: User, clean_outbox: None, publisher: KafkaEventPublisher
) -> None:
    with Database(pool).transaction("young") as uow:
        event = uow.publish(Topic.PROGRESS_EVENTS, _activity(student), user_id=student.id)
    assert relay_pending(pool, publisher, settle_seconds=300).sent == 0
    assert _kept(pool, event.id)[0]["sent_at"] is None
    assert relay_pending(pool, publisher, settle_seconds=0).sent == 1
    assert _kept(pool, event.id)[0]["sent_at"] is not None


def test_only_what_a_lost_broker_held_is_sent_again(publishing_db: Database, student: User) -> None:
    sent = []
    for _ in range(3):
        with publishing_db.transaction("corr-lost") as uow:
            sent.append(uow.publish(Topic.PROGRESS_EVENTS, _activity(student), user_id=student.id).id)
    before, held, after = sent
    with publishing_db.pool.connection() as conn:
        for event_id, sent_at in zip(
            sent, ("2026-12-01T09:00Z", "2026-12-01T10:30Z", "2026-12-01T12:00Z"), strict=True
        ):
            conn.execute("UPDATE event_outbox SET sent_at = %s WHERE event_id = %s", (sent_at, event_id))

    requeued = requeue_sent_between(
        publishing_db.pool, datetime(2026, 12, 1, 10, tzinfo=UTC), datetime(2026, 12, 1, 11, tzinfo=UTC)
    )

    assert requeued >= 1
    assert [row["event_id"] for row in _pending(publishing_db.pool, sent)] == [held]
    assert _pending(publishing_db.pool, [before, after]) == []
