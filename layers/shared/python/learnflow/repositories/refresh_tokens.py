"""Refresh tokens by their id (the JWT's jti): spent once, revoked by family."""

from datetime import datetime
from typing import Any

from psycopg import Connection

from learnflow.domain.sessions import StoredRefreshToken


class RefreshTokenRepository:
    def __init__(self, conn: Connection[dict[str, Any]]) -> None:
        self._conn = conn

    def add(self, token_id: str, *, user_id: str, family_id: str, expires_at: datetime) -> None:
        self._conn.execute("DELETE FROM refresh_tokens WHERE user_id = %s AND expires_at < now()", (user_id,))
        self._conn.execute(
            "INSERT INTO refresh_tokens (id, user_id, family_id, expires_at) VALUES (%s, %s, %s, %s)",
            (token_id, user_id, family_id, expires_at),
        )

    def lock(self, token_id: str) -> StoredRefreshToken | None:
        row = self._conn.execute(
            "SELECT id::text AS id, user_id::text AS user_id, family_id::text AS family_id,"
            " spent_at IS NOT NULL AS spent, revoked_at IS NOT NULL AS revoked"
            " FROM refresh_tokens WHERE id = %s FOR UPDATE",
            (token_id,),
        ).fetchone()
        return StoredRefreshToken(**row) if row else None

    def spend(self, token_id: str) -> None:
        self._conn.execute(
            "UPDATE refresh_tokens SET spent_at = coalesce(spent_at, now()) WHERE id = %s", (token_id,)
        )

    def revoke_family(self, family_id: str) -> None:
        self._conn.execute(
            "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = %s AND revoked_at IS NULL",
            (family_id,),
        )
