"""POST /execute: one program's run in the sandbox.

The same fields are pushed on the WebSocket as `{"type": "execution", ...}`.
"""

from pydantic import BaseModel, Field

from learnflow.domain.sandbox_results import ExecutionStatus

PROGRAM_RUN_EXAMPLE = {
    "execution_id": "3f2b8c1e-5d7a-4e9b-8c6d-1a2b3c4d5e6f",
    "status": "ok",
    "stdout": "hello Ada\n",
    "stderr": "",
    "exit_code": 0,
    "duration_ms": 41.7,
    "truncated": False,
    "message": None,
}


class ProgramRun(BaseModel):
    """How the program ended and what it printed."""

    execution_id: str = Field(
        description="This run's id (a UUID); the WebSocket message carries the same",
        examples=[PROGRAM_RUN_EXAMPLE["execution_id"]],
    )
    status: ExecutionStatus = Field(
        description=(
            "ok; error (raised or exited non-zero); timeout (5 seconds); memory_limit; output_limit"
            " (output cut, `truncated` true); blocked (refused before running, e.g. a forbidden import)"
        ),
        examples=["ok"],
    )
    stdout: str = Field(description="What the program printed", examples=["hello Ada\n"])
    stderr: str = Field(
        description="Its error output: a traceback when it raised",
        examples=['Traceback (most recent call last):\n  File "main.py", line 2, in <module>\n...'],
    )
    exit_code: int = Field(description="The process's exit status; 0 when it ran cleanly", examples=[0])
    duration_ms: float = Field(ge=0, description="Wall-clock time of the run", examples=[41.7])
    truncated: bool = Field(description="Whether the output was cut at the sandbox's limit")
    message: str | None = Field(
        description="One sentence for the student when the status is not ok; null when it is",
        examples=[
            "Your program ran for more than 5 seconds and was stopped; look for a loop that never ends."
        ],
    )
