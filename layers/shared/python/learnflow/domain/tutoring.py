"""Taking a student's question: triage, record it, and route it to the right tutor agent."""

import uuid
from datetime import UTC, datetime

from learnflow.domain.concepts import find_concept
from learnflow.domain.errors import NotFoundError
from learnflow.domain.models import TutorRequest
from learnflow.domain.ports import TriageSecondOpinion, UnitOfWork
from learnflow.domain.triage import StudentContext, StudentContextSource, Triage, cached_context, classify
from learnflow.events.schemas import (
    CodeSubmitted,
    ErrorPatternData,
    EventData,
    Intent,
    TutorRequested,
    TutorResponded,
)
from learnflow.events.topics import Topic

AGENT_TOPICS: dict[Intent, Topic] = {
    "concepts": Topic.CONCEPTS_REQUESTS,
    "debug": Topic.DEBUG_REQUESTS,
    "code_review": Topic.CODE_SUBMISSIONS,
    "exercise": Topic.LEARNING_REQUESTS,
    "progress": Topic.LEARNING_REQUESTS,
}


def ask(
    uow: UnitOfWork,
    *,
    user_id: str,
    question: str,
    code: str | None = None,
    error: str | None = None,
    context_source: StudentContextSource | None = None,
    triage: Triage | None = None,
) -> TutorRequest:
    """Records the question and publishes it for its agent; a vague one is answered with a question.

    With a `context_source`, the student's mastery and recent errors (cached 5 minutes) go with the
    request to its agent and break near ties in the triage. A `triage` made beforehand (`route`)
    replaces the offline one.
    """
    context = cached_context(context_source, user_id) if context_source else StudentContext()
    triage = triage or classify(question, code, error, context)
    request = TutorRequest(
        id=str(uuid.uuid4()),
        user_id=user_id,
        question=question,
        code=code,
        error=error,
        intent=triage.intent,
        confidence=round(triage.confidence, 3),
        status="queued",
        correlation_id=uow.correlation_id,
        created_at=datetime.now(UTC),
    )
    uow.requests.add(request)
    if triage.clarification:
        answer = {"clarification": triage.clarification, "source": "offline"}
        uow.requests.record_answer(request.id, status="done", source="offline", payload=answer)
        uow.publish(
            Topic.LEARNING_RESPONSES,
            TutorResponded(user_id=user_id, request_id=request.id, intent=request.intent, data=answer),
            user_id=user_id,
        )
        return request.model_copy(update={"status": "done", "response": answer})
    requested = TutorRequested(
        request_id=request.id,
        user_id=user_id,
        intent=triage.intent,
        confidence=request.confidence,
        question=question,
        code=code,
        error=error,
        mastery_level=_mastery_for(question, context),
        recent_errors=[
            ErrorPatternData(error_type=e.error_type, count=e.count) for e in context.recent_errors
        ],
    )
    uow.publish(Topic.LEARNING_REQUESTS, requested, user_id=user_id)
    agent_topic = AGENT_TOPICS[triage.intent]
    if agent_topic is not Topic.LEARNING_REQUESTS:
        uow.publish(agent_topic, _agent_payload(requested), user_id=user_id)
    return request


def route(
    question: str,
    code: str | None,
    error: str | None,
    context: StudentContext,
    second_opinion: TriageSecondOpinion,
    confident_from: float,
) -> Triage:
    """The offline triage, or, below `confident_from`, the `second_opinion`'s when it gives one.

    Call it outside any transaction: the second opinion may take an LLM's time."""
    offline = classify(question, code, error, context)
    if offline.confidence >= confident_from:
        return offline
    return second_opinion.classify(question, code, error, context, offline) or offline


def _mastery_for(question: str, context: StudentContext) -> int | None:
    """The mastery of the topic the question is about, else the student's overall mastery."""
    concept = find_concept(question)
    return context.mastery_in(concept.topic if concept else None)


def _agent_payload(requested: TutorRequested) -> EventData:
    if requested.intent == "code_review":
        return CodeSubmitted(
            user_id=requested.user_id,
            code=requested.code or requested.question,
            request_id=requested.request_id,
        )
    return requested


def request_of(uow: UnitOfWork, *, user_id: str, request_id: str) -> TutorRequest:
    """The student's own request; anyone else's reads as not found, so ids reveal nothing."""
    try:
        uuid.UUID(request_id)
    except ValueError:
        raise NotFoundError("No such request.") from None
    request = uow.requests.by_id(request_id)
    if request is None or request.user_id != user_id:
        raise NotFoundError("No such request.")
    return request
