"""Running untrusted Python: the `Sandbox` interface, its results, and the one a function should use.

from learnflow.sandbox import SandboxSettings, sandbox_for

result = sandbox_for(settings).run("print(1)")          # ExecutionResult
graded = sandbox_for(settings).grade("leap", code, tests)  # GradeResult
"""

from functools import cache

from pydantic import Field

from learnflow.observability import logger
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


def optional_sandbox(settings: SandboxSettings, *, without_it: str) -> Sandbox | None:
    """The sandbox for work that can go on without it; logs what is lost (`without_it`) when it is down."""
    try:
        return sandbox_for(settings)
    except SandboxUnavailableError:
        logger.warning(f"the sandbox is unavailable: {without_it}")
        return None


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
    "optional_sandbox",
    "sandbox_for",
]
