"""A run of a student's program (`main.py`): checked, compiled, then executed behind the guard."""

import builtins
import sys
from typing import Any

from sandbox_image.runner import static_check
from sandbox_image.runner.execution import (
    Channel,
    ChildSetup,
    lock_down,
    refusal,
    register_source,
    reporting_guard,
    run_guarded,
)
from sandbox_image.runner.guard import student_builtins

SCRIPT_NAME = "main.py"


def _print_syntax_error(problem: static_check.SyntaxProblem) -> None:
    """On stderr, the way Python itself shows it."""
    sys.stderr.write(f'  File "{SCRIPT_NAME}", line {problem.line}\n    {problem.text}\n')
    sys.stderr.write(f"SyntaxError: {problem.message}\n")
    sys.stderr.flush()


def run_program(setup: ChildSetup, channel: Channel, code: str) -> int:
    """The program's exit code, once its outcome has gone to the zygote."""
    finding = static_check.check(code, SCRIPT_NAME) if setup.friendly else None
    if finding is not None:
        if isinstance(finding, static_check.SyntaxProblem):
            _print_syntax_error(finding)
        channel.send(event="done", **refusal(finding))
        return 1
    compiled = compile(code, SCRIPT_NAME, "exec")
    register_source(SCRIPT_NAME, code)
    guard = reporting_guard(setup, channel)
    namespace: dict[str, Any] = {
        "__name__": "__main__",
        "__builtins__": student_builtins(guard, SCRIPT_NAME) if setup.friendly else builtins,
    }
    lock_down(setup, guard)
    outcome, exit_code, details = run_guarded(
        lambda: exec(compiled, namespace),  # noqa: S102 - the student's program, inside every layer
        (SCRIPT_NAME,),
    )
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    channel.send(event="done", outcome=outcome, exit_code=exit_code, error=details)
    return exit_code
