"""The payload (`data`) of the events on each topic, and how an event is built from one."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from learnflow.events.envelope import CloudEvent
from learnflow.events.topics import Topic

Intent = Literal["concepts", "debug", "exercise", "code_review", "progress"]


class EventData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ErrorPatternData(EventData):
    """An error type a student met recently, and how often (the triage context)."""

    error_type: str
    count: int = Field(ge=1)


class TutorRequested(EventData):
    """A student's triaged question (learning.requests, concepts.requests, debug.requests).

    `mastery_level` and `recent_errors` are the student's context at triage time (cached 5 minutes).
    """

    request_id: str
    user_id: str
    intent: Intent
    confidence: float = Field(ge=0, le=1)
    question: str
    code: str | None = None
    error: str | None = None
    mastery_level: int | None = Field(default=None, ge=0, le=100)
    recent_errors: list[ErrorPatternData] = Field(default_factory=list)


class CodeSubmitted(EventData):
    """Code sent for review or an exercise submission (code.submissions)."""

    user_id: str
    code: str
    request_id: str | None = None
    exercise_id: str | None = None
    submission_id: str | None = None


class ExerciseGenerated(EventData):
    user_id: str
    exercise_id: str
    topic: str
    difficulty: Literal["easy", "medium", "hard"]
    request_id: str | None = None


class TutorResponded(EventData):
    """An answer ready for the student (learning.responses): the WebSocket relay pushes it."""

    user_id: str
    message_type: Literal["response", "execution"] = "response"
    request_id: str | None = None
    intent: Intent | None = None
    status: Literal["done", "failed"] = "done"
    data: dict[str, Any]


class StruggleDetected(EventData):
    user_id: str
    reason: str
    error_type: str | None = None
    occurrences: int = Field(ge=1)
    window_minutes: int = Field(ge=1)


class ProgressRecorded(EventData):
    user_id: str
    kind: Literal["exercise_submitted", "quiz_attempted", "code_reviewed", "activity"]
    topic: str | None = None
    score: float | None = Field(default=None, ge=0, le=100)
    occurred_at: datetime


TOPIC_SCHEMAS: dict[Topic, type[EventData]] = {
    Topic.LEARNING_REQUESTS: TutorRequested,
    Topic.CONCEPTS_REQUESTS: TutorRequested,
    Topic.DEBUG_REQUESTS: TutorRequested,
    Topic.CODE_SUBMISSIONS: CodeSubmitted,
    Topic.EXERCISE_GENERATED: ExerciseGenerated,
    Topic.LEARNING_RESPONSES: TutorResponded,
    Topic.STRUGGLE_DETECTED: StruggleDetected,
    Topic.PROGRESS_EVENTS: ProgressRecorded,
}


def new_event(topic: Topic, data: EventData, *, user_id: str, correlation_id: str) -> CloudEvent:
    expected = TOPIC_SCHEMAS[topic]
    if not isinstance(data, expected):
        raise TypeError(f"{topic} carries {expected.__name__}, not {type(data).__name__}")
    return CloudEvent(
        type=f"com.learnflow.{topic.value}",
        subject=user_id,
        correlationid=correlation_id,
        data=data.model_dump(mode="json"),
    )


def parse_data[D: EventData](event: CloudEvent, schema: type[D]) -> D:
    return schema.model_validate(event.data)
