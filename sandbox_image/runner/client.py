"""The host's side: starts zygotes (inside bubblewrap when it can), sends them runs, restarts them.

Used in-process by the local cloud's functions and by the sandbox Lambda function's handler.
Standard library only.
"""

import contextlib
import os
import queue
import select
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sandbox_image.runner import kernel
from sandbox_image.runner.framing import read_message, write_message
from sandbox_image.runner.policy import Limits
from sandbox_image.runner.settings import namespaces_wanted
from sandbox_image.runner.zygote import ZygoteConfig

SANDBOX_UID = 65534
_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_ROOT = _PACKAGE_DIR.parent
_INSIDE_ROOT = "/opt/learnflow"
_START_SECONDS = 30.0
_GRACE_SECONDS = 5.0
_BOOTSTRAP = "import sys; sys.path.insert(0, {root!r}); from sandbox_image.runner.zygote import main; main()"


class SandboxUnavailableError(RuntimeError):
    """The sandbox cannot run code here (no libseccomp, or its worker cannot start)."""


def _interpreter() -> str:
    return os.path.realpath(sys.executable)


def _bwrap_mounts() -> list[str]:
    """Only what Python needs: /usr, the interpreter's prefix, the runner, a /dev, a /proc, a /tmp."""
    arguments = ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64"):
        if os.path.islink(top):  # noqa: PTH114
            arguments += ["--symlink", os.readlink(top), top]  # noqa: PTH115
        elif os.path.isdir(top):  # noqa: PTH112
            arguments += ["--ro-bind", top, top]
    prefix = os.path.realpath(sys.base_prefix)
    if not prefix.startswith("/usr/"):
        arguments += ["--ro-bind", prefix, prefix]
    arguments += ["--ro-bind", str(_PACKAGE_DIR), f"{_INSIDE_ROOT}/sandbox_image"]
    arguments += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--chdir", "/tmp"]  # noqa: S108
    return arguments


def bwrap_command() -> list[str]:
    bwrap = shutil.which("bwrap", path="/usr/bin:/bin:/usr/local/bin")
    if bwrap is None:
        return []
    return [
        bwrap,
        "--unshare-all",
        "--unshare-user",
        # no --die-with-parent: it ties bubblewrap to the thread that started it, so a zygote started
        # from a short-lived thread died with it; a zygote ends when its channel closes instead
        "--new-session",
        "--clearenv",
        "--uid",
        "0",
        "--gid",
        "0",
        "--cap-drop",
        "ALL",
        "--cap-add",
        "CAP_SYS_ADMIN",
        *_bwrap_mounts(),
    ]


