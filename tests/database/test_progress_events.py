"""The progress consumer on real Postgres: hand-computed figures, redelivery and reordering."""

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from learnflow.domain import progress
from learnflow.domain.models import User
from learnflow.domain.progress import Recorded
from learnflow.events.schemas import ProgressRecorded
from learnflow.repositories.database import Database

pytestmark = pytest.mark.database

NOW = datetime(2024, 6, 10, 12, 0, tzinfo=UTC)


class NoSocketsOpen:
    """No student here has a WebSocket open, so nothing may be pushed."""

    def push(self, connection_id: str, message: dict[str, Any]) -> bool:
        raise AssertionError(f"nothing should be pushed, got {message['type']} for {connection_id}")


def new_student(db: Database, timezone: str = "Europe/Berlin") -> User:
    user = User(
        id=str(uuid.uuid4()),
        email=f"{uuid.uuid4().hex[:8]}@example.com",
        display_name="Ada",
        role="student",
        timezone=timezone,
    )
    with db.transaction("test") as uow:
        uow.users.add(user, "not-a-real-hash")
    return user


def event(
    student: User, kind: str, when: datetime, score: float | None = None, topic: str | None = None
) -> ProgressRecorded:
    return ProgressRecorded.model_validate(
        {"user_id": student.id, "kind": kind, "topic": topic, "score": score, "occurred_at": when}
    )


def apply(db: Database, event_id: str, recorded: ProgressRecorded) -> Recorded | None:
    with db.transaction("test") as uow:
        return progress.consume(
            uow,
            uow.progress,
            uow.notifications,
            NoSocketsOpen(),
            event_id,
            recorded,
            NOW,
        )


def report(db: Database, student: User) -> dict[str, Any]:
    with db.transaction("test") as uow:
        return progress.report(uow.progress, student.id, student.timezone, NOW)


def rows(db: Database, query: str, *parameters: object) -> list[dict[str, Any]]:
    with db.pool.connection() as conn:
        return conn.execute(query, parameters).fetchall()


def notification_kinds(db: Database, student: User) -> list[str]:
    found = rows(db, "SELECT kind FROM notifications WHERE user_id = %s ORDER BY kind, message", student.id)
    return [row["kind"] for row in found]


def test_figures_streaks_and_notifications_match_a_hand_computed_week(db: Database) -> None:
    student = new_student(db)
    day = timedelta(days=1)
    events = [
        event(student, "exercise_submitted", NOW - 2 * day, 80, "for-loops"),
        event(student, "exercise_submitted", NOW - day, 90, "while-loops"),
        event(student, "quiz_attempted", NOW - day + timedelta(hours=1), 50, "control-flow"),
        event(student, "code_reviewed", NOW, 70),
    ]
    for recorded in events:
        assert apply(db, str(uuid.uuid4()), recorded) is not None

    body = report(db, student)
    # control-flow: exercises (90 + 80) / 2 = 85, quizzes 50, code quality 70, consistency 3/30 = 10
    # mastery = 0.4 x 85 + 0.3 x 50 + 0.2 x 70 + 0.1 x 10 = 34 + 15 + 14 + 1 = 64: yellow
    expected_components = {"exercises": 85.0, "quizzes": 50.0, "code_quality": 70.0, "consistency": 10.0}
    (topic,) = body["topics"]
    assert topic["topic"] == "control-flow"
    assert (topic["mastery"], topic["level"], topic["components"]) == (64, "yellow", expected_components)
    assert (body["mastery"], body["level"], body["components"]) == (64, "yellow", expected_components)
    assert (body["streak_days"], body["longest_streak_days"], body["active_days_last_30"]) == (3, 3, 3)
    assert [(entry["kind"], entry["topic"], entry["score"]) for entry in body["history"]] == [
        ("code_reviewed", "general", 70.0),
        ("quiz_attempted", "control-flow", 50.0),
        ("exercise_submitted", "control-flow", 90.0),
        ("exercise_submitted", "control-flow", 80.0),
    ]
    assert body["explanation"]["next_level"] == {"level": "green", "points_needed": 7}
    # the quiz lifted control-flow and the overall figure from 35 (red) to 50 (yellow); the third
    # consecutive day made a 3-day streak
    assert notification_kinds(db, student) == ["level_up", "level_up", "streak_milestone"]


