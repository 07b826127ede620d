"""The transactional outbox: events are written with the change that causes them, then relayed."""

from dataclasses import dataclass

from psycopg import Connection
from psycopg.types.json import Jsonb

from learnflow.db.pool import Pool
from learnflow.events.envelope import CloudEvent
from learnflow.events.schemas import EventData, new_event
from learnflow.events.topics import Topic
from learnflow.messaging.publisher import EventPublisher, OutgoingRecord
from learnflow.observability import logger


def enqueue(
    conn: Connection[dict[str, object]], topic: Topic, data: EventData, *, user_id: str, correlation_id: str
) -> CloudEvent:
    """Adds an event to the outbox inside the caller's transaction and returns it."""
    event = new_event(topic, data, user_id=user_id, correlation_id=correlation_id)
    conn.execute(
        "INSERT INTO event_outbox (event_id, topic, key, payload) VALUES (%s, %s, %s, %s)",
        (event.id, topic.value, user_id, Jsonb(event.model_dump(mode="json"))),
    )
    return event


@dataclass(frozen=True)
class RelayResult:
    sent: int
    failed: int
    error: str | None = None


def relay_pending(
    pool: Pool, publisher: EventPublisher, *, event_ids: list[str] | None = None, limit: int = 500
) -> RelayResult:
    """Publishes unsent events (all, or only `event_ids`) and marks them sent.

    Rows stay locked while they are published, so concurrent relays never send the same row;
    a failure leaves them pending for the next relay.
    """
    with pool.connection() as conn, conn.transaction():
        rows = conn.execute(
            "SELECT id, topic, key, payload FROM event_outbox"
            " WHERE sent_at IS NULL AND (%(ids)s::uuid[] IS NULL OR event_id = ANY(%(ids)s::uuid[]))"
            " ORDER BY id LIMIT %(limit)s FOR UPDATE SKIP LOCKED",
            {"ids": event_ids, "limit": limit},
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
            message = f"{type(error).__name__}: {error}"[:500]
            conn.execute(
                "UPDATE event_outbox SET attempts = attempts + 1, last_error = %s WHERE id = ANY(%s)",
                (message, ids),
            )
            logger.warning(
                "outbox relay failed; events stay pending", extra={"pending": len(ids), "error": message}
            )
            return RelayResult(sent=0, failed=len(ids), error=message)
        conn.execute(
            "UPDATE event_outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY(%s)", (ids,)
        )
        return RelayResult(sent=len(ids), failed=0)
