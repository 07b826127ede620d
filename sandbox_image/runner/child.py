"""One run, in the child the zygote forked: the layers go on in order, then the student's code runs.

The zygote forks the child before the request arrives (a standby), so that forking and every
layer that does not depend on the program cost the next run nothing. Order matters: the session,
file descriptors, private /tmp and capabilities first (they need privileges the later layers take
away), then seccomp, the standard streams and the rlimits but one; then the request and its stdin,
the address-space limit (measured once the request is in memory), the static check, the audit
hook, and only then the student's code.
"""

import builtins
import contextlib
import io
import json
import linecache
import os
import resource
import signal
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, NoReturn

from sandbox_image.runner import framing, grading, kernel, static_check
from sandbox_image.runner.guard import Guard, SandboxViolationError, student_builtins
from sandbox_image.runner.policy import Limits

RESULT_FD = 3
INTERNAL_FAILURE = 70
SCRIPT_NAME = "main.py"


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


def enter(setup: ChildSetup) -> NoReturn:
    """Never returns: the child ends with os._exit whatever happens."""
    code = INTERNAL_FAILURE
    try:
        _isolate(setup)
        if setup.seccomp_program is not None:
            kernel.install_filter(setup.seccomp_program)
        _streams()
        _limit_resources(setup.limits)
        _warm_up(setup)
        request = framing.read_message(0)
        if request is None:  # the zygote ended or discarded this standby
            os._exit(0)
        _take_stdin(str(request.get("stdin") or ""), setup.limits)
        _limit_address_space(setup.limits)
        code = _run(replace(setup, request=request))
    except MemoryError:
        Channel().send(event="done", outcome="memory")
        code = 1
    except BaseException as error:  # the run's machinery failed: report it, never fall back into the zygote
        Channel().send(event="internal", error=f"{type(error).__name__}: {error}")
    finally:
        _close_channels()
        os._exit(code)


#: a program that goes through what every run goes through: parsing, checking, compiling, printing
_WARM_UP = "total = sum(number * 2 for number in range(3))\nprint(f'{total}')\n"


def _warm_up(setup: ChildSetup) -> None:
    """Before the request: touches what every run touches, so that a fresh fork's copy-on-write
    page faults are paid while nobody waits for the answer."""
    static_check.check(_WARM_UP, SCRIPT_NAME)
    compile(_WARM_UP, SCRIPT_NAME, "exec")
    guard = Guard(
        work_dir=setup.work_dir,
        readable_roots=setup.readable_roots,
        report=lambda _message: None,
        written_files=setup.limits.written_files,
    )
    student_builtins(guard, SCRIPT_NAME)
    json.loads(json.dumps({"event": "done", "outcome": "ok", "exit_code": 0, "error": None}))


def _close_channels() -> None:
    """Ends the output, so the zygote answers without waiting for the process to be torn down."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    for fd in (0, 1, 2, RESULT_FD):
        with contextlib.suppress(OSError):
            os.close(fd)


def _take_stdin(text: str, limits: Limits) -> None:
    stdin = os.memfd_create("stdin", os.MFD_CLOEXEC)
    os.write(stdin, text.encode()[: limits.stdin_bytes])
    os.lseek(stdin, 0, os.SEEK_SET)
    os.dup2(stdin, 0)
    os.close(stdin)


def _isolate(setup: ChildSetup) -> None:
    os.setsid()
    kernel.prctl(kernel.PR_SET_PDEATHSIG, signal.SIGKILL)
    for source, target in (
        (setup.request_fd, 0),
        (setup.stdout_fd, 1),
        (setup.stderr_fd, 2),
        (setup.result_fd, RESULT_FD),
    ):
        os.dup2(source, target)
    os.closerange(RESULT_FD + 1, 1 << 16)
    if setup.private_tmp:
        os.unshare(os.CLONE_NEWNS)
        kernel.mount_private_tmp(setup.limits.tmp_bytes)
        kernel.drop_capabilities()
    os.chdir(setup.work_dir)
    kernel.prctl(kernel.PR_SET_DUMPABLE, 0)
    os.umask(0o077)


def _address_space_in_use() -> int:
    with open("/proc/self/statm", "rb") as statm:  # noqa: PTH123 - before the audit hook, plain I/O
        pages = int(statm.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def _limit_address_space(limits: Limits) -> None:
    memory = _address_space_in_use() + limits.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def _limit_resources(limits: Limits) -> None:
    for which, value in (
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_FSIZE, limits.file_bytes),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_NPROC, limits.processes),
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_MEMLOCK, 0),
        (resource.RLIMIT_MSGQUEUE, 0),
    ):
        hard = value + 1 if which == resource.RLIMIT_CPU else value
        resource.setrlimit(which, (value, hard))


def _streams() -> None:
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8", errors="replace")
    sys.stdout = io.TextIOWrapper(
        io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="backslashreplace", line_buffering=True
    )
    sys.stderr = io.TextIOWrapper(
        io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace", line_buffering=True
    )


def _lock_down(setup: ChildSetup, guard: Guard) -> None:
    """The last layer before the student's code (the kernel's are on since the standby began)."""
    if setup.friendly:
        sys.addaudithook(guard.audit)


def _register_source(filename: str, source: str) -> None:
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)


def _run(setup: ChildSetup) -> int:
    channel = Channel()
    request = setup.request
    if request["kind"] == "grade":
        return grading.grade(setup, channel, _lock_down, _register_source)
    return _run_program(setup, channel, str(request["code"]))


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


def run_guarded(
    body: Callable[[], None], guard: Guard, filenames: tuple[str, ...]
) -> tuple[str, int, dict[str, Any] | None]:
    """Runs student code: (outcome, exit code, exception details)."""
    try:
        body()
    except SystemExit as leaving:
        code = leaving.code
        if code is None:
            return "ok", 0, None
        if isinstance(code, int):
            return ("ok" if code == 0 else "exit"), code & 0xFF, None
        print(code, file=sys.stderr)
        return "exit", 1, None
    except MemoryError:
        return "memory", 1, None
    except SandboxViolationError as refused:
        return "blocked", 1, describe_exception(refused, filenames)
    except BaseException as error:
        details = describe_exception(error, filenames)
        sys.stderr.write(details["traceback"])
        return "exception", 1, details
    return "ok", 0, None


def _run_program(setup: ChildSetup, channel: Channel, code: str) -> int:
    finding = static_check.check(code, SCRIPT_NAME) if setup.friendly else None
    if finding is not None:
        if isinstance(finding, static_check.SyntaxProblem):
            sys.stderr.write(f'  File "{SCRIPT_NAME}", line {finding.line}\n    {finding.text}\n')
            sys.stderr.write(f"SyntaxError: {finding.message}\n")
            sys.stderr.flush()
        channel.send(event="done", **refusal(finding))
        return 1
    compiled = compile(code, SCRIPT_NAME, "exec")
    _register_source(SCRIPT_NAME, code)
    guard = Guard(
        work_dir=setup.work_dir,
        readable_roots=setup.readable_roots,
        report=lambda message: channel.send(event="violation", message=message),
        written_files=setup.limits.written_files,
    )
    namespace: dict[str, Any] = {
        "__name__": "__main__",
        "__builtins__": student_builtins(guard, SCRIPT_NAME) if setup.friendly else builtins,
    }
    _lock_down(setup, guard)
    outcome, exit_code, details = run_guarded(
        lambda: exec(compiled, namespace),  # noqa: S102 - the student's program, inside every layer
        guard,
        (SCRIPT_NAME,),
    )
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    channel.send(event="done", outcome=outcome, exit_code=exit_code, error=details)
    return exit_code
