"""The transactional outbox's rows: events waiting for Kafka, and what the relays did with them."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import Connection
from psycopg.types.json import Jsonb

from learnflow.events.envelope import CloudEvent
from learnflow.events.topics import Topic


@dataclass(frozen=True)
class DueEvent:
    """A pending row, locked by the transaction that read it until that transaction ends."""

    row_id: int
    topic: str
    key: str
    event: CloudEvent


class OutboxRepository:
    def __init__(self, conn: Connection[dict[str, Any]]) -> None:
        self._conn = conn

    def add(self, event: CloudEvent, topic: Topic, key: str, *, failed_attempt: str | None = None) -> None:
        """Writes a pending event; with `failed_attempt`, as tried once already and failed with it."""
        self._conn.execute(
            "INSERT INTO event_outbox (event_id, topic, key, payload, attempts, last_error)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            (
                event.id,
                topic.value,
                key,
                Jsonb(event.model_dump(mode="json")),
                int(failed_attempt is not None),
                failed_attempt,
            ),
        )

    def mark_sent(self, event_ids: Sequence[str]) -> None:
        """The broker took these events just now (unless a relay had marked them sent already)."""
        self._conn.execute(
            "UPDATE event_outbox SET sent_at = clock_timestamp(), attempts = attempts + 1"
            " WHERE event_id = ANY(%s::uuid[]) AND sent_at IS NULL",
            (list(event_ids),),
        )

    def record_failure(self, event_ids: Sequence[str], error: str) -> None:
        """The broker did not take these events; they stay pending, due for the scheduled relay."""
        self._conn.execute(
            "UPDATE event_outbox SET attempts = attempts + 1, last_error = %s"
            " WHERE event_id = ANY(%s::uuid[]) AND sent_at IS NULL",
            (error, list(event_ids)),
        )

    def lock_due(self, *, limit: int, settle_seconds: float) -> list[DueEvent]:
        """Pending rows, oldest first, locked for this transaction; rows another relay holds are skipped.

        A row younger than `settle_seconds` that no relay has tried yet is left to the function that
        wrote it, which is publishing it from memory.
        """
        rows = self._conn.execute(
            "SELECT id, topic, key, payload FROM event_outbox"
            " WHERE sent_at IS NULL"
            " AND (attempts > 0 OR created_at < now() - make_interval(secs => %(settle)s))"
            " ORDER BY id LIMIT %(limit)s FOR UPDATE SKIP LOCKED",
            {"settle": settle_seconds, "limit": limit},
        ).fetchall()
        return [
            DueEvent(
                row_id=int(row["id"]),
                topic=str(row["topic"]),
                key=str(row["key"]),
                event=CloudEvent.model_validate(row["payload"]),
            )
            for row in rows
        ]

    def mark_due_sent(self, due: Sequence[DueEvent]) -> None:
        self._conn.execute(
            # the moment the broker took them, not the transaction's start: a publish can wait for a
            # broker that is coming back, and what a lost broker held is told apart by this time
            "UPDATE event_outbox SET sent_at = clock_timestamp(), attempts = attempts + 1 WHERE id = ANY(%s)",
            ([item.row_id for item in due],),
        )

    def record_due_failure(self, due: Sequence[DueEvent], error: str) -> None:
        self._conn.execute(
            "UPDATE event_outbox SET attempts = attempts + 1, last_error = %s WHERE id = ANY(%s)",
            (error, [item.row_id for item in due]),
        )

    def requeue_sent_between(self, since: datetime, until: datetime) -> int:
        """Marks events sent in [since, until) pending again, due at once; returns how many."""
        cursor = self._conn.execute(
            "UPDATE event_outbox SET sent_at = NULL, attempts = attempts + 1"
            " WHERE sent_at >= %s AND sent_at < %s",
            (since, until),
        )
        return cursor.rowcount
