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

from learnflow.db.pool import Pool
from learnflow.events.envelope import CloudEvent
from learnflow.events.schemas import EventData, new_event
from learnflow.events.topics import Topic
from learnflow.messaging.publisher import EventPublisher, OutgoingRecord
from learnflow.observability import logger
from learnflow.repositories.outbox import OutboxRepository


@dataclass(frozen=True)
class Enqueued:
    """An event written to the outbox, and the record that carries it to Kafka."""

    event: CloudEvent
    record: OutgoingRecord


@dataclass(frozen=True)
class RelayResult:
    sent: int
    failed: int
    error: str | None = None


def enqueue(
    outbox: OutboxRepository, topic: Topic, data: EventData, *, user_id: str, correlation_id: str
) -> Enqueued:
    """Adds an event to the outbox inside the transaction `outbox` writes in."""
    event = new_event(topic, data, user_id=user_id, correlation_id=correlation_id)
    outbox.add(event, topic, user_id)
    return Enqueued(event, _record(event, topic.value, user_id))


def _record(event: CloudEvent, topic: str, key: str) -> OutgoingRecord:
    return OutgoingRecord(topic=topic, key=key, value=event.to_json_bytes())


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
            publisher.publish([_record(event, topic.value, user_id)])
        except Exception as failed:  # every failure keeps the event for the scheduled relay
            error = _failure(failed)
        else:
            return event
    with pool.connection() as conn:
        OutboxRepository(conn).add(event, topic, user_id, failed_attempt=error)
    return event


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
            OutboxRepository(conn).record_failure(event_ids, message)
        return RelayResult(sent=0, failed=len(event_ids), error=message)
    with pool.connection() as conn:
        OutboxRepository(conn).mark_sent(event_ids)
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
        outbox = OutboxRepository(conn)
        due = outbox.lock_due(limit=limit, settle_seconds=settle_seconds)
        if not due:
            return RelayResult(sent=0, failed=0)
        try:
            publisher.publish([_record(item.event, item.topic, item.key) for item in due])
        except Exception as error:  # the broker's failure modes are many; every one leaves rows pending
            message = _failure(error)
            outbox.record_due_failure(due, message)
            return RelayResult(sent=0, failed=len(due), error=message)
        outbox.mark_due_sent(due)
        return RelayResult(sent=len(due), failed=0)


def requeue_sent_between(pool: Pool, since: datetime, until: datetime) -> int:
    """Marks events sent in [since, until) unsent again, due at once: the broker that took them lost them.

    For a broker that keeps records only in memory and was restarted at `until`: what was sent to the
    new broker is not lost. Consumers are idempotent, so events consumed before the loss are applied
    once all the same.
    """
    with pool.connection() as conn:
        return OutboxRepository(conn).requeue_sent_between(since, until)
