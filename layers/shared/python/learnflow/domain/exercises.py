"""Exercises checked against their own tests, hints one at a time, and graded submissions.

An exercise's tests are ordinary Python test code (unittest or pytest style) that import the
student's code as the module `module_name`, as in Exercism's Python track. Teachers' tests are
trusted; students' code is not, and both run in the sandbox.
"""

import uuid
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from learnflow.domain.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from learnflow.domain.ports import EventSink, Sandbox
from learnflow.domain.sandbox_results import GradeResult
from learnflow.events.schemas import ProgressRecorded
from learnflow.events.topics import Topic

Difficulty = Literal["easy", "medium", "hard"]
RESERVED_MODULES = frozenset({"main", "test", "tests", "unittest", "pytest", "sys", "os"})


class ExerciseContent(BaseModel):
    """What a teacher (or a generator, or an import) writes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: str = Field(
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length=80,
        description="Unique among exercises: lowercase words and digits joined by dashes",
        examples=["leap"],
    )
    title: str = Field(min_length=1, max_length=200, description="Shown to students", examples=["Leap"])
    description: str = Field(
        min_length=1,
        max_length=20_000,
        description="The task, in Markdown",
        examples=["Tell whether a year is a leap year in the Gregorian calendar."],
    )
    topic: str = Field(
        min_length=1,
        max_length=64,
        description="The topic a submission's score counts toward in the student's progress",
        examples=["conditionals"],
    )
    difficulty: Difficulty = Field(description="easy, medium or hard", examples=["easy"])
    module_name: str = Field(
        min_length=1,
        max_length=64,
        description="The module the tests import the student's code as (leap for leap.py)",
        examples=["leap"],
        json_schema_extra={"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
    )
    starter_code: str = Field(
        default="",
        max_length=65_536,
        description="Where students start",
        examples=["def leap_year(year):\n    pass\n"],
    )
    solution: str = Field(
        min_length=1,
        max_length=65_536,
        description="A reference solution: it must pass the tests",
        examples=[
            "def leap_year(year):\n    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)\n"
        ],
    )
    test_code: str = Field(
        min_length=1,
        max_length=262_144,
        description="Tests in unittest or pytest style that import the student's code as `module_name`",
        examples=[
            "import unittest\n\nfrom leap import leap_year\n\n\nclass LeapTest(unittest.TestCase):\n"
            "    def test_year_divisible_by_400_is_leap_year(self):\n"
            "        self.assertIs(leap_year(2000), True)\n"
        ],
    )
    hints: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="Up to 10, revealed to students one at a time, in order",
        json_schema_extra={"items": {"type": "string", "maxLength": 2000, "pattern": "\\S"}},
        examples=[
            ["Use the modulo operator %.", "Divisible by 100 is special.", "But 400 is special again."]
        ],
    )

    @field_validator("module_name")
    @classmethod
    def _module_name_is_importable(cls, value: str) -> str:
        if not value.isidentifier() or not value.isascii() or value in RESERVED_MODULES:
            raise ValueError("must be a Python module name such as leap or word_count")
        return value

    @field_validator("hints")
    @classmethod
    def _hints_are_text(cls, value: list[str]) -> list[str]:
        if any(not hint.strip() or len(hint) > 2000 for hint in value):
            raise ValueError("each hint must be a sentence of at most 2000 characters")
        return [hint.strip() for hint in value]


class Exercise(ExerciseContent):
    id: str
    author_id: str | None = None
    generated: bool = False


class Submission(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    exercise_id: str
    user_id: str
    code: str
    result: GradeResult
    created_at: datetime


class ExerciseStore(Protocol):
    def add(self, exercise: Exercise) -> bool:
        """Stores a new exercise; False when its slug is taken."""
        ...

    def by_id(self, exercise_id: str) -> Exercise | None: ...
    def slug_taken(self, slug: str) -> bool: ...
    def hints_revealed(self, exercise_id: str, user_id: str) -> int: ...
    def reveal_next_hint(self, exercise_id: str, user_id: str, total: int) -> int | None:
        """Reveals one more hint; the new number revealed, or None when all were."""
        ...

    def add_submission(self, submission: Submission) -> None: ...


def _failures(result: GradeResult) -> list[dict[str, str]]:
    if not result.tests:
        return [
            {
                "field": "test_code",
                "message": result.message or "The tests define no test.",
                "type": "no_tests",
            }
        ]
    return [
        {
            "field": "solution",
            "message": f"{test.name}: {test.message or test.status}",
            "type": f"test_{test.status}",
        }
        for test in result.tests
        if test.status != "pass"
    ] or [{"field": "solution", "message": result.message or "The tests did not pass.", "type": "run_failed"}]


def check_solution(sandbox: Sandbox, content: ExerciseContent) -> GradeResult:
    """Runs the exercise's tests against its own solution; 422 (InvalidInputError) unless all pass."""
    result = sandbox.grade(content.module_name, content.solution, content.test_code)
    if not result.passed:
        raise InvalidInputError(
            "The solution does not pass the exercise's own tests.", details=_failures(result)
        )
    return result