@cache
def namespaces_usable() -> bool:
    """Whether bubblewrap can make a user namespace here (not on Lambda or Fargate)."""
    command = bwrap_command()
    if not command:
        return False
    try:
        probe = subprocess.run(  # noqa: S603 - a fixed command line
            [*command, _interpreter(), "-I", "-S", "-c", "pass"],
            env={},
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return probe.returncode == 0


@dataclass(frozen=True)
class SandboxOptions:
    limits: Limits = field(default_factory=Limits)
    namespaces: bool | None = None  # None: use them when usable and not switched off
    #: False only for the attack suite: without the static check and audit hook (the kernel's layers alone)
    friendly_layers: bool = True

    def use_namespaces(self) -> bool:
        if self.namespaces is not None:
            return self.namespaces and namespaces_usable()
        return namespaces_wanted() and namespaces_usable()


class Zygote:
    """One zygote process and the channel to it; one run at a time."""

    def __init__(self, options: SandboxOptions) -> None:
        if not kernel.seccomp_available():
            raise SandboxUnavailableError(
                "libseccomp is not installed; the sandbox will not run code without it"
            )
        self.options = options
        self.namespaces = options.use_namespaces()
        self._work_root: str | None = None
        self._process = self._start()
        hello = self._receive(_START_SECONDS)
        if hello is None or not hello.get("ready"):
            self.close()
            raise SandboxUnavailableError("the sandbox worker did not start")
        self.layers: list[str] = list(hello["layers"])

    def _start(self) -> subprocess.Popen[bytes]:
        # this process holds secrets in its environment (a database URL, AWS credentials on Lambda):
        # non-dumpable, no run can read its /proc entries even as the same user
        kernel.prctl(kernel.PR_SET_DUMPABLE, 0)
        run_as = None
        if not self.namespaces:
            self._work_root = tempfile.mkdtemp(prefix="learnflow-sandbox-")
            if os.geteuid() == 0:
                run_as = (SANDBOX_UID, SANDBOX_UID)
                os.chown(self._work_root, SANDBOX_UID, SANDBOX_UID)
            # write and search, no listing: a run cannot find the others' folders
            Path(self._work_root).chmod(0o300)
        config = ZygoteConfig(
            limits=self.options.limits,
            private_tmp=self.namespaces,
            work_root=self._work_root,
            seccomp=True,
            run_as=run_as,
            friendly=self.options.friendly_layers,
        )
        root = _INSIDE_ROOT if self.namespaces else str(_ROOT)
        command = [_interpreter(), "-I", "-S", "-B", "-c", _BOOTSTRAP.format(root=root), config.to_json()]
        if self.namespaces:
            command = [*bwrap_command(), *command]
        return subprocess.Popen(  # noqa: S603 - fixed command line, no shell
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={},
            cwd="/",
            close_fds=True,
        )

    def _receive(self, timeout: float) -> dict[str, Any] | None:
        assert self._process.stdout is not None
        fd = self._process.stdout.fileno()
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return None
        try:
            return read_message(fd)
        except (OSError, ValueError):
            return None

    def request(self, message: dict[str, Any]) -> dict[str, Any] | None:
        """The zygote's reply, or None when it died or hung (it is then closed)."""
        assert self._process.stdin is not None
        try:
            write_message(self._process.stdin.fileno(), message)
        except OSError:
            self.close()
            return None
        reply = self._receive(self.options.limits.wall_seconds + _GRACE_SECONDS)
        if reply is None:
            self.close()
        return reply

    @property
    def pid(self) -> int:
        return self._process.pid

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._process.kill()
        with contextlib.suppress(subprocess.SubprocessError):
            self._process.wait(timeout=5)
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        if self._work_root is not None:
            shutil.rmtree(self._work_root, ignore_errors=True)


_FAILED_RUN = {
    "status": "error",
    "stdout": "",
    "stderr": "",
    "exit_code": 1,
    "duration_ms": 0.0,
    "truncated": False,
    "message": "The sandbox could not run your program; please try again.",
}


class SandboxRunner:
    """A pool of zygotes: `run` and `grade` are safe to call from several threads."""

    def __init__(self, options: SandboxOptions | None = None, size: int = 1) -> None:
        self.options = options or SandboxOptions()
        self._idle: queue.LifoQueue[Zygote] = queue.LifoQueue()
        self._size = size
        self._started = 0
        self._lock = threading.Lock()

    def _take(self) -> Zygote:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._started < self._size:
                self._started += 1
                try:
                    return Zygote(self.options)
                except BaseException:
                    self._started -= 1
                    raise
        return self._idle.get()

    def _give_back(self, zygote: Zygote) -> None:
        if zygote.alive:
            self._idle.put(zygote)
        else:
            with self._lock:
                self._started -= 1

    def _request(self, message: dict[str, Any]) -> dict[str, Any] | None:
        zygote = self._take()
        try:
            return zygote.request(message)
        finally:
            self._give_back(zygote)

    def layers(self) -> list[str]:
        reply = self._request({"kind": "ping"})
        return list(reply["layers"]) if reply else []

    def run(self, code: str, stdin: str = "") -> dict[str, Any]:
        reply = self._request({"kind": "run", "code": code, "stdin": stdin})
        if reply is None or "error" in reply:
            return dict(_FAILED_RUN)
        return reply

    def grade(self, module_name: str, student_code: str, test_code: str) -> dict[str, Any]:
        reply = self._request(
            {
                "kind": "grade",
                "module_name": module_name,
                "student_code": student_code,
                "test_code": test_code,
            }
        )
        if reply is None or "error" in reply:
            return {
                "status": "error",
                "score": 0,
                "tests": [],
                "duration_ms": 0.0,
                "message": _FAILED_RUN["message"],
                "execution_status": "error",
                "stdout": "",
                "stderr": "",
            }
        return reply

    def worker_pids(self) -> list[int]:
        """The host pids of the idle zygotes (or of bubblewrap around them)."""
        return [zygote.pid for zygote in list(self._idle.queue)]

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return
