"""The pre-forked worker: loads Python and the allowed modules once, then forks one child per run.

Started by `client.Zygote` as `python -I -S -B -c <bootstrap> <config>` with an empty environment,
inside bubblewrap when user namespaces are available. It makes itself non-dumpable (so no child
reads its memory or /proc entries), drops root if it has it, and then answers requests, one at a
time, on a framed JSON channel (`framing`).

Between requests it forks the next run's child (a standby that isolates itself and waits for its
request), and it answers a run as soon as the child has reported and closed its output: the
fork, the first layers and the child's teardown happen while nobody waits.
"""

import contextlib
import json
import os
import selectors
import shutil
import signal
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any

from sandbox_image.runner import child, kernel, outcome
from sandbox_image.runner.execution import ChildSetup
from sandbox_image.runner.framing import read_message, write_message
from sandbox_image.runner.policy import ALLOWED_MODULES, Limits

_RESULT_CAP = 4 * 1024 * 1024
_DRAIN_SECONDS = 1.0
#: loaded before the first fork so that runs never import from disk (a dropped user may not read it)
_PRELOAD = (*sorted(ALLOWED_MODULES - {"sys"}), "collections.abc", "unittest", "_strptime", "encodings.idna")


@dataclass(frozen=True)
class ZygoteConfig:
    limits: Limits
    private_tmp: bool
    work_root: str | None
    seccomp: bool
    run_as: tuple[int, int] | None
    friendly: bool = True

    @classmethod
    def from_json(cls, text: str) -> "ZygoteConfig":
        raw = json.loads(text)
        run_as = raw.get("run_as")
        return cls(
            limits=Limits(**raw.get("limits", {})),
            private_tmp=bool(raw["private_tmp"]),
            work_root=raw.get("work_root"),
            seccomp=bool(raw["seccomp"]),
            run_as=(int(run_as[0]), int(run_as[1])) if run_as else None,
            friendly=bool(raw.get("friendly", True)),
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "limits": self.limits.as_dict(),
                "private_tmp": self.private_tmp,
                "work_root": self.work_root,
                "seccomp": self.seccomp,
                "run_as": list(self.run_as) if self.run_as else None,
                "friendly": self.friendly,
            }
        )


@dataclass(frozen=True)
class _Standby:
    """A forked child waiting for its request, the zygote's ends of its pipes, and what watches them."""

    pid: int
    request_fd: int
    output_fds: tuple[int, int, int]  # stdout, stderr, reports
    work_dir: str
    pidfd: int
    selector: selectors.BaseSelector

    @classmethod
    def watching(
        cls, pid: int, request_fd: int, output_fds: tuple[int, int, int], work_dir: str
    ) -> "_Standby":
        pidfd = os.pidfd_open(pid)
        selector = selectors.DefaultSelector()
        for fd in output_fds:
            os.set_blocking(fd, False)
            selector.register(fd, selectors.EVENT_READ)
        selector.register(pidfd, selectors.EVENT_READ)
        return cls(pid, request_fd, output_fds, work_dir, pidfd, selector)

    def close_watch(self) -> None:
        self.selector.close()
        for fd in (*self.output_fds, self.pidfd):
            os.close(fd)


@dataclass(frozen=True)
class _Finished:
    """A run already answered whose child may still be exiting; cleared before the next run."""

    pid: int
    work_dir: str
    reaped: bool


def _readable_roots() -> tuple[str, ...]:
    standard_library = os.path.dirname(os.__file__)  # noqa: PTH120 - pathlib is a student module here
    return (standard_library,)


