"""Users and their credentials."""

from typing import Any

from psycopg import Connection, errors

from learnflow.domain.errors import ConflictError
from learnflow.domain.models import User

_COLUMNS = "id::text AS id, email, display_name, role, timezone"


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
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM users WHERE id = %s", (user_id,)).fetchone()
        return User.model_validate(row) if row else None

    def credentials_by_email(self, email: str) -> tuple[User, str] | None:
        row = self._conn.execute(
            f"SELECT {_COLUMNS}, password_hash FROM users WHERE lower(email) = lower(%s)", (email,)
        ).fetchone()
        if row is None:
            return None
        password_hash = row.pop("password_hash")
        return User.model_validate(row), password_hash
