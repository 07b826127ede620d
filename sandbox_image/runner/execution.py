"""What every run shares once its child has its request, whether it runs a program or grades a module.

The child's setup and its report channel to the zygote, the guard that watches the student's code,
running that code inside it, and how a run that ended or was refused is told to the zygote.
"""

import json
import linecache
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sandbox_image.runner import static_check
from sandbox_image.runner.guard import Guard, SandboxViolationError
from sandbox_image.runner.policy import Limits

RESULT_FD = 3

#: how student code ended: the outcome, its exit code and, for an exception, what the student sees of it
Ending = tuple[str, int, dict[str, Any] | None]


@dataclass(frozen=True)
class ChildSetup:
    limits: Limits
    work_dir: str
    private_tmp: bool
    seccomp_program: bytes | None
    readable_roots: tuple[str, ...]
    #: the zygote writes the run's request here, framed, once a student asks for a run
    request_fd: int
    stdout_fd: int
    stderr_fd: int
    result_fd: int
    #: False only in the attack suite: runs without the static check, restricted builtins and audit
    #: hook, to show that the kernel's layers hold on their own
    friendly: bool = True
    request: dict[str, Any] = field(default_factory=dict)


class Channel:
    """JSON lines to the zygote on the result descriptor; a failed write never hides the outcome."""

    def send(self, **message: Any) -> None:
        data = (json.dumps(message, default=str) + "\n").encode()
        try:
            while data:
                data = data[os.write(RESULT_FD, data) :]
        except OSError:
            pass


def reporting_guard(setup: ChildSetup, channel: Channel, extra_modules: Iterable[str] = ()) -> Guard:
    """The run's guard; its first refusal goes to the zygote as a violation."""
    return Guard(
        work_dir=setup.work_dir,
        readable_roots=setup.readable_roots,
        report=lambda message: channel.send(event="violation", message=message),
        written_files=setup.limits.written_files,
        extra_modules=extra_modules,
    )


def lock_down(setup: ChildSetup, guard: Guard) -> None:
    """The last layer before the student's code (the kernel's are on since the standby began)."""
    if setup.friendly:
        sys.addaudithook(guard.audit)


def register_source(filename: str, source: str) -> None:
    """Lets tracebacks quote the student's lines without reading a file."""
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)


def refusal(finding: static_check.Finding | static_check.SyntaxProblem) -> dict[str, Any]:
    if isinstance(finding, static_check.SyntaxProblem):
        return {"outcome": "syntax", "line": finding.line, "message": finding.message, "text": finding.text}
    return {"outcome": "blocked", "line": finding.line, "message": finding.message}


def student_traceback(error: BaseException, filenames: tuple[str, ...]) -> tuple[str, int | None]:
    """The traceback from the student's first frame on, as Python prints it, and the failing line."""
    # lines are looked up only for the student's files, whose sources linecache already holds
    frames = traceback.StackSummary.extract(traceback.walk_tb(error.__traceback__), lookup_lines=False)
    start = next((index for index, frame in enumerate(frames) if frame.filename in filenames), len(frames))
    kept = traceback.StackSummary.from_list(
        [frame for frame in frames[start:] if frame.filename in filenames or frame.filename.startswith("<")]
    )
    line = next((frame.lineno for frame in reversed(kept) if frame.filename in filenames), None)
    text = "".join(traceback.format_exception_only(error))
    if kept:
        text = "Traceback (most recent call last):\n" + "".join(traceback.format_list(kept)) + text
    return text, line


def describe_exception(error: BaseException, filenames: tuple[str, ...]) -> dict[str, Any]:
    text, line = student_traceback(error, filenames)
    return {"type": type(error).__name__, "text": str(error)[:500], "line": line, "traceback": text}


def _exit_ending(code: object) -> Ending:
    """What sys.exit(code) means: None or 0 is success, a number is the status, anything else is printed."""
    if code is None:
        return "ok", 0, None
    if isinstance(code, int):
        return ("ok" if code == 0 else "exit"), code & 0xFF, None
    print(code, file=sys.stderr)
    return "exit", 1, None


def run_guarded(body: Callable[[], None], filenames: tuple[str, ...]) -> Ending:
    """Runs student code (already behind the guard) and tells how it ended."""
    try:
        body()
    except SystemExit as leaving:
        return _exit_ending(leaving.code)
    except MemoryError:
        return "memory", 1, None
    except SandboxViolationError as refused:
        return "blocked", 1, describe_exception(refused, filenames)
    except BaseException as error:
        details = describe_exception(error, filenames)
        sys.stderr.write(details["traceback"])
        return "exception", 1, details
    return "ok", 0, None
