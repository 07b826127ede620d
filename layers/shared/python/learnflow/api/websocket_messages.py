"""The WebSocket API's messages: the actions a client sends and the messages LearnFlow pushes.

Each message is a JSON text frame. A client's `action` selects its route; every message LearnFlow
sends names itself in `type`. These models are the messages' documented shape: `apispec.asyncapi`
turns them into docs/asyncapi.yaml (`make asyncapi`), and the end-to-end tests hold every message
they receive to that document.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.bodies import QuestionBody
from learnflow.api.openapi import ErrorContent
from learnflow.api.schemas.notifications import Notification
from learnflow.api.schemas.progress import ProgressReport
from learnflow.domain.sandbox_results import ExecutionResult
from learnflow.events.schemas import Intent

REQUEST_ID_EXAMPLE = "9d3c6b1a-2e4f-4a8b-b7c6-5d4e3f2a1b0c"

WebSocketErrorCode = Literal[
    "malformed_json",
    "unsupported_frame",
    "unknown_action",
    "validation_error",
    "forbidden",
    "internal_error",
]


class _ServerMessage(BaseModel):
    # what LearnFlow sends always carries every field, null or not
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


# --- client actions ---------------------------------------------------------------------------


class PingAction(BaseModel):
    """Checks that the connection is alive; LearnFlow answers `pong`."""

    action: Literal["ping"]


class QueryAction(QuestionBody):
    """A question to the AI tutor, for students only; the same body as `POST /api/v1/query`.

    LearnFlow answers `ack` with the request's id, then the tutor's answer as a `response` message.
    A body with other fields, or fields out of their limits, gets an `error` (`validation_error`);
    a question from a teacher or an admin gets an `error` (`forbidden`).
    """

    action: Literal["query"]


# --- server messages --------------------------------------------------------------------------


class AckMessage(_ServerMessage):
    """A `query` action was accepted and triaged: its answer follows as a `response` message."""

    type: Literal["ack"]
    request_id: str = Field(
        description="The question's id, as `GET /api/v1/requests/{request_id}` knows it",
        examples=[REQUEST_ID_EXAMPLE],
    )


class PongMessage(_ServerMessage):
    """The answer to `ping`."""

    type: Literal["pong"]


class TutorAnswer(BaseModel):
    """The tutor's answer; its fields depend on the question's intent.

    concepts: `{concept, level, explanation, examples: [{code, output}], diagram?, source}`, or
    `{concept: null, explanation, suggestions, source}` when no concept was recognised (with an LLM,
    `{concept: null, level, explanation, examples, diagram, suggestions, source: "llm"}`: the LLM's
    checked answer);
    debug: `{error_type, message, line, hints: [{level, text}], source}`;
    code_review: `{score, issues, complexity, suggestions, source}`;
    exercise: `{exercise, message, source}`; progress: a summary of the student's progress;
    a question triage could not place: `{clarification, source}`.
    """

    model_config = ConfigDict(extra="allow")

    source: Literal["llm", "offline"] = Field(description="Which tutor engine produced the answer")


class ResponseMessage(_ServerMessage):
    """A tutor agent answered a student's question (from the `learning.responses` topic)."""

    type: Literal["response"]
    request_id: str | None = Field(
        description="The question's id, as the `ack` and `POST /api/v1/query` gave it",
        examples=[REQUEST_ID_EXAMPLE],
    )
    intent: Intent | None = Field(description="What triage decided the question is about")
    status: Literal["done", "failed"]
    data: TutorAnswer


class ResponseDeltaMessage(_ServerMessage):
    """The next piece of an answer's text while an LLM writes it; the checked `response` follows.

    Only answers an LLM writes are streamed (concept explanations and answers to questions the
    curriculum has no page about, their `explanation`). The pieces of one question come numbered by
    `seq` from 0; joined in that order they are the text so far, and the `response` message that
    ends the stream carries the whole text. Pieces are sent at
    most once per 100 ms (by default) per connection: each may hold several words. A client that
    misses some (or connects late) loses nothing: the `response` message and
    `GET /api/v1/requests/{request_id}` have the complete answer.
    """

    type: Literal["response.delta"]
    request_id: str = Field(
        description="The question's id, as the `ack` and `POST /api/v1/query` gave it",
        examples=[REQUEST_ID_EXAMPLE],
    )
    seq: int = Field(ge=0, description="This piece's place in the answer's stream: 0, 1, 2, ...")
    delta: str = Field(
        min_length=1, description="Text to append to the pieces before it", examples=["Recursion is when a "]
    )


class ResponseRetractedMessage(_ServerMessage):
    """The text streamed for a question will not be its answer: discard it; a `response` follows.

    Sent when the answer being written failed (its stream broke off, the LLM timed out) or what it
    wrote did not pass LearnFlow's checks; the `response` that follows is the answer that replaces it.
    """

    type: Literal["response.retracted"]
    request_id: str = Field(
        description="The question whose streamed text is withdrawn", examples=[REQUEST_ID_EXAMPLE]
    )
    reason: str = Field(
        description=(
            "Why, in one word: stream_cut (the LLM's answer broke off), timeout, malformed (it did not"
            " fit the answer's schema), rejected (LearnFlow's checks replaced it), or another reason"
            " the LLM failed for"
        ),
        examples=["stream_cut"],
    )


class ExecutionMessage(ExecutionResult):
    """A program of the student's ran (`POST /api/v1/execute`): the same fields as that answer.

    `message` says what happened in one sentence for the student when the status is not `ok`.
    """

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    type: Literal["execution"]
    execution_id: str = Field(description="This run's id (a UUID)")


class ProgressMessage(_ServerMessage):
    """The student's progress changed: the body of `GET /api/v1/progress/{user_id}`."""

    type: Literal["progress"]
    data: ProgressReport


class NotificationMessage(_ServerMessage):
    """A notification for the user was stored: the same item `GET /api/v1/notifications/{user_id}` lists."""

    type: Literal["notification"]
    data: Notification


class WebSocketErrorContent(ErrorContent):
    code: WebSocketErrorCode = Field(
        description=(
            "malformed_json: the frame is not a JSON object; unsupported_frame: a binary frame;"
            " unknown_action: no such action; validation_error: the query's fields (`details` names"
            " them); forbidden: only students may ask; internal_error: the message could not be"
            " handled on LearnFlow's side"
        ),
        examples=["unknown_action"],
    )


class ErrorMessage(_ServerMessage):
    """A message could not be handled; the error has the contract's shape."""

    type: Literal["error"]
    error: WebSocketErrorContent


CLIENT_ACTIONS: dict[str, type[BaseModel]] = {"ping": PingAction, "query": QueryAction}

SERVER_MESSAGES: dict[str, type[BaseModel]] = {
    "ack": AckMessage,
    "pong": PongMessage,
    "response": ResponseMessage,
    "response.delta": ResponseDeltaMessage,
    "response.retracted": ResponseRetractedMessage,
    "execution": ExecutionMessage,
    "progress": ProgressMessage,
    "notification": NotificationMessage,
    "error": ErrorMessage,
}
