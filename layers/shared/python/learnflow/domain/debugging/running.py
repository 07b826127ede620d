"""What the debug agent needs from the sandbox: run a program, get its outcome."""

from typing import Protocol


class RunOutcome(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def stdout(self) -> str: ...
    @property
    def stderr(self) -> str: ...
    @property
    def message(self) -> str | None: ...


class CodeRunner(Protocol):
    """Runs untrusted code under the sandbox's limits (`learnflow.sandbox.Sandbox` is one).

    Raises `learnflow.sandbox.SandboxUnavailableError` when it cannot run code now.
    """

    def run(self, code: str, stdin: str = "") -> RunOutcome: ...


def sample_stdin(code: str) -> str:
    """Input for a run when the student gave none: a number on each line reveals unconverted input."""
    return "1\n" * 50 if "input(" in code else ""