def ensure_slug_free(store: ExerciseStore, slug: str) -> None:
    if store.slug_taken(slug):
        raise ConflictError(f"An exercise with the slug {slug!r} already exists.")


def new_exercise(content: ExerciseContent, *, author_id: str | None, generated: bool = False) -> Exercise:
    return Exercise(**content.model_dump(), id=str(uuid.uuid4()), author_id=author_id, generated=generated)


def store_new(store: ExerciseStore, exercise: Exercise) -> Exercise:
    """Stores an exercise that passed `check_solution`; 409 when its slug was taken meanwhile."""
    if not store.add(exercise):
        raise ConflictError(f"An exercise with the slug {exercise.slug!r} already exists.")
    return exercise


def find(store: ExerciseStore, exercise_id: str) -> Exercise:
    try:
        uuid.UUID(exercise_id)
    except ValueError:
        raise NotFoundError("No such exercise.") from None
    exercise = store.by_id(exercise_id)
    if exercise is None:
        raise NotFoundError("No such exercise.")
    return exercise


def _hint(level: int, text: str) -> dict[str, Any]:
    return {"level": level, "text": text}


def sees_everything(exercise: Exercise, *, user_id: str, role: str) -> bool:
    return role == "admin" or (role == "teacher" and exercise.author_id == user_id)


def view(exercise: Exercise, *, user_id: str, role: str, revealed: int) -> dict[str, Any]:
    """The contract's `exercise`: students never get `solution`, and only the hints they revealed."""
    body: dict[str, Any] = {
        "id": exercise.id,
        "slug": exercise.slug,
        "title": exercise.title,
        "description": exercise.description,
        "topic": exercise.topic,
        "difficulty": exercise.difficulty,
        "module_name": exercise.module_name,
        "starter_code": exercise.starter_code,
        "test_code": exercise.test_code,
        "hints_total": len(exercise.hints),
    }
    if sees_everything(exercise, user_id=user_id, role=role):
        body["hints_revealed"] = [_hint(level, text) for level, text in enumerate(exercise.hints, start=1)]
        body["hints"] = list(exercise.hints)
        body["solution"] = exercise.solution
    else:
        shown = exercise.hints[: max(0, revealed)]
        body["hints_revealed"] = [_hint(level, text) for level, text in enumerate(shown, start=1)]
    return body


def next_hint(store: ExerciseStore, exercise: Exercise, *, user_id: str, role: str) -> dict[str, Any]:
    if role != "student":
        raise PermissionDeniedError("Hints are revealed to students.")
    total = len(exercise.hints)
    revealed = store.reveal_next_hint(exercise.id, user_id, total)
    if revealed is None:
        raise ConflictError("Every hint of this exercise has been revealed.")
    return {"hint": _hint(revealed, exercise.hints[revealed - 1]), "hints_left": total - revealed}


def grade_submission(sandbox: Sandbox, exercise: Exercise, *, user_id: str, code: str) -> Submission:
    result = sandbox.grade(exercise.module_name, code, exercise.test_code)
    return Submission(
        id=str(uuid.uuid4()),
        exercise_id=exercise.id,
        user_id=user_id,
        code=code,
        result=result,
        created_at=datetime.now(UTC),
    )


def record_submission(
    store: ExerciseStore, events: EventSink, exercise: Exercise, submission: Submission
) -> None:
    """Stores the submission and tells progress tracking, in the caller's transaction."""
    store.add_submission(submission)
    events.publish(
        Topic.PROGRESS_EVENTS,
        ProgressRecorded(
            user_id=submission.user_id,
            kind="exercise_submitted",
            topic=exercise.topic,
            score=submission.result.score,
            occurred_at=submission.created_at,
        ),
        user_id=submission.user_id,
    )


def submission_body(submission: Submission) -> dict[str, Any]:
    result = submission.result
    return {
        "submission_id": submission.id,
        "score": result.score,
        "status": result.status,
        "tests": [test.model_dump(mode="json") for test in result.tests],
        "duration_ms": result.duration_ms,
        "message": result.message,
    }
