"""The sandbox interface the domain depends on, and its two implementations.

- `LocalSandbox` runs code in this process's own zygote (`sandbox_image.runner`): the local
  cloud, the tests and the sandbox container image itself use it.
- `LambdaSandbox` invokes the sandbox container-image function (AWS), which runs `LocalSandbox`.
"""

import json
from typing import Any, Protocol

from learnflow.sandbox.models import ExecutionResult, GradeResult


class SandboxUnavailableError(RuntimeError):
    """The sandbox cannot run code right now; callers answer 503."""


class Sandbox(Protocol):
    def run(self, code: str, stdin: str = "") -> ExecutionResult:
        """Runs a program under every layer and limit; never raises for what the program does."""
        ...

    def grade(self, module_name: str, student_code: str, test_code: str) -> GradeResult:
        """Runs `test_code` (trusted) against `student_code` imported as `module_name` (untrusted)."""
        ...

    def layers(self) -> list[str]:
        """The isolation layers in force, e.g. ["static_check", ..., "seccomp", "namespaces"]."""
        ...


class LocalSandbox:
    """Runs code in zygotes started by this process; `size` of them serve concurrent callers."""

    def __init__(self, size: int = 1, namespaces: bool | None = None) -> None:
        try:
            from sandbox_image.runner.client import SandboxOptions, SandboxRunner
        except ImportError as missing:  # a zip Lambda without the runner: use LambdaSandbox there
            raise SandboxUnavailableError("the sandbox runner is not installed here") from missing
        self._runner = SandboxRunner(SandboxOptions(namespaces=namespaces), size=size)

    def _call(self, method: str, *args: str) -> Any:
        from sandbox_image.runner.client import SandboxUnavailableError as RunnerUnavailable

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


class LambdaSandbox:
    """Invokes the sandbox function (`{"action": "run" | "grade" | "layers", ...}`) synchronously."""

    def __init__(self, function_name: str, client: Any = None) -> None:
        if client is None:
            import boto3

            client = boto3.client("lambda")
        self._client = client
        self._function_name = function_name

    def _invoke(self, payload: dict[str, Any]) -> Any:
        try:
            response = self._client.invoke(
                FunctionName=self._function_name, Payload=json.dumps(payload).encode()
            )
        except Exception as error:  # botocore's failures are many; every one means "not now"
            raise SandboxUnavailableError(f"the sandbox function could not be invoked: {error}") from error
        body = json.loads(response["Payload"].read() or b"null")
        if response.get("FunctionError"):
            raise SandboxUnavailableError(f"the sandbox function failed: {body}")
        return body

    def run(self, code: str, stdin: str = "") -> ExecutionResult:
        return ExecutionResult.model_validate(self._invoke({"action": "run", "code": code, "stdin": stdin}))

    def grade(self, module_name: str, student_code: str, test_code: str) -> GradeResult:
        payload = {
            "action": "grade",
            "module_name": module_name,
            "student_code": student_code,
            "test_code": test_code,
        }
        return GradeResult.model_validate(self._invoke(payload))

    def layers(self) -> list[str]:
        return list(self._invoke({"action": "layers"})["layers"])
