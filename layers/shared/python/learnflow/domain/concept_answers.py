"""The concepts agent: answers a triaged question with an explanation at the student's level."""

from typing import Any

from learnflow.domain.concepts import ConceptNotFound, explain
from learnflow.domain.ports import UnitOfWork
from learnflow.events.schemas import TutorRequested, TutorResponded
from learnflow.events.topics import Topic

CONSUMER = "concepts_agent"


def explanation_for(question: str, mastery_level: int | None) -> dict[str, Any]:
    try:
        return explain(question, mastery_level).model_dump(mode="json")
    except ConceptNotFound as missing:
        return {
            "concept": None,
            "explanation": "I could not tell which Python concept you mean. Could you name it?",
            "suggestions": missing.suggestions,
            "source": "offline",
        }


def answer(uow: UnitOfWork, event_id: str, request: TutorRequested) -> bool:
    """Answers once per event: False when this event was already handled (a redelivery)."""
    if not uow.claim_event(CONSUMER, event_id):
        return False
    payload = explanation_for(request.question, request.mastery_level)
    uow.requests.record_answer(request.request_id, status="done", source=payload["source"], payload=payload)
    uow.publish(
        Topic.LEARNING_RESPONSES,
        TutorResponded(
            user_id=request.user_id, request_id=request.request_id, intent="concepts", data=payload
        ),
        user_id=request.user_id,
    )
    return True
