"""Users and their credentials."""

from typing import Any

from psycopg import Connection, errors

from learnflow.domain.errors import ConflictError
from learnflow.domain.models import User

_BY_ID = "SELECT id::text AS id, email, display_name, role, timezone FROM users WHERE id = %s"
_CREDENTIALS_BY_EMAIL = (
    "SELECT id::text AS id, email, display_name, role, timezone, password_hash"
    " FROM users WHERE lower(email) = lower(%s)"
)


class UserRepository:
    def __init__(self, conn: Connection[dict[str, Any]]) -> None:
        self._conn = conn

    def add(self, user: User, password_hash: str) -> None:
        try:
            with self._conn.transaction():
                self._conn.execute(
                    "INSERT INTO users (id, email, password_hash, display_name, role, timezone)"
                    " VALUES (%s, %s, %s, %s, %s, %s)",
                    (user.id, user.email, password_hash, user.display_name, user.role, user.timezone),
                )
        except errors.UniqueViolation:
            raise ConflictError("An account with this email already exists.") from None

    def by_id(self, user_id: str) -> User | None:
        row = self._conn.execute(_BY_ID, (user_id,)).fetchone()
        return User.model_validate(row) if row else None

    def update_profile(self, user_id: str, *, display_name: str, timezone: str) -> None:
        self._conn.execute(
            "UPDATE users SET display_name = %s, timezone = %s WHERE id = %s",
            (display_name, timezone, user_id),
        )

    def credentials_by_email(self, email: str) -> tuple[User, str] | None:
        row = self._conn.execute(_CREDENTIALS_BY_EMAIL, (email,)).fetchone()
        if row is None:
            return None
        password_hash = row.pop("password_hash")
        return User.model_validate(row), password_hash
