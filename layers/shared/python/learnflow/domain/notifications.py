"""Notifications: stored per recipient, listed newest first with a cursor, pushed live to their sockets.

Who gets what: a student hears of their own level-ups and streak milestones (the progress consumer)
and of a struggle episode, which also alerts each of their teachers; a teacher may write to the
students of their classes, an admin to anyone.
"""

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from learnflow.domain.access import TeacherRoster, Viewer, ensure_owner, ensure_owner_or_admin, is_valid_id
from learnflow.domain.access import require_role as require_any_role
from learnflow.domain.delivery import deliver
from learnflow.domain.errors import InvalidInputError, NotFoundError
from learnflow.domain.ports import ConnectionPusher, ConnectionStore, UnitOfWork, UserStore
from learnflow.events.schemas import StruggleDetected

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
#: kinds only LearnFlow itself sends, so a person cannot pass a message off as one
SYSTEM_KINDS = frozenset(
    {"level_up", "streak_milestone", "struggle_alert", "student_struggling", "student_joined"}
)


@dataclass(frozen=True)
class Notification:
    id: str
    user_id: str
    kind: str
    message: str
    data: dict[str, Any]
    created_at: datetime
    read: bool = False

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "message": self.message,
            "data": self.data,
            "created_at": self.created_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "read": self.read,
        }


def new_notification(
    user_id: str, kind: str, message: str, data: dict[str, Any] | None = None, *, now: datetime
) -> Notification:
    return Notification(str(uuid.uuid4()), user_id, kind, message, data or {}, now)


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the last item's (created_at, id); the next page starts strictly after it."""

    created_at: datetime
    id: str

    def encode(self) -> str:
        raw = f"{self.created_at.astimezone(UTC).isoformat()}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> "Cursor":
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            moment, _, item_id = raw.partition("|")
            cursor = cls(datetime.fromisoformat(moment), str(uuid.UUID(item_id)))
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise _bad_cursor() from None
        if cursor.created_at.tzinfo is None:
            raise _bad_cursor()
        return cursor


def _bad_cursor() -> InvalidInputError:
    return InvalidInputError(
        "The cursor is not one this API gave out.",
        details=[{"field": "cursor", "message": "use next_cursor from the previous page"}],
    )


class NotificationStore(Protocol):
    def add(self, notification: Notification) -> None: ...
    def by_id(self, notification_id: str) -> Notification | None: ...
    def page(
        self, user_id: str, *, unread_only: bool, after: Cursor | None, limit: int
    ) -> list[Notification]:
        """Up to `limit` notifications newest first, strictly older than `after` when given."""
        ...

    def mark_read(self, notification_id: str, at: datetime) -> None:
        """Marks it read once; marking again keeps the first time."""
        ...


class Roster(TeacherRoster, Protocol):
    def teachers_of(self, student_id: str) -> list[str]:
        """The teachers of every class the student is in, each once."""
        ...


@dataclass(frozen=True)
class Page:
    items: list[Notification]
    next_cursor: str | None

    def public(self) -> dict[str, Any]:
        return {"items": [item.public() for item in self.items], "next_cursor": self.next_cursor}


def page_of(
    store: NotificationStore,
    viewer: Viewer,
    user_id: str,
    *,
    unread_only: bool = False,
    cursor: str | None = None,
    limit: int = DEFAULT_PAGE_SIZE,
) -> Page:
    """GET /notifications/{user_id}: the recipient's own list (or any, for an admin)."""
    ensure_owner_or_admin(viewer, user_id if is_valid_id(user_id) else None, message="No such user.")
    after = Cursor.decode(cursor) if cursor else None
    found = store.page(user_id, unread_only=unread_only, after=after, limit=limit + 1)
    items = found[:limit]
    more = len(found) > limit
    return Page(items, Cursor(items[-1].created_at, items[-1].id).encode() if more else None)


def mark_read(store: NotificationStore, viewer: Viewer, notification_id: str, now: datetime) -> None:
    """POST /notifications/{id}/read: only its recipient; anyone else reads it as missing."""
    notification = store.by_id(notification_id) if is_valid_id(notification_id) else None
    ensure_owner(viewer, notification.user_id if notification else None, message="No such notification.")
    store.mark_read(notification_id, now)