class Zygote:
    def __init__(self, config: ZygoteConfig) -> None:
        self.config = config
        self.seccomp_program = kernel.compile_filter() if config.seccomp else None
        self.readable_roots = _readable_roots()
        self._standby: _Standby | None = None
        self._finished: _Finished | None = None

    def layers(self) -> list[str]:
        layers = ["static_check", "audit_hook"] if self.config.friendly else []
        layers += ["rlimits", "clean_environment", "non_dumpable"]
        layers.append("private_tmp_mount" if self.config.private_tmp else "private_work_dir")
        if self.seccomp_program is not None:
            layers.append("seccomp")
        if self.config.run_as is not None:
            layers.append("privilege_drop")
        if self.config.private_tmp:
            layers.append("namespaces")
        return layers

    def serve(self, request: dict[str, Any]) -> dict[str, Any]:
        kind = request.get("kind")
        if kind == "ping":
            return {"ok": True, "layers": self.layers()}
        if kind not in ("run", "grade"):
            return {"error": f"unknown request kind {kind!r}"}
        seen = self.supervise(request)
        if kind == "grade":
            return outcome.grade_result(seen, self.config.limits)
        return outcome.execution_result(seen, self.config.limits)

    def prepare(self) -> None:
        """Between requests: ends the last run's child for good, then forks the next run's standby."""
        self._clear_finished()
        if self._standby is None:
            self._standby = self._fork_standby()

    def close(self) -> None:
        self._clear_finished()
        if self._standby is not None:
            self._discard(self._standby)
            self._standby = None

    def supervise(self, request: dict[str, Any]) -> outcome.Observation:
        limits = self.config.limits
        started = time.perf_counter()
        standby = self._hand_over(request)
        seen = outcome.Observation()
        try:
            _watch(standby, started + limits.wall_seconds, limits, seen)
        finally:
            seen.duration_ms = (time.perf_counter() - started) * 1000
            standby.close_watch()
            reaped = not _reported_cleanly(seen)
            if reaped:  # how it ended is part of the answer: wait for it now
                _kill(standby.pid)
                _, seen.wait_status = os.waitpid(standby.pid, 0)
            self._finished = _Finished(standby.pid, standby.work_dir, reaped)
        return seen

    def _work_dir(self) -> str:
        if self.config.private_tmp:
            return "/tmp"  # noqa: S108 - the child mounts a private tmpfs there
        return tempfile.mkdtemp(prefix="run-", dir=self.config.work_root)

    def _fork_standby(self) -> _Standby:
        work_dir = self._work_dir()
        request_r, request_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        res_r, res_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            child.enter(
                ChildSetup(
                    limits=self.config.limits,
                    work_dir=work_dir,
                    private_tmp=self.config.private_tmp,
                    seccomp_program=self.seccomp_program,
                    readable_roots=self.readable_roots,
                    request_fd=request_r,
                    stdout_fd=out_w,
                    stderr_fd=err_w,
                    result_fd=res_w,
                    friendly=self.config.friendly,
                )
            )
        for fd in (request_r, out_w, err_w, res_w):
            os.close(fd)
        return _Standby.watching(pid, request_w, (out_r, err_r, res_r), work_dir)

    def _hand_over(self, request: dict[str, Any]) -> _Standby:
        """Gives the request to the standby; one that died while it waited is replaced once."""
        self._clear_finished()
        for attempt in range(2):
            standby, self._standby = self._standby or self._fork_standby(), None
            try:
                write_message(standby.request_fd, request)
            except OSError:
                self._discard(standby)
                if attempt:
                    raise
                continue
            os.close(standby.request_fd)
            return standby
        raise AssertionError("unreachable")

    def _discard(self, standby: _Standby) -> None:
        with contextlib.suppress(OSError):
            os.close(standby.request_fd)
        _kill(standby.pid)
        os.waitpid(standby.pid, 0)
        standby.close_watch()
        self._remove_work_dir(standby.work_dir)

    def _clear_finished(self) -> None:
        finished, self._finished = self._finished, None
        if finished is None:
            return
        if not finished.reaped:
            _kill(finished.pid)
            os.waitpid(finished.pid, 0)
        self._remove_work_dir(finished.work_dir)

    def _remove_work_dir(self, work_dir: str) -> None:
        if not self.config.private_tmp:
            _remove_tree(work_dir)


def _reported_cleanly(seen: outcome.Observation) -> bool:
    """The child said how it ended and closed its output: its exit status adds nothing."""
    return seen.killed_for is None and seen.last("done") is not None and seen.last("violation") is None


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def _watch(standby: _Standby, deadline: float, limits: Limits, seen: outcome.Observation) -> None:
    """Collects the child's output and reports until it exits; kills it at the deadline or output cap."""
    collected = _Collected(standby, limits, seen)
    while collected.open_pipes:
        wait = collected.seconds_to_wait(deadline)
        if wait is None:
            break
        for key, _ in standby.selector.select(wait):
            collected.take(key.fd)
    collected.record()


