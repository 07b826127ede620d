"""The debug agent's work for one student: analyse, record the error for struggle detection, answer."""

from datetime import UTC, datetime
from typing import Any

from learnflow.domain.debugging.analyzer import analyze
from learnflow.domain.debugging.models import DebugAnalysis
from learnflow.domain.debugging.symptoms import without_code
from learnflow.domain.debugging.tracebacks import looks_like_traceback
from learnflow.domain.ports import EventSink, Sandbox, UnitOfWork
from learnflow.domain.struggle import (
    ErrorOccurrence,
    StrugglePolicy,
    StruggleStore,
    record_error,
    record_passing_run,
)
from learnflow.events.schemas import TutorRequested, TutorResponded
from learnflow.events.topics import Topic

CONSUMER = "debug_agent"
#: outcomes that are not the student's error (the sandbox refused the code, or our own limits)
_NOT_COUNTED = frozenset({"Blocked", "OutputLimit"})


def payload_of(analysis: DebugAnalysis) -> dict[str, Any]:
    """The contract's body: error_type, message, line, hints (levels 1-3), source; plus details."""
    body = analysis.model_dump(mode="json", exclude={"hints"})
    body["hints"] = [hint.model_dump(mode="json", exclude_none=True) for hint in analysis.hints]
    return body


def analyze_request(request: TutorRequested, runner: Sandbox | None) -> DebugAnalysis | None:
    """The analysis of a triaged question; None when it holds neither code nor an error to read."""
    error = request.error or (request.question if looks_like_traceback(request.question) else None)
    if not (request.code or "").strip() and error is None:
        return None
    return analyze(request.code or "", error, runner)


def record_outcome(
    store: StruggleStore,
    events: EventSink,
    policy: StrugglePolicy,
    *,
    user_id: str,
    analysis: DebugAnalysis,
) -> None:
    """A student's error counts toward struggle detection; a clean run in the sandbox ends their episodes."""
    now = datetime.now(UTC)
    if analysis.error_type is not None and analysis.error_type not in _NOT_COUNTED:
        occurrence = ErrorOccurrence(
            user_id=user_id,
            error_type=analysis.error_type,
            message=analysis.message,
            occurred_at=now,
            line=analysis.line,
            topic=analysis.situation,
        )
        record_error(store, events, policy, occurrence)
    elif analysis.error_type is None and analysis.found_by == "sandbox":
        record_passing_run(store, user_id, now)


def answer_request(
    uow: UnitOfWork,
    store: StruggleStore,
    policy: StrugglePolicy,
    event_id: str,
    request: TutorRequested,
    analysis: DebugAnalysis | None,
) -> bool:
    """Records and publishes the answer once per event: False when the event was a redelivery."""
    if not uow.claim_event(CONSUMER, event_id):
        return False
    if analysis is None:
        payload: dict[str, Any] = {
            "error_type": None,
            "message": without_code(request.question),
            "line": None,
            "hints": [],
            "source": "offline",
        }
    else:
        record_outcome(store, uow, policy, user_id=request.user_id, analysis=analysis)
        payload = payload_of(analysis)
    uow.requests.record_answer(request.request_id, status="done", source=payload["source"], payload=payload)
    uow.publish(
        Topic.LEARNING_RESPONSES,
        TutorResponded(user_id=request.user_id, request_id=request.request_id, intent="debug", data=payload),
        user_id=request.user_id,
    )
    return True
