"""Struggle detection on real Postgres: one struggle.detected per episode, episodes end as they should."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from learnflow.domain.debugging import analyze
from learnflow.domain.debugging.service import answer_request
from learnflow.domain.models import User
from learnflow.domain.review import review_code
from learnflow.domain.review.service import answer_submission
from learnflow.domain.struggle import ErrorOccurrence, StrugglePolicy, record_error, record_passing_run
from learnflow.events.schemas import CodeSubmitted, TutorRequested
from learnflow.repositories.database import Database
from tests.database.tutor_requests import stored_request

pytestmark = pytest.mark.database

POLICY = StrugglePolicy(threshold=3, window=timedelta(minutes=10), quiet_period=timedelta(minutes=10))
START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _error(db: Database, student: User, minutes: float, error_type: str = "NameError") -> bool:
    """Records one occurrence `minutes` after START; True when it started (and announced) an episode."""
    occurrence = ErrorOccurrence(
        user_id=student.id,
        error_type=error_type,
        message=f"name 'x{minutes}' is not defined",
        occurred_at=START + timedelta(minutes=minutes),
        line=2,
    )
    with db.transaction("t") as uow:
        return record_error(uow.struggle, uow, POLICY, occurrence) is not None


def _announced(db: Database, student: User) -> list[dict[str, object]]:
    with db.pool.connection() as conn:
        rows = conn.execute(
            "SELECT payload->'data' AS data FROM event_outbox WHERE topic = 'struggle.detected'"
            " AND payload->'data'->>'user_id' = %s ORDER BY created_at",
            (student.id,),
        ).fetchall()
    return [row["data"] for row in rows]


def test_the_fourth_error_within_ten_minutes_announces_one_episode_and_later_ones_nothing(
    db: Database, student: User
) -> None:
    started = [_error(db, student, minutes) for minutes in (0, 2, 4, 6, 7, 8, 9)]
    assert started == [False, False, False, True, False, False, False]
    [event] = _announced(db, student)
    assert event["error_type"] == "NameError" and event["occurrences"] == 4 and event["window_minutes"] == 10
    with db.transaction("t") as uow:
        [episode] = uow.struggle.recent_episodes(student.id)
    assert episode["occurrences"] == 7 and episode["ended_at"] is None


def test_errors_spread_wider_than_the_window_or_of_other_types_do_not_count(
    db: Database, student: User
) -> None:
    assert not any(_error(db, student, minutes) for minutes in (0, 11, 22, 33, 44))
    assert not any(
        _error(db, student, 50, error_type) for error_type in ("TypeError", "KeyError", "IndexError")
    )
    assert _announced(db, student) == []


def test_a_quiet_period_ends_the_episode_and_a_new_burst_is_a_new_episode(
    db: Database, student: User
) -> None:
    assert [_error(db, student, minutes) for minutes in (0, 1, 2, 3)] == [False, False, False, True]
    # 20 minutes without the error: the episode is over, and the old errors no longer count
    assert [_error(db, student, minutes) for minutes in (23, 24, 25, 26)] == [False, False, False, True]
    assert len(_announced(db, student)) == 2
    with db.transaction("t") as uow:
        episodes = uow.struggle.recent_episodes(student.id)
    assert [episode["end_reason"] for episode in episodes] == [None, "quiet_period"]


def test_a_passing_run_ends_the_episode_and_resets_the_count(db: Database, student: User) -> None:
    assert [_error(db, student, minutes) for minutes in (0, 1, 2, 3)][-1] is True
    with db.transaction("t") as uow:
        ended = record_passing_run(uow.struggle, student.id, START + timedelta(minutes=4))
    assert len(ended) == 1
    # errors before the passing run do not count toward the next episode
    assert [_error(db, student, minutes) for minutes in (5, 6, 7)] == [False, False, False]
    assert _error(db, student, 8) is True
    assert len(_announced(db, student)) == 2


def _passing_run(db: Database, student: User, minutes: float) -> None:
    with db.transaction("t") as uow:
        record_passing_run(uow.struggle, student.id, START + timedelta(minutes=minutes))


def _last_passed_at(db: Database, student: User) -> datetime | None:
    with db.pool.connection() as conn:
        row = conn.execute(
            "SELECT last_passed_at FROM passing_runs WHERE user_id = %s", (student.id,)
        ).fetchone()
    return row["last_passed_at"] if row else None


def test_a_passing_run_with_nothing_to_settle_writes_nothing_and_changes_no_count(
    db: Database, student: User
) -> None:
    _passing_run(db, student, 0)
    assert _last_passed_at(db, student) is None, "a student who never failed has nothing to reset"
    assert [_error(db, student, minutes) for minutes in (1, 2)] == [False, False]
    _passing_run(db, student, 3)
    _passing_run(db, student, 4)
    assert _last_passed_at(db, student) == START + timedelta(minutes=3), (
        "the second run had nothing to settle"
    )
    # the errors before the runs stay settled: only four new ones make an episode
    assert [_error(db, student, minutes) for minutes in (5, 6, 7, 8)] == [False, False, False, True]


def _queued(db: Database, student: User, intent: str, code: str, error: str | None = None) -> str:
    return stored_request(db, student, question="help please", intent=intent, code=code, error=error).id


def _outbox_count(db: Database, topic: str, student: User) -> int:
    with db.pool.connection() as conn:
        row = conn.execute(
            "SELECT count(*) AS n FROM event_outbox WHERE topic = %s AND payload->'data'->>'user_id' = %s",
            (topic, student.id),
        ).fetchone()
    assert row is not None
    return int(row["n"])


def test_the_debug_agent_answers_and_records_each_event_once(db: Database, student: User) -> None:
    code, error = "print(x)\n", "NameError: name 'x' is not defined"
    request_id = _queued(db, student, "debug", code, error)
    requested = TutorRequested(
        request_id=request_id,
        user_id=student.id,
        intent="debug",
        confidence=0.9,
        question="help",
        code=code,
        error=error,
    )
    event_id = str(uuid.uuid4())
    analysis = analyze(code, error)
    outcomes = []
    for _ in range(3):
        with db.transaction("c") as uow:
            outcomes.append(answer_request(uow, uow.struggle, POLICY, event_id, requested, analysis))
    assert outcomes == [True, False, False]
    assert _outbox_count(db, "learning.responses", student) == 1
    with db.transaction("c") as uow:
        stored = uow.requests.by_id(request_id)
    with db.pool.connection() as conn:
        occurrences = conn.execute(
            "SELECT error_type, line FROM error_occurrences WHERE user_id = %s", (student.id,)
        ).fetchall()
    assert stored is not None and stored.status == "done" and stored.response is not None
    assert stored.response["error_type"] == "NameError" and len(stored.response["hints"]) == 3
    assert [(row["error_type"], row["line"]) for row in occurrences] == [("NameError", 1)]


def test_the_review_agent_stores_the_score_as_code_quality_and_answers_a_query(
    db: Database, student: User
) -> None:
    code = "def add(a, b):\n    return a + b\n"
    request_id = _queued(db, student, "code_review", code)
    submission = CodeSubmitted(user_id=student.id, code=code, request_id=request_id)
    event_id = str(uuid.uuid4())
    review = review_code(code)
    for _ in range(2):
        with db.transaction("c") as uow:
            answer_submission(uow, event_id, submission, review)
    assert _outbox_count(db, "progress.events", student) == 1
    assert _outbox_count(db, "learning.responses", student) == 1
    with db.pool.connection() as conn:
        row = conn.execute(
            "SELECT payload->'data' AS data FROM event_outbox WHERE topic = 'progress.events'"
            " AND payload->'data'->>'user_id' = %s",
            (student.id,),
        ).fetchone()
    assert row is not None and row["data"]["kind"] == "code_reviewed" and row["data"]["score"] == review.score
