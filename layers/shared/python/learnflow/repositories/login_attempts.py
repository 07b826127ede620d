"""Failed sign-ins and the sources users signed in from, for the password-guessing throttle."""

from datetime import datetime
from typing import Any

from psycopg import Connection

_PRUNE_BATCH = 200


class LoginAttemptRepository:
    def __init__(self, conn: Connection[dict[str, Any]]) -> None:
        self._conn = conn

    def serialize(self, account: str) -> None:
        self._conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"learnflow.login:{account}",)
        )

    def recent_failures(
        self, *, since: datetime, limit: int, account: str | None = None, source_ip: str | None = None
    ) -> list[datetime]:
        if (account is None) == (source_ip is None):
            raise ValueError("give either an account or a source ip")
        query = (
            "SELECT failed_at FROM login_failures WHERE account = %s AND failed_at > %s"
            " ORDER BY failed_at DESC LIMIT %s"
            if account is not None
            else "SELECT failed_at FROM login_failures WHERE source_ip = %s AND failed_at > %s"
            " ORDER BY failed_at DESC LIMIT %s"
        )
        rows = self._conn.execute(query, (account or source_ip, since, limit)).fetchall()
        return [row["failed_at"] for row in rows]

    def is_known_source(self, account: str, source_ip: str, *, since: datetime) -> bool:
        row = self._conn.execute(
            "SELECT 1 FROM login_known_sources k JOIN users u ON u.id = k.user_id"
            " WHERE lower(u.email) = %s AND k.source_ip = %s AND k.last_success_at > %s",
            (account, source_ip, since),
        ).fetchone()
        return row is not None

    def record_failure(self, account: str, source_ip: str, *, at: datetime, forget_before: datetime) -> None:
        self._conn.execute(
            "INSERT INTO login_failures (account, source_ip, failed_at) VALUES (%s, %s, %s)",
            (account, source_ip, at),
        )
        self._conn.execute(
            "DELETE FROM login_failures WHERE id IN (SELECT id FROM login_failures WHERE failed_at < %s"
            " ORDER BY failed_at LIMIT %s FOR UPDATE SKIP LOCKED)",
            (forget_before, _PRUNE_BATCH),
        )

    def record_success(self, user_id: str, source_ip: str, *, at: datetime, forget_before: datetime) -> None:
        self._conn.execute(
            "INSERT INTO login_known_sources (user_id, source_ip, last_success_at) VALUES (%s, %s, %s)"
            " ON CONFLICT (user_id, source_ip) DO UPDATE SET last_success_at = EXCLUDED.last_success_at",
            (user_id, source_ip, at),
        )
        self._conn.execute(
            "DELETE FROM login_known_sources WHERE user_id = %s AND last_success_at < %s",
            (user_id, forget_before),
        )
