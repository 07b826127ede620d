"""The review agent's work: review submitted code, store its score as code quality, answer queries."""

from datetime import UTC, datetime
from typing import Any

from learnflow.domain.ports import EventSink, ReviewNarrator, Sandbox, UnitOfWork
from learnflow.domain.review.models import Review
from learnflow.domain.review.narrative import narrated
from learnflow.domain.review.reviewer import review_code
from learnflow.events.schemas import CodeSubmitted, ProgressRecorded, TutorResponded
from learnflow.events.topics import Topic

CONSUMER = "review_agent"


def payload_of(review: Review) -> dict[str, Any]:
    """The contract's body: score, issues, complexity, suggestions, source; plus details."""
    return review.model_dump(mode="json")


def record_quality(events: EventSink, *, user_id: str, review: Review) -> bool:
    """The score counts toward the student's code-quality mastery; code that does not parse does not."""
    if not review.parses:
        return False
    events.publish(
        Topic.PROGRESS_EVENTS,
        ProgressRecorded(
            user_id=user_id, kind="code_reviewed", score=review.score, occurred_at=datetime.now(UTC)
        ),
        user_id=user_id,
    )
    return True


def review_submission(
    submission: CodeSubmitted, runner: Sandbox | None, narrator: ReviewNarrator | None = None
) -> Review:
    """The review, its summary written by the `narrator` (an LLM) when there is one and it may."""
    review = review_code(submission.code, runner)
    return narrated(review, narrator, submission.code) if narrator is not None else review


def answer_submission(uow: UnitOfWork, event_id: str, submission: CodeSubmitted, review: Review) -> bool:
    """Records the review once per event: False when the event was a redelivery."""
    if not uow.claim_event(CONSUMER, event_id):
        return False
    record_quality(uow, user_id=submission.user_id, review=review)
    if submission.request_id is not None:
        payload = payload_of(review)
        uow.requests.record_answer(
            submission.request_id, status="done", source=review.source, payload=payload
        )
        uow.publish(
            Topic.LEARNING_RESPONSES,
            TutorResponded(
                user_id=submission.user_id,
                request_id=submission.request_id,
                intent="code_review",
                data=payload,
            ),
            user_id=submission.user_id,
        )
    return True
