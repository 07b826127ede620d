"""Quiz attempts; the `quizzes` table mirrors the offline bank so that every attempt refers to a row."""

from typing import Any

from psycopg import Connection
from psycopg.types.json import Jsonb

from learnflow.domain.quizzes import Attempt

_STORE_QUIZ = (
    "INSERT INTO quizzes (id, topic, questions) VALUES (%s, %s, %s)"
    " ON CONFLICT (id) DO UPDATE SET topic = EXCLUDED.topic, questions = EXCLUDED.questions"
    " WHERE quizzes.questions IS DISTINCT FROM EXCLUDED.questions"
)
_ADD_ATTEMPT = (
    "INSERT INTO quiz_attempts (id, quiz_id, user_id, answers, score, created_at)"
    " VALUES (%s, %s, %s, %s, %s, %s)"
)


class QuizRepository:
    def __init__(self, conn: Connection[dict[str, Any]]) -> None:
        self._conn = conn

    def add_attempt(self, attempt: Attempt) -> None:
        quiz = attempt.quiz
        questions = [question.model_dump(mode="json") for question in quiz.questions]
        self._conn.execute(_STORE_QUIZ, (quiz.id, quiz.topic, Jsonb(questions)))
        self._conn.execute(
            _ADD_ATTEMPT,
            (
                attempt.id,
                quiz.id,
                attempt.user_id,
                Jsonb(attempt.answers),
                attempt.graded.score,
                attempt.created_at,
            ),
        )
