"""What the sandbox reports about a student's program: a run (/execute's result) and a graded submission."""

from typing import Literal

from pydantic import BaseModel, ConfigDict

ExecutionStatus = Literal["ok", "error", "timeout", "memory_limit", "output_limit", "blocked"]
TestStatus = Literal["pass", "fail", "error"]
GradeStatus = Literal["passed", "failed", "error"]


class _Result(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ExecutionResult(_Result):
    """One program's run; `message` is one sentence for the student when the status is not `ok`."""

    status: ExecutionStatus
    stdout: str
    stderr: str
    exit_code: int
    duration_ms: float
    truncated: bool
    message: str | None = None


class TestOutcome(_Result):
    name: str
    status: TestStatus
    message: str
    output: str


class GradeResult(_Result):
    """The teacher's tests against the student's module, in the test file's order."""

    status: GradeStatus
    score: int
    tests: list[TestOutcome]
    duration_ms: float
    message: str | None = None
    #: how the run itself ended (a timeout, a refusal...), as /execute would say it
    execution_status: ExecutionStatus
    stdout: str = ""
    stderr: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "passed"
