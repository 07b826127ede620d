"""A redelivered event is applied once: the concepts agent answers each request exactly once."""

import uuid

import pytest

from learnflow.domain import concept_answers
from learnflow.domain.models import User
from learnflow.events.schemas import TutorRequested
from learnflow.repositories.database import Database
from tests.database.tutor_requests import stored_request

pytestmark = pytest.mark.database


def _queued_request(db: Database, student: User) -> TutorRequested:
    request = stored_request(db, student, question="What is a list comprehension?", intent="concepts")
    return TutorRequested(
        request_id=request.id,
        user_id=student.id,
        intent="concepts",
        confidence=0.9,
        question=request.question,
    )


def _responses_published(db: Database, request_id: str) -> int:
    with db.pool.connection() as conn:
        row = conn.execute(
            "SELECT count(*) AS n FROM event_outbox WHERE topic = 'learning.responses'"
            " AND payload->'data'->>'request_id' = %s",
            (request_id,),
        ).fetchone()
    assert row is not None
    return int(row["n"])


def test_the_same_event_delivered_three_times_is_answered_once(db: Database, student: User) -> None:
    requested = _queued_request(db, student)
    event_id = str(uuid.uuid4())

    outcomes = []
    for _ in range(3):
        with db.transaction("c") as uow:
            outcomes.append(concept_answers.answer(uow, event_id, requested))

    assert outcomes == [True, False, False]
    assert _responses_published(db, requested.request_id) == 1
    with db.transaction("c") as uow:
        stored = uow.requests.by_id(requested.request_id)
    assert stored is not None and stored.status == "done"
    assert stored.response is not None and "comprehension" in stored.response["concept"].lower()


def test_a_failed_attempt_does_not_count_as_processed(db: Database, student: User) -> None:
    requested = _queued_request(db, student)
    event_id = str(uuid.uuid4())
    with pytest.raises(RuntimeError), db.transaction("c") as uow:
        concept_answers.answer(uow, event_id, requested)
        raise RuntimeError("the function crashed before committing")

    with db.transaction("c") as uow:
        assert concept_answers.answer(uow, event_id, requested) is True
    assert _responses_published(db, requested.request_id) == 1