class _Collected:
    """What one child has written so far on its three pipes, and whether it has exited."""

    def __init__(self, standby: _Standby, limits: Limits, seen: outcome.Observation) -> None:
        self.standby, self.limits, self.seen = standby, limits, seen
        self.buffers = {fd: bytearray() for fd in standby.output_fds}
        self.open_pipes = set(standby.output_fds)
        #: when the child exited or was killed for its time; what it wrote is drained for a while after
        self.exited_at: float | None = None

    def seconds_to_wait(self, deadline: float) -> float | None:
        """How long to wait for the next output; kills the child at the deadline; None once drained."""
        now = time.perf_counter()
        if self.exited_at is None and now >= deadline:
            self.seen.killed_for = "timeout"
            _kill(self.standby.pid)
            self.exited_at = now
        elif self.exited_at is not None and now >= self.exited_at + _DRAIN_SECONDS:
            return None
        until = deadline if self.exited_at is None else self.exited_at + _DRAIN_SECONDS
        return max(until - now, 0)

    def take(self, fd: int) -> None:
        if fd == self.standby.pidfd:
            self.standby.selector.unregister(fd)
            self.exited_at = time.perf_counter()
            return
        chunk = _read_available(fd)
        if chunk is None:
            return
        if not chunk:
            self.standby.selector.unregister(fd)
            self.open_pipes.discard(fd)
            return
        self.buffers[fd] += chunk
        self._enforce_caps(fd)

    def _enforce_caps(self, fd: int) -> None:
        stdout, stderr, reports = self.standby.output_fds
        printed = len(self.buffers[stdout]) + len(self.buffers[stderr])
        if fd != reports and printed > self.limits.output_bytes and self.seen.killed_for is None:
            self.seen.killed_for = "output_limit"
            _kill(self.standby.pid)
        if len(self.buffers[reports]) > _RESULT_CAP:
            _kill(self.standby.pid)

    def record(self) -> None:
        """Into the observation: the output up to the cap, and the reports that parse."""
        stdout, stderr, reports = self.standby.output_fds
        cap = self.limits.output_bytes
        self.seen.stdout = bytes(self.buffers[stdout][:cap])
        self.seen.stderr = bytes(self.buffers[stderr][: max(0, cap - len(self.seen.stdout))])
        self.seen.events.extend(_events(bytes(self.buffers[reports][:_RESULT_CAP])))


def _read_available(fd: int) -> bytes | None:
    """Up to 64 KiB from a non-blocking pipe: b"" at its end, None when nothing is there yet."""
    try:
        return os.read(fd, 65536)
    except BlockingIOError:
        return None


def _events(reports: bytes) -> list[dict[str, Any]]:
    """The child's JSON lines; a line that does not parse (a run killed mid-write) is left out."""
    events = []
    for line in reports.splitlines():
        with contextlib.suppress(ValueError):
            event = json.loads(line)
            if isinstance(event, dict):
                events.append(event)
    return events


def _remove_tree(path: str) -> None:
    def unlock(_function: Any, failed: str, _error: Any) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(failed), stat.S_IRWXU)  # noqa: PTH101, PTH120
            os.chmod(failed, stat.S_IRWXU)  # noqa: PTH101
            if os.path.isdir(failed):  # noqa: PTH112
                shutil.rmtree(failed, ignore_errors=True)
            else:
                os.unlink(failed)  # noqa: PTH108

    shutil.rmtree(path, onerror=unlock)


def _preload(friendly: bool) -> None:
    # without the friendly layers (the attack suite) the modules attacks reach for are there too
    for name in _PRELOAD if friendly else (*_PRELOAD, "socket", "subprocess", "signal"):
        with contextlib.suppress(ImportError):
            __import__(name)


def _drop_privileges(run_as: tuple[int, int]) -> None:
    uid, gid = run_as
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)


def main() -> None:
    config = ZygoteConfig.from_json(sys.argv[1])
    channel_in, channel_out = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(2, 1)  # a stray print must never corrupt the channel
    os.close(null)
    _preload(config.friendly)
    zygote = Zygote(config)
    kernel.prctl(kernel.PR_SET_DUMPABLE, 0)
    if config.run_as is not None:
        _drop_privileges(config.run_as)
        kernel.prctl(kernel.PR_SET_DUMPABLE, 0)
    write_message(channel_out, {"ready": True, "layers": zygote.layers()})
    while True:
        with contextlib.suppress(OSError):  # out of processes now: the next run forks its own child
            zygote.prepare()
        request = read_message(channel_in)
        if request is None:
            break
        try:
            reply = zygote.serve(request)
        except Exception as error:  # a failure of one run must never end the worker
            reply = {"error": f"{type(error).__name__}: {error}"}
        write_message(channel_out, reply)
    zygote.close()
