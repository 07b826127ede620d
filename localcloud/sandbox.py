"""The domain's `Sandbox` port over zygotes started by this process (`sandbox_image.runner`'s client).

For code that runs beside the runner: the local cloud's tools and the tests. Deployed functions,
and the local cloud's functions, reach the sandbox through its function (`learnflow.sandbox`).
"""

from typing import Any

from learnflow.domain.errors import SandboxUnavailableError
from learnflow.domain.sandbox_results import ExecutionResult, GradeResult
from sandbox_image.runner.client import SandboxOptions, SandboxRunner
from sandbox_image.runner.client import SandboxUnavailableError as RunnerUnavailable


class LocalSandbox:
    """Runs code in zygotes started by this process; `size` of them serve concurrent callers."""

    def __init__(self, size: int = 1, namespaces: bool | None = None) -> None:
        self._runner = SandboxRunner(SandboxOptions(namespaces=namespaces), size=size)

    def _call(self, method: str, *args: str) -> Any:
        try:
            return getattr(self._runner, method)(*args)
        except RunnerUnavailable as down:
            raise SandboxUnavailableError(str(down)) from down

    def run(self, code: str, stdin: str = "") -> ExecutionResult:
        return ExecutionResult.model_validate(self._call("run", code, stdin))

    def grade(self, module_name: str, student_code: str, test_code: str) -> GradeResult:
        return GradeResult.model_validate(self._call("grade", module_name, student_code, test_code))

    def layers(self) -> list[str]:
        return list(self._call("layers"))

    def close(self) -> None:
        self._runner.close()
