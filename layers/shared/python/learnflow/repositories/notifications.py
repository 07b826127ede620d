"""Notifications, newest first per recipient, with keyset (cursor) pagination."""

from datetime import datetime
from typing import Any

from psycopg import Connection
from psycopg.types.json import Jsonb

from learnflow.domain.notifications import Cursor, Notification

_COLUMNS = (
    "id::text AS id, user_id::text AS user_id, kind, message, data, created_at, read_at IS NOT NULL AS read"
)
_ADD = (
    "INSERT INTO notifications (id, user_id, kind, message, data, created_at) VALUES (%s, %s, %s, %s, %s, %s)"
)
_BY_ID = f"SELECT {_COLUMNS} FROM notifications WHERE id = %s"  # noqa: S608 - constant column list
_MARK_READ = "UPDATE notifications SET read_at = %s WHERE id = %s AND read_at IS NULL"
# The unread filter and the cursor are spelled out in four constant statements, so each one matches
# its index (notifications_user_idx, or the partial notifications_unread_idx) as it is.
_PAGE = {
    (unread, after): (
        f"SELECT {_COLUMNS} FROM notifications WHERE user_id = %(user_id)s"  # noqa: S608 - constant parts
        + (" AND read_at IS NULL" if unread else "")
        + (" AND (created_at, id) < (%(created_at)s, %(id)s)" if after else "")
        # qualified: the bare names would sort by the output columns (id as text), not by the index
        + " ORDER BY notifications.created_at DESC, notifications.id DESC LIMIT %(limit)s"
    )
    for unread in (False, True)
    for after in (False, True)
}


def _notification(row: dict[str, Any]) -> Notification:
    return Notification(
        id=row["id"],
        user_id=row["user_id"],
        kind=row["kind"],
        message=row["message"],
        data=row["data"],
        created_at=row["created_at"],
        read=row["read"],
    )


class NotificationRepository:
    def __init__(self, conn: Connection[dict[str, Any]]) -> None:
        self._conn = conn

    def add(self, notification: Notification) -> None:
        self._conn.execute(
            _ADD,
            (
                notification.id,
                notification.user_id,
                notification.kind,
                notification.message,
                Jsonb(notification.data),
                notification.created_at,
            ),
        )

    def by_id(self, notification_id: str) -> Notification | None:
        row = self._conn.execute(_BY_ID, (notification_id,)).fetchone()
        return _notification(row) if row else None

    def page(
        self, user_id: str, *, unread_only: bool, after: Cursor | None, limit: int
    ) -> list[Notification]:
        parameters: dict[str, Any] = {"user_id": user_id, "limit": limit}
        if after is not None:
            parameters |= {"created_at": after.created_at, "id": after.id}
        statement = _PAGE[(unread_only, after is not None)]
        return [_notification(row) for row in self._conn.execute(statement, parameters).fetchall()]

    def mark_read(self, notification_id: str, at: datetime) -> None:
        self._conn.execute(_MARK_READ, (at, notification_id))
