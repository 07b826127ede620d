"""The transactional outbox: events are written with the change that causes them, then relayed.

An event that records no change of ours (a program's result) needs no transaction: it goes
straight to Kafka and the outbox keeps it only when the broker cannot take it (`publish_or_keep`).

Two relays: right after commit, the function that wrote the events publishes them from memory
(`relay_committed`); on a schedule, `relay_pending` publishes whatever is still waiting (the broker
was down, the function stopped). The scheduled one leaves rows younger than `settle_seconds` that
no relay has tried yet to their own function, so the two rarely send the same row; when they do,
consumers are idempotent.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from psycopg import Connection
from psycopg.types.json import Jsonb

from learnflow.db.pool import Pool
from learnflow.events.envelope import CloudEvent
from learnflow.events.schemas import EventData, new_event
from learnflow.events.topics import Topic
from learnflow.messaging.publisher import EventPublisher, OutgoingRecord
from learnflow.observability import logger


@dataclass(frozen=True)
class Enqueued:
    """An event written to the outbox, and the record that carries it to Kafka."""

    event: CloudEvent
    record: OutgoingRecord


def enqueue(
    conn: Connection[dict[str, object]], topic: Topic, data: EventData, *, user_id: str, correlation_id: str
) -> Enqueued:
    """Adds an event to the outbox inside the caller's transaction."""
    event = new_event(topic, data, user_id=user_id, correlation_id=correlation_id)
    _insert(conn, event, topic, user_id)
    return Enqueued(event, _record(event, topic, user_id))


def _record(event: CloudEvent, topic: Topic, user_id: str) -> OutgoingRecord:
    return OutgoingRecord(topic=topic.value, key=user_id, value=event.to_json_bytes())


def _insert(
    conn: Connection[dict[str, object]],
    event: CloudEvent,
    topic: Topic,
    user_id: str,
    error: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO event_outbox (event_id, topic, key, payload, attempts, last_error)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        (event.id, topic.value, user_id, Jsonb(event.model_dump(mode="json")), int(error is not None), error),
    )


def publish_or_keep(
    pool: Pool,
    publisher: EventPublisher | None,
    topic: Topic,
    data: EventData,
    *,
    user_id: str,
    correlation_id: str,
) -> CloudEvent:
    """Publishes an event that records no database change; the outbox keeps it if the broker cannot.

    A publish that timed out may still have reached the broker, so the kept copy can arrive twice;
    consumers are idempotent.
    """
    event = new_event(topic, data, user_id=user_id, correlation_id=correlation_id)
    error = "no broker is configured here"
    if publisher is not None:
        try:
            publisher.publish([_record(event, topic, user_id)])
        except Exception as failed:  # every failure keeps the event for the scheduled relay
            error = _failure(failed)
        else:
            return event
    with pool.connection() as conn:
        _insert(conn, event, topic, user_id, error)
    return event


@dataclass(frozen=True)
class RelayResult:
    sent: int
    failed: int
    error: str | None = None


def relay_committed(pool: Pool, publisher: EventPublisher, enqueued: Sequence[Enqueued]) -> RelayResult:
    """Publishes events whose transaction has just committed, then marks them sent in one statement."""
    if not enqueued:
        return RelayResult(sent=0, failed=0)
    event_ids = [item.event.id for item in enqueued]
    try:
        publisher.publish([item.record for item in enqueued])
    except Exception as error:  # every failure leaves the rows pending, now due for the scheduled relay
        message = _failure(error)
        with pool.connection() as conn:
            conn.execute(
                "UPDATE event_outbox SET attempts = attempts + 1, last_error = %s"
                " WHERE event_id = ANY(%s::uuid[]) AND sent_at IS NULL",
                (message, event_ids),
            )
        return RelayResult(sent=0, failed=len(event_ids), error=message)
    with pool.connection() as conn:
        conn.execute(
            "UPDATE event_outbox SET sent_at = clock_timestamp(), attempts = attempts + 1"
            " WHERE event_id = ANY(%s::uuid[]) AND sent_at IS NULL",
            (event_ids,),
        )
    return RelayResult(sent=len(event_ids), failed=0)


def _failure(error: Exception) -> str:
    message = f"{type(error).__name__}: {error}"[:500]
    logger.warning("outbox relay failed; events stay pending", extra={"error": message})
    return message


def relay_pending(
    pool: Pool, publisher: EventPublisher, *, limit: int = 500, settle_seconds: float = 0
) -> RelayResult:
    """Publishes unsent events and marks them sent, oldest first.

    Rows stay locked while they are published, so scheduled relays running at once never send the
    same row; a failure leaves them pending for the next relay.
    """
    with pool.connection() as conn, conn.transaction():
        rows = conn.execute(
            "SELECT id, topic, key, payload FROM event_outbox"
            " WHERE sent_at IS NULL"
            " AND (attempts > 0 OR created_at < now() - make_interval(secs => %(settle)s))"
            " ORDER BY id LIMIT %(limit)s FOR UPDATE SKIP LOCKED",
            {"settle": settle_seconds, "limit": limit},
        ).fetchall()
        if not rows:
            return RelayResult(sent=0, failed=0)
        records = [
            OutgoingRecord(
                topic=str(row["topic"]),
                key=str(row["key"]),
                value=CloudEvent.model_validate(row["payload"]).to_json_bytes(),
            )
            for row in rows
        ]
        ids = [row["id"] for row in rows]
        try:
            publisher.publish(records)
        except Exception as error:  # the broker's failure modes are many; every one leaves rows pending
            message = _failure(error)
            conn.execute(
                "UPDATE event_outbox SET attempts = attempts + 1, last_error = %s WHERE id = ANY(%s)",
                (message, ids),
            )
            return RelayResult(sent=0, failed=len(ids), error=message)
        conn.execute(
            # the moment the broker took them, not the transaction's start: a publish can wait for a
            # broker that is coming back, and what a lost broker held is told apart by this time
            "UPDATE event_outbox SET sent_at = clock_timestamp(), attempts = attempts + 1 WHERE id = ANY(%s)",
            (ids,),
        )
        return RelayResult(sent=len(ids), failed=0)


def requeue_sent_between(pool: Pool, since: datetime, until: datetime) -> int:
    """Marks events sent in [since, until) unsent again, due at once: the broker that took them lost them.

    For a broker that keeps records only in memory and was restarted at `until`: what was sent to the
    new broker is not lost. Consumers are idempotent, so events consumed before the loss are applied
    once all the same.
    """
    with pool.connection() as conn:
        cursor = conn.execute(
            "UPDATE event_outbox SET sent_at = NULL, attempts = attempts + 1"
            " WHERE sent_at >= %s AND sent_at < %s",
            (since, until),
        )
        return cursor.rowcount