def send(
    store: NotificationStore,
    users: UserStore,
    roster: TeacherRoster,
    viewer: Viewer,
    *,
    user_id: str,
    kind: str,
    message: str,
    now: datetime,
) -> Notification:
    """POST /notifications/send: a teacher to a student of their classes, an admin to anyone."""
    require_any_role(viewer, "teacher", "admin")
    if kind in SYSTEM_KINDS:
        raise InvalidInputError(
            "This kind is reserved for notifications LearnFlow sends itself.",
            details=[{"field": "kind", "message": f"choose another kind than {kind!r}"}],
        )
    recipient = users.by_id(user_id) if is_valid_id(user_id) else None
    allowed = viewer.role == "admin" or (
        recipient is not None and roster.teaches(viewer.user_id, recipient.id)
    )
    if recipient is None or not allowed:
        raise NotFoundError("No such student in your classes.")
    sender = users.by_id(viewer.user_id)
    sender_name = sender.display_name if sender else "LearnFlow"
    notification = new_notification(
        recipient.id,
        kind,
        message,
        {"from": {"id": viewer.user_id, "display_name": sender_name, "role": viewer.role}},
        now=now,
    )
    store.add(notification)
    return notification


def struggle_alerts(
    store: NotificationStore, users: UserStore, roster: Roster, alert: StruggleDetected, now: datetime
) -> list[Notification]:
    """A struggle episode: an encouraging note for the student and an alert for each of their teachers."""
    student = users.by_id(alert.user_id)
    if student is None:
        return []
    error = alert.error_type or "the same problem"
    data = {
        "student_id": student.id,
        "reason": alert.reason,
        "error_type": alert.error_type,
        "occurrences": alert.occurrences,
        "window_minutes": alert.window_minutes,
    }
    created = [
        new_notification(
            student.id,
            "struggle_alert",
            f"You ran into {error} {alert.occurrences} times in {alert.window_minutes} minutes."
            " That is part of learning: ask the tutor for a hint, or look at the concept again.",
            data,
            now=now,
        )
    ]
    for teacher_id in roster.teachers_of(student.id):
        created.append(
            new_notification(
                teacher_id,
                "student_struggling",
                f"{student.display_name} ran into {error} {alert.occurrences} times in"
                f" {alert.window_minutes} minutes: {alert.reason}",
                data | {"student_name": student.display_name},
                now=now,
            )
        )
    for notification in created:
        store.add(notification)
    return created


def student_joined(
    store: NotificationStore,
    users: UserStore,
    *,
    teacher_id: str,
    class_id: str,
    class_name: str,
    student_id: str,
    now: datetime,
) -> Notification | None:
    """The teacher's note that a student joined their class (their class page updates on it)."""
    student = users.by_id(student_id)
    if student is None:
        return None
    notification = new_notification(
        teacher_id,
        "student_joined",
        f"{student.display_name} joined {class_name}.",
        {"class_id": class_id, "student_id": student.id, "student_name": student.display_name},
        now=now,
    )
    store.add(notification)
    return notification


def push(connections: ConnectionStore, pusher: ConnectionPusher, sent: list[Notification]) -> int:
    """Pushes each notification to every open connection of its recipient; returns the pushes made."""
    return sum(
        deliver(
            connections, pusher, notification.user_id, {"type": "notification", "data": notification.public()}
        )
        for notification in sent
    )


STRUGGLE_CONSUMER = "notifications_consumer"


def consume_struggle(
    uow: UnitOfWork,
    store: NotificationStore,
    roster: Roster,
    pusher: ConnectionPusher,
    event_id: str,
    alert: StruggleDetected,
    now: datetime,
) -> list[Notification] | None:
    """One struggle.detected event, once: alerts stored and pushed; None for a redelivery."""
    if not uow.claim_event(STRUGGLE_CONSUMER, event_id):
        return None
    created = struggle_alerts(store, uow.users, roster, alert, now)
    push(uow.connections, pusher, created)
    return created
