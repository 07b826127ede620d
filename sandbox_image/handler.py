"""The sandbox function: runs untrusted Python for the other functions, and nothing else.

Container image (sandbox_image/Dockerfile) in isolated subnets with no route out, no
capabilities and no secrets in its environment. Events:

    {"action": "run", "code": "...", "stdin": "..."}                      -> /execute's result
    {"action": "grade", "module_name": "...", "student_code": "...", "test_code": "..."}
    {"action": "layers"}                                                  -> {"layers": [...]}

Standard library only, like the runner: the image holds nothing else.
"""

from typing import Any

from sandbox_image.runner.client import SandboxRunner
from sandbox_image.runner.policy import Limits

MAX_CODE_CHARS = 64 * 1024
MAX_TEST_CHARS = 256 * 1024

# the zygote starts during the function's init, so the first run does not pay for it
runner = SandboxRunner()
runner.layers()


def _text(event: dict[str, Any], key: str, limit: int) -> str:
    value = event.get(key) or ""
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError(f"{key} must be a string of at most {limit} characters")
    return value


def lambda_handler(event: dict[str, Any], _context: object) -> dict[str, Any]:
    action = event.get("action")
    if action == "run":
        code = _text(event, "code", MAX_CODE_CHARS)
        return runner.run(code, _text(event, "stdin", Limits().stdin_bytes))
    if action == "grade":
        module_name = _text(event, "module_name", 100)
        if not module_name.isidentifier():
            raise ValueError("module_name must be a Python identifier")
        return runner.grade(
            module_name,
            _text(event, "student_code", MAX_CODE_CHARS),
            _text(event, "test_code", MAX_TEST_CHARS),
        )
    if action == "layers":
        return {"layers": runner.layers()}
    raise ValueError(f"unknown action {action!r}: expected run, grade or layers")
