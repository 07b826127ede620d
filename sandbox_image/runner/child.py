"""One run, in the child the zygote forked: the layers go on in order, then the student's code runs.

The zygote forks the child before the request arrives (a standby), so that forking and every
layer that does not depend on the program cost the next run nothing. Order matters: the session,
file descriptors, private /tmp and capabilities first (they need privileges the later layers take
away), then seccomp, the standard streams and the rlimits but one; then the request and its stdin,
the address-space limit (measured once the request is in memory). The run itself, with the static
check, the audit hook and only then the student's code, is `program`'s or `grading`'s.
"""

import contextlib
import io
import json
import os
import resource
import signal
import sys
from dataclasses import replace
from typing import NoReturn

from sandbox_image.runner import framing, grading, kernel, program, static_check
from sandbox_image.runner.execution import RESULT_FD, Channel, ChildSetup
from sandbox_image.runner.guard import Guard, student_builtins
from sandbox_image.runner.policy import Limits

INTERNAL_FAILURE = 70


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
    static_check.check(_WARM_UP, program.SCRIPT_NAME)
    compile(_WARM_UP, program.SCRIPT_NAME, "exec")
    guard = Guard(
        work_dir=setup.work_dir,
        readable_roots=setup.readable_roots,
        report=lambda _message: None,
        written_files=setup.limits.written_files,
    )
    student_builtins(guard, program.SCRIPT_NAME)
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


def _run(setup: ChildSetup) -> int:
    channel = Channel()
    if setup.request["kind"] == "grade":
        return grading.grade(setup, channel)
    return program.run_program(setup, channel, str(setup.request["code"]))
