"""Open WebSocket connections, so answers reach every device a student is on."""

from typing import Any

from psycopg import Connection


class ConnectionRepository:
    def __init__(self, conn: Connection[dict[str, Any]]) -> None:
        self._conn = conn

    def add(self, connection_id: str, user_id: str) -> None:
        self._conn.execute(
            "INSERT INTO websocket_connections (connection_id, user_id) VALUES (%s, %s)"
            " ON CONFLICT (connection_id) DO UPDATE SET user_id = EXCLUDED.user_id",
            (connection_id, user_id),
        )

    def remove(self, connection_id: str) -> None:
        self._conn.execute("DELETE FROM websocket_connections WHERE connection_id = %s", (connection_id,))

    def of_user(self, user_id: str) -> list[str]:
        rows = self._conn.execute(
            "SELECT connection_id FROM websocket_connections WHERE user_id = %s ORDER BY connected_at",
            (user_id,),
        ).fetchall()
        return [str(row["connection_id"]) for row in rows]

    def user_of(self, connection_id: str) -> str | None:
        row = self._conn.execute(
            "SELECT user_id::text AS user_id FROM websocket_connections WHERE connection_id = %s",
            (connection_id,),
        ).fetchone()
        return str(row["user_id"]) if row else None
