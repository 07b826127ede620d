"""Exercises, the hints each student revealed, and graded submissions."""

from typing import Any

from psycopg import Connection
from psycopg.types.json import Jsonb

from learnflow.domain.exercises import Exercise, Submission

_COLUMNS = (
    "id::text AS id, slug, title, description, topic, difficulty, module_name, starter_code, solution,"
    " test_code, hints, author_id::text AS author_id, generated"
)


class ExerciseRepository:
    def __init__(self, conn: Connection[dict[str, Any]]) -> None:
        self._conn = conn

    def add(self, exercise: Exercise) -> bool:
        row = self._conn.execute(
            "INSERT INTO exercises (id, slug, title, description, topic, difficulty, module_name,"
            " starter_code, solution, test_code, hints, author_id, generated)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (slug) DO NOTHING RETURNING id",
            (
                exercise.id,
                exercise.slug,
                exercise.title,
                exercise.description,
                exercise.topic,
                exercise.difficulty,
                exercise.module_name,
                exercise.starter_code,
                exercise.solution,
                exercise.test_code,
                Jsonb(list(exercise.hints)),
                exercise.author_id,
                exercise.generated,
            ),
        ).fetchone()
        return row is not None

    def by_id(self, exercise_id: str) -> Exercise | None:
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM exercises WHERE id = %s", (exercise_id,)).fetchone()  # noqa: S608 - fixed columns
        return Exercise.model_validate(row) if row else None

    def by_slug(self, slug: str) -> Exercise | None:
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM exercises WHERE slug = %s", (slug,)).fetchone()  # noqa: S608 - fixed columns
        return Exercise.model_validate(row) if row else None

    def slug_taken(self, slug: str) -> bool:
        return self._conn.execute("SELECT 1 FROM exercises WHERE slug = %s", (slug,)).fetchone() is not None

    def hints_revealed(self, exercise_id: str, user_id: str) -> int:
        row = self._conn.execute(
            "SELECT revealed FROM exercise_hint_reveals WHERE exercise_id = %s AND user_id = %s",
            (exercise_id, user_id),
        ).fetchone()
        return int(row["revealed"]) if row else 0

    def reveal_next_hint(self, exercise_id: str, user_id: str, total: int) -> int | None:
        row = self._conn.execute(
            "INSERT INTO exercise_hint_reveals (exercise_id, user_id, revealed) VALUES (%s, %s, 1)"
            " ON CONFLICT (exercise_id, user_id)"
            " DO UPDATE SET revealed = exercise_hint_reveals.revealed + 1, revealed_at = now()"
            " WHERE exercise_hint_reveals.revealed < %s RETURNING revealed",
            (exercise_id, user_id, total),
        ).fetchone()
        if row is None or int(row["revealed"]) > total:
            return None
        return int(row["revealed"])

    def add_submission(self, submission: Submission) -> None:
        result = submission.result
        self._conn.execute(
            "INSERT INTO submissions (id, exercise_id, user_id, code, score, status, results, duration_ms,"
            " created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                submission.id,
                submission.exercise_id,
                submission.user_id,
                submission.code,
                result.score,
                result.status,
                Jsonb([test.model_dump(mode="json") for test in result.tests]),
                round(result.duration_ms),
                submission.created_at,
            ),
        )
