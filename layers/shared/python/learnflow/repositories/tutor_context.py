"""What the tutor engines read about a student: mastery, recent errors, and their exercise history."""

from datetime import timedelta
from typing import Any

from psycopg import Connection

from learnflow.domain.exercise_assignment import BANK_PREFIX
from learnflow.domain.exercise_bank import History
from learnflow.domain.models import ExerciseInProgress
from learnflow.domain.triage.context import ErrorPattern, StudentContext

RECENT_ERRORS_WINDOW = timedelta(days=7)
RECENT_ERROR_TYPES = 3
#: an exercise given, hinted or submitted within this window and not passed is in progress
IN_PROGRESS_WINDOW = timedelta(days=7)
IN_PROGRESS_LIMIT = 5

_MASTERY = (
    "SELECT (SELECT mastery FROM progress_overall WHERE user_id = %(user_id)s) AS overall,"
    " (SELECT coalesce(json_object_agg(topic, round(mastery)), '{}') FROM progress"
    "  WHERE user_id = %(user_id)s) AS topics"
)
_IN_PROGRESS = (
    "SELECT e.module_name, e.solution, e.test_code FROM exercises e JOIN ("
    "  SELECT exercise_id, max(at) AS touched FROM ("
    "   SELECT exercise_id, assigned_at AS at FROM exercise_assignments WHERE user_id = %(user_id)s"
    "   UNION ALL SELECT exercise_id, created_at FROM submissions WHERE user_id = %(user_id)s"
    "   UNION ALL SELECT exercise_id, revealed_at FROM exercise_hint_reveals WHERE user_id = %(user_id)s"
    "  ) AS worked WHERE at > now() - %(window)s GROUP BY exercise_id"
    " ) AS recent ON recent.exercise_id = e.id"
    " WHERE NOT EXISTS (SELECT 1 FROM submissions s"
    "  WHERE s.user_id = %(user_id)s AND s.exercise_id = e.id AND s.status = 'passed')"
    " ORDER BY recent.touched DESC LIMIT %(limit)s"
)
_RECENT_ERRORS = (
    "SELECT error_type, count(*)::int AS count, max(created_at) AS last_seen FROM error_occurrences"
    " WHERE user_id = %s AND created_at > now() - %s GROUP BY error_type"
    " ORDER BY count(*) DESC, max(created_at) DESC LIMIT %s"
)


class StudentContextRepository:
    def __init__(self, conn: Connection[dict[str, Any]]) -> None:
        self._conn = conn

    def context_of(self, user_id: str) -> StudentContext:
        row = self._conn.execute(_MASTERY, {"user_id": user_id}).fetchone()
        assert row is not None  # a SELECT without FROM gives its one row
        errors = self._conn.execute(
            _RECENT_ERRORS, (user_id, RECENT_ERRORS_WINDOW, RECENT_ERROR_TYPES)
        ).fetchall()
        return StudentContext(
            mastery=None if row["overall"] is None else int(row["overall"]),
            topic_mastery={topic: int(value) for topic, value in (row["topics"] or {}).items()},
            recent_errors=tuple(ErrorPattern(e["error_type"], e["count"]) for e in errors),
        )


class ExerciseAssignmentRepository:
    """Which exercises were handed to whom (the exercises themselves: `ExerciseRepository`)."""

    def __init__(self, conn: Connection[dict[str, Any]]) -> None:
        self._conn = conn

    def assign(self, user_id: str, exercise_id: str, source: str, request_id: str | None) -> None:
        self._conn.execute(
            "INSERT INTO exercise_assignments (user_id, exercise_id, source, request_id)"
            " VALUES (%s, %s, %s, %s)",
            (user_id, exercise_id, source, request_id),
        )

    def history(self, user_id: str) -> History:
        """Bank exercises passed, and the order in which bank exercises were last handed out."""
        passed = self._conn.execute(
            "SELECT DISTINCT e.slug FROM submissions s JOIN exercises e ON e.id = s.exercise_id"
            " WHERE s.user_id = %s AND s.status = 'passed' AND e.slug LIKE %s",
            (user_id, f"{BANK_PREFIX}%"),
        ).fetchall()
        assigned = self._conn.execute(
            "SELECT e.slug, max(a.id) AS last FROM exercise_assignments a"
            " JOIN exercises e ON e.id = a.exercise_id WHERE a.user_id = %s AND e.slug LIKE %s"
            " GROUP BY e.slug",
            (user_id, f"{BANK_PREFIX}%"),
        ).fetchall()
        return History(
            passed=frozenset(row["slug"].removeprefix(BANK_PREFIX) for row in passed),
            last_assigned={row["slug"].removeprefix(BANK_PREFIX): int(row["last"]) for row in assigned},
        )

    def assigned_titles(self, user_id: str, limit: int = 20) -> list[str]:
        rows = self._conn.execute(
            "SELECT e.title FROM exercise_assignments a JOIN exercises e ON e.id = a.exercise_id"
            " WHERE a.user_id = %s ORDER BY a.id DESC LIMIT %s",
            (user_id, limit),
        ).fetchall()
        return [row["title"] for row in reversed(rows)]

    def in_progress(self, user_id: str) -> list[ExerciseInProgress]:
        rows = self._conn.execute(
            _IN_PROGRESS, {"user_id": user_id, "window": IN_PROGRESS_WINDOW, "limit": IN_PROGRESS_LIMIT}
        ).fetchall()
        return [ExerciseInProgress.model_validate(row) for row in rows]

    def passed_count(self, user_id: str) -> int:
        row = self._conn.execute(
            "SELECT count(DISTINCT exercise_id)::int AS passed FROM submissions"
            " WHERE user_id = %s AND status = 'passed'",
            (user_id,),
        ).fetchone()
        return int(row["passed"]) if row else 0
