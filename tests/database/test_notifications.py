"""Notifications on real Postgres: cursor pages, the unread filter, struggle alerts once per event."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from learnflow.api.identity import Identity
from learnflow.domain import notifications
from learnflow.domain.errors import InvalidInputError, NotFoundError
from learnflow.domain.models import User
from learnflow.domain.notifications import Notification
from learnflow.events.schemas import StruggleDetected
from learnflow.repositories.database import Database

pytestmark = pytest.mark.database

NOW = datetime(2024, 6, 10, 12, 0, tzinfo=UTC)


class NoSocketsOpen:
    def push(self, connection_id: str, message: dict[str, Any]) -> bool:
        raise AssertionError("nobody here has a WebSocket open")


def new_user(db: Database, role: str = "student", name: str = "Ada") -> User:
    user = User.model_validate(
        {
            "id": str(uuid.uuid4()),
            "email": f"{uuid.uuid4().hex[:8]}@example.com",
            "display_name": name,
            "role": role,
        }
    )
    with db.transaction("test") as uow:
        uow.users.add(user, "not-a-real-hash")
    return user


def enroll(db: Database, teacher: User, student: User) -> None:
    class_id = uuid.uuid4()
    with db.pool.connection() as conn:
        conn.execute(
            "INSERT INTO classes (id, name, teacher_id, join_code) VALUES (%s, 'Python 1', %s, %s)",
            (class_id, teacher.id, uuid.uuid4().hex[:8]),
        )
        conn.execute(
            "INSERT INTO class_memberships (class_id, student_id) VALUES (%s, %s)", (class_id, student.id)
        )


def add(db: Database, notification: Notification) -> None:
    with db.transaction("test") as uow:
        uow.notifications.add(notification)


def page(db: Database, viewer: User, owner: User, **options: Any) -> notifications.Page:
    with db.transaction("test") as uow:
        return notifications.page_of(uow.notifications, Identity(viewer.id, viewer.role), owner.id, **options)


def test_pages_follow_each_other_newest_first_without_gaps_or_repeats(db: Database) -> None:
    student = new_user(db)
    created = []
    for index in range(45):
        # five share each moment, so the id must break the ties
        moment = NOW - timedelta(minutes=index // 5)
        created.append(notifications.new_notification(student.id, "note", f"n{index}", now=moment))
    for notification in created:
        add(db, notification)

    seen: list[Notification] = []
    cursor: str | None = None
    sizes = []
    while True:
        current = page(db, student, student, cursor=cursor, limit=20)
        sizes.append(len(current.items))
        seen.extend(current.items)
        if current.next_cursor is None:
            break
        cursor = current.next_cursor

    assert sizes == [20, 20, 5]
    assert sorted(n.id for n in seen) == sorted(n.id for n in created)
    order = [(n.created_at, n.id) for n in seen]
    assert order == sorted(order, reverse=True)


def test_the_unread_filter_and_marking_read(db: Database) -> None:
    student = new_user(db)
    for index in range(5):
        add(
            db,
            notifications.new_notification(
                student.id, "note", f"n{index}", now=NOW + timedelta(seconds=index)
            ),
        )
    first = page(db, student, student, limit=2)
    identity = Identity(student.id, "student")
    with db.transaction("test") as uow:
        store = uow.notifications
        for item in first.items:
            notifications.mark_read(store, identity, item.id, NOW)
            notifications.mark_read(store, identity, item.id, NOW + timedelta(hours=1))  # again: still read

    unread = page(db, student, student, unread_only=True)
    assert [n.message for n in unread.items] == ["n2", "n1", "n0"]
    everything = page(db, student, student)
    assert [(n.message, n.read) for n in everything.items][:3] == [("n4", True), ("n3", True), ("n2", False)]


def test_only_the_recipient_or_an_admin_reads_them(db: Database) -> None:
    student, other, admin = new_user(db), new_user(db), new_user(db, "admin")
    teacher = new_user(db, "teacher")
    enroll(db, teacher, student)
    add(db, notifications.new_notification(student.id, "note", "private", now=NOW))
    assert len(page(db, admin, student).items) == 1
    for outsider in (other, teacher):
        with pytest.raises(NotFoundError):
            page(db, outsider, student)
    with pytest.raises(InvalidInputError):
        page(db, student, student, cursor="bm90IGEgY3Vyc29y")


def test_a_struggle_alerts_the_student_and_each_teacher_once(db: Database) -> None:
    student = new_user(db, name="Grace")
    first_teacher, second_teacher, unrelated = (
        new_user(db, "teacher"),
        new_user(db, "teacher"),
        new_user(db, "teacher"),
    )
    enroll(db, first_teacher, student)
    enroll(db, first_teacher, student)  # two classes of one teacher: still one alert for them
    enroll(db, second_teacher, student)
    alert = StruggleDetected(
        user_id=student.id,
        reason="the same error again and again",
        error_type="TypeError",
        occurrences=4,
        window_minutes=10,
    )
    event_id = str(uuid.uuid4())

    outcomes = []
    for _ in range(2):
        with db.transaction("test") as uow:
            outcomes.append(
                notifications.consume_struggle(
                    uow,
                    uow.notifications,
                    uow.classes,
                    NoSocketsOpen(),
                    event_id,
                    alert,
                    NOW,
                )
            )

    assert outcomes[1] is None
    assert outcomes[0] is not None
    recipients = sorted(n.user_id for n in outcomes[0])
    assert recipients == sorted([student.id, first_teacher.id, second_teacher.id])
    with db.pool.connection() as conn:
        stored = conn.execute(
            "SELECT user_id::text AS user_id, kind, message FROM notifications"
            " WHERE data->>'student_id' = %s",
            (student.id,),
        ).fetchall()
    assert sorted(row["user_id"] for row in stored) == recipients
    teacher_alert = next(row for row in stored if row["user_id"] == first_teacher.id)
    assert teacher_alert["kind"] == "student_struggling"
    assert "Grace ran into TypeError 4 times in 10 minutes" in teacher_alert["message"]
    assert not [row for row in stored if row["user_id"] == unrelated.id]