def test_a_redelivered_event_changes_nothing(db: Database) -> None:
    student = new_student(db)
    event_id = str(uuid.uuid4())
    recorded = event(student, "quiz_attempted", NOW, 100, "functions")

    outcomes = [apply(db, event_id, recorded) for _ in range(3)]

    assert outcomes[0] is not None and outcomes[1:] == [None, None]
    assert rows(db, "SELECT count(*) AS n FROM progress_events WHERE user_id = %s", student.id) == [{"n": 1}]
    assert rows(db, "SELECT events FROM daily_activity WHERE user_id = %s", student.id) == [{"events": 1}]
    assert report(db, student)["topics"][0]["components"]["quizzes"] == 100.0


def test_a_failed_transaction_leaves_the_event_to_be_applied_again(db: Database) -> None:
    student = new_student(db)
    event_id = str(uuid.uuid4())
    recorded = event(student, "exercise_submitted", NOW, 60, "strings")
    with pytest.raises(RuntimeError), db.transaction("test") as uow:
        progress.consume(
            uow,
            uow.progress,
            uow.notifications,
            NoSocketsOpen(),
            event_id,
            recorded,
            NOW,
        )
        raise RuntimeError("the function crashed before committing")

    assert apply(db, event_id, recorded) is not None
    assert report(db, student)["topics"][0]["components"]["exercises"] == 60.0


def a_month_of_events(student: User) -> list[ProgressRecorded]:
    kinds = ("exercise_submitted", "quiz_attempted", "code_reviewed", "activity")
    topics = ("for-loops", "lists", "functions", None)
    chooser = random.Random(7)
    return [
        event(
            student,
            kinds[index % 4],
            NOW - timedelta(days=chooser.randrange(40), minutes=chooser.randrange(1440)),
            None if index % 4 == 3 else chooser.randrange(101),
            topics[chooser.randrange(4)],
        )
        for index in range(40)
    ]


def test_events_delivered_out_of_order_and_twice_end_in_the_same_progress(db: Database) -> None:
    in_order, shuffled = new_student(db), new_student(db)
    for student, redeliver in ((in_order, False), (shuffled, True)):
        events = [
            (str(uuid.uuid5(uuid.UUID(student.id), str(i))), e)
            for i, e in enumerate(a_month_of_events(student))
        ]
        if redeliver:
            events = events + events[::3]
            random.Random(11).shuffle(events)
        else:
            events.sort(key=lambda pair: pair[1].occurred_at)
        for event_id, recorded in events:
            apply(db, event_id, recorded)

    expected, got = report(db, in_order), report(db, shuffled)
    assert got | {"user_id": None} == expected | {"user_id": None}
    activity = "SELECT day, events FROM daily_activity WHERE user_id = %s ORDER BY day"
    assert rows(db, activity, shuffled.id) == rows(db, activity, in_order.id)
    assert sum(row["events"] for row in rows(db, activity, shuffled.id)) == 40


def test_a_student_in_another_time_zone_has_other_days(db: Database) -> None:
    # 23:30 and 00:30 in Auckland (NZST, UTC+12): two days there; 01:30 and 02:30 on one day in Honolulu
    moments = [datetime(2024, 6, 9, 11, 30, tzinfo=UTC), datetime(2024, 6, 9, 12, 30, tzinfo=UTC)]
    auckland, honolulu = new_student(db, "Pacific/Auckland"), new_student(db, "Pacific/Honolulu")
    for student in (auckland, honolulu):
        for moment in moments:
            apply(db, str(uuid.uuid4()), event(student, "activity", moment))
    assert report(db, auckland)["active_days_last_30"] == 2
    assert report(db, honolulu)["active_days_last_30"] == 1
