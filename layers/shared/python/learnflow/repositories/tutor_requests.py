"""Students' questions and the answers they received."""

from typing import Any

from psycopg import Connection
from psycopg.types.json import Jsonb

from learnflow.domain.models import TutorRequest

_SELECT_BY_ID = (
    "SELECT r.id::text AS id, r.user_id::text AS user_id, r.question, r.code, r.error, r.intent,"
    " r.confidence::float AS confidence, r.status, r.correlation_id, r.created_at, a.payload AS response"
    " FROM tutor_requests r LEFT JOIN tutor_responses a ON a.request_id = r.id WHERE r.id = %s"
)


class TutorRequestRepository:
    def __init__(self, conn: Connection[dict[str, Any]]) -> None:
        self._conn = conn

    def add(self, request: TutorRequest) -> None:
        self._conn.execute(
            "INSERT INTO tutor_requests (id, user_id, question, code, error, intent, confidence, status,"
            " correlation_id, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                request.id,
                request.user_id,
                request.question,
                request.code,
                request.error,
                request.intent,
                request.confidence,
                request.status,
                request.correlation_id,
                request.created_at,
            ),
        )

    def by_id(self, request_id: str) -> TutorRequest | None:
        row = self._conn.execute(_SELECT_BY_ID, (request_id,)).fetchone()
        return TutorRequest.model_validate(row) if row else None

    def record_answer(self, request_id: str, *, status: str, source: str, payload: dict[str, Any]) -> None:
        self._conn.execute(
            "INSERT INTO tutor_responses (request_id, source, payload) VALUES (%s, %s, %s)"
            " ON CONFLICT (request_id) DO UPDATE SET source = EXCLUDED.source, payload = EXCLUDED.payload",
            (request_id, source, Jsonb(payload)),
        )
        self._conn.execute(
            "UPDATE tutor_requests SET status = %s, updated_at = now() WHERE id = %s", (status, request_id)
        )
