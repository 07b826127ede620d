"""Running untrusted Python: the `Sandbox` interface, its results, and the one a function should use.

from learnflow.sandbox import SandboxSettings, sandbox_for

result = sandbox_for(settings).run("print(1)")          # ExecutionResult
graded = sandbox_for(settings).grade("leap", code, tests)  # GradeResult
"""

from functools import cache

from pydantic import Field

from learnflow.sandbox.client import LambdaSandbox, LocalSandbox, Sandbox, SandboxUnavailableError
from learnflow.sandbox.models import (
    ExecutionResult,
    ExecutionStatus,
    GradeResult,
    GradeStatus,
    TestOutcome,
    TestStatus,
)
from learnflow.settings import _Base


class SandboxSettings(_Base):
    """`SANDBOX_FUNCTION_NAME` set (AWS): invoke that function; unset: run in this process's zygote."""

    sandbox_function_name: str | None = Field(default=None, min_length=1)


@cache
def sandbox_for(settings: SandboxSettings) -> Sandbox:
    if settings.sandbox_function_name:
        return LambdaSandbox(settings.sandbox_function_name)
    return LocalSandbox()


__all__ = [
    "ExecutionResult",
    "ExecutionStatus",
    "GradeResult",
    "GradeStatus",
    "LambdaSandbox",
    "LocalSandbox",
    "Sandbox",
    "SandboxSettings",
    "SandboxUnavailableError",
    "TestOutcome",
    "TestStatus",
    "sandbox_for",
]
