"""The events each consumer has applied, so a redelivered event changes nothing."""

from typing import Any

from psycopg import Connection


class ProcessedEventRepository:
    def __init__(self, conn: Connection[dict[str, Any]]) -> None:
        self._conn = conn

    def claim(self, consumer: str, event_id: str) -> bool:
        """Records that `consumer` applies the event; False when it had already."""
        row = self._conn.execute(
            "INSERT INTO processed_events (consumer, event_id) VALUES (%s, %s)"
            " ON CONFLICT DO NOTHING RETURNING event_id",
            (consumer, event_id),
        ).fetchone()
        return row is not None
