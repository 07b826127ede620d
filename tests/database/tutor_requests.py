"""A student's question stored as the tutor API stores it (queued), for the consumer tests."""

import uuid
from datetime import UTC, datetime

from learnflow.domain.models import TutorRequest, User
from learnflow.repositories.database import Database


def stored_request(
    db: Database,
    student: User,
    *,
    question: str,
    intent: str,
    code: str | None = None,
    error: str | None = None,
) -> TutorRequest:
    request = TutorRequest(
        id=str(uuid.uuid4()),
        user_id=student.id,
        question=question,
        code=code,
        error=error,
        intent=intent,
        confidence=0.9,
        status="queued",
        correlation_id="c",
        created_at=datetime.now(UTC),
    )
    with db.transaction("c") as uow:
        uow.requests.add(request)
    return request
