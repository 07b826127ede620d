"""The sandbox client: the domain's `Sandbox` port over the sandbox function's invoke API."""

import json
from typing import Any

from learnflow.domain.errors import SandboxUnavailableError
from learnflow.domain.sandbox_results import ExecutionResult, GradeResult


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
