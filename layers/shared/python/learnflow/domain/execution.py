"""Running a student's program: the sandbox's result, told to the student's open WebSockets too."""

import uuid
from typing import Any

from learnflow.domain.ports import EventSink, Sandbox
from learnflow.domain.sandbox_results import ExecutionResult
from learnflow.events.schemas import TutorResponded
from learnflow.events.topics import Topic


def run_program(sandbox: Sandbox, *, code: str, stdin: str) -> tuple[str, ExecutionResult]:
    """Runs the program; returns an id for this execution and its result."""
    return str(uuid.uuid4()), sandbox.run(code, stdin)


def execution_body(execution_id: str, result: ExecutionResult) -> dict[str, Any]:
    """The contract's /execute body (plus `execution_id`), also the WebSocket message's fields."""
    return {"execution_id": execution_id, **result.model_dump(mode="json")}


def announce(events: EventSink, *, user_id: str, execution_id: str, result: ExecutionResult) -> None:
    """To learning.responses: the relay pushes `{"type": "execution", ...}` to the student's sockets."""
    events.publish(
        Topic.LEARNING_RESPONSES,
        TutorResponded(
            user_id=user_id,
            message_type="execution",
            request_id=execution_id,
            status="done",
            data=execution_body(execution_id, result),
        ),
        user_id=user_id,
    )
