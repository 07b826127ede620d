"""Which exercises a student is working on, the ones whose solutions no tutor answer may hand over."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from learnflow.domain.exercise_assignment import stored
from learnflow.domain.exercise_bank import by_slug
from learnflow.domain.exercises import Exercise, Submission
from learnflow.domain.models import User
from learnflow.domain.sandbox_results import GradeResult
from learnflow.repositories.database import Database
from tests.stored_users import stored_user

pytestmark = pytest.mark.database


def _exercise(db: Database, slug: str) -> Exercise:
    draft = by_slug(slug)
    assert draft is not None
    with db.transaction("t") as uow:
        # generated copies: each test stores its own, whatever the bank copies other tests stored
        return stored(uow.exercises, draft.model_copy(update={"source": "llm"}))


def _submit(db: Database, student: User, exercise: Exercise, *, passed: bool, at: datetime) -> None:
    result = GradeResult(
        status="passed" if passed else "failed",
        score=100 if passed else 0,
        tests=[],
        duration_ms=12,
        execution_status="ok",
    )
    submission = Submission(
        id=str(uuid.uuid4()),
        exercise_id=exercise.id,
        user_id=student.id,
        code=exercise.solution if passed else exercise.starter_code,
        result=result,
        created_at=at,
    )
    with db.transaction("t") as uow:
        uow.exercises.add_submission(submission)


def _in_progress(db: Database, student: User) -> list[str]:
    with db.transaction("t") as uow:
        return [exercise.module_name for exercise in uow.assignments.in_progress(student.id)]


def test_given_hinted_and_failed_exercises_are_in_progress_until_passed(db: Database, student: User) -> None:
    given, hinted, failed, passed = (
        _exercise(db, slug) for slug in ("factorial", "fizzbuzz", "word-count", "countdown")
    )
    now = datetime.now(UTC)
    with db.transaction("t") as uow:
        uow.assignments.assign(student.id, given.id, "llm", None)
        uow.assignments.assign(student.id, passed.id, "llm", None)
    with db.transaction("t") as uow:
        uow.exercises.reveal_next_hint(hinted.id, student.id, total=3)
    _submit(db, student, failed, passed=False, at=now + timedelta(seconds=1))
    _submit(db, student, passed, passed=True, at=now + timedelta(seconds=2))

    assert _in_progress(db, student) == [failed.module_name, hinted.module_name, given.module_name]


def test_an_exercise_left_for_over_a_week_or_another_students_is_not_in_progress(
    db: Database, student: User
) -> None:
    old, theirs = _exercise(db, "factorial"), _exercise(db, "fizzbuzz")
    _submit(db, student, old, passed=False, at=datetime.now(UTC) - timedelta(days=8))
    _submit(db, stored_user(db), theirs, passed=False, at=datetime.now(UTC))

    assert _in_progress(db, student) == []
