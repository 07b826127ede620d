"""Execution environments of one function: its template process and the workers it forks.

See localcloud/worker.py for the other side. A new worker costs a fork and the handler module's
own init, not a second of imports, so a burst of invocations does not start a storm of imports.
"""

import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INIT_TIMEOUT_SECONDS = 10.0
#: the template's imports, once per function: on a busy machine, with every template starting at once,
#: they take far longer than a worker's init
TEMPLATE_START_SECONDS = 60.0
_LINE_LIMIT = 16 * 1024 * 1024


@dataclass(frozen=True)
class FunctionError:
    error_type: str
    message: str
    stack_trace: list[str] = field(default_factory=list)


class Worker:
    """One execution environment: a forked process serving invocations over its own socket."""

    def __init__(self, pid: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.pid = pid
        self._reader = reader
        self._writer = writer
        self.last_used = time.monotonic()

    async def receive(self, limit_seconds: float) -> dict[str, Any] | None:
        """The next reply; None when the environment died (its socket closed or was reset)."""
        try:
            line = await asyncio.wait_for(self._reader.readline(), limit_seconds)
        except ConnectionError:
            return None
        return json.loads(line) if line else None

    async def send(self, request: dict[str, Any]) -> bool:
        """False when the environment died while idle: the request never reached it."""
        try:
            self._writer.write(json.dumps(request).encode() + b"\n")
            await self._writer.drain()
        except ConnectionError:
            return False
        return True

    async def answer(self, limit_seconds: float) -> dict[str, Any] | None:
        reply = await self.receive(limit_seconds)
        self.last_used = time.monotonic()
        return reply

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self._writer.close()

    def retire(self) -> None:
        """Hangs up: the worker finishes its loop and exits by itself."""
        self._writer.close()


class Template:
    """The function's pre-imported process; forks workers on request, one at a time."""

    def __init__(self, name: str, handler: str, environment: Mapping[str, str], log_path: Path) -> None:
        self._name = name
        self._handler = handler
        self._environment = dict(environment)
        self._log_path = log_path
        self._process: asyncio.subprocess.Process | None = None
        self._control: socket.socket | None = None
        self._lock = asyncio.Lock()

    async def start(self) -> FunctionError | None:
        """Starts the template unless it runs: the imports happen here, once."""
        async with self._lock:
            return await self._start_unless_running()

    async def fork(self) -> Worker | FunctionError:
        """A new worker past its init, or the error its init (or the template's) ended with."""
        async with self._lock:
            problem = await self._start_unless_running()
            if problem is not None:
                return problem
            assert self._control is not None
            ours, theirs = socket.socketpair()
            try:
                pid = await asyncio.to_thread(_request_fork, self._control, theirs)
            except OSError as error:
                ours.close()
                await self._stop()
                return FunctionError("Runtime.ExitError", f"the {self._name} template stopped: {error}")
            finally:
                theirs.close()
        reader, writer = await asyncio.open_unix_connection(sock=ours, limit=_LINE_LIMIT)
        worker = Worker(pid, reader, writer)
        try:
            hello = await worker.receive(INIT_TIMEOUT_SECONDS)
        except TimeoutError:
            worker.kill()
            return FunctionError(
                "Runtime.InitTimeout", f"{self._name} did not start in {INIT_TIMEOUT_SECONDS} s"
            )
        if hello is None or "init_error" in hello:
            worker.kill()
            failure = (hello or {}).get("init_error") or {
                "errorType": "Runtime.ExitError",
                "errorMessage": "the runtime exited during init",
            }
            return FunctionError(
                str(failure["errorType"]), str(failure["errorMessage"]), list(failure.get("stackTrace", []))
            )
        return worker

    async def _start_unless_running(self) -> FunctionError | None:
        if self._process is not None and self._process.returncode is None:
            return None
        return await self._start()

    async def _start(self) -> FunctionError | None:
        ours, theirs = socket.socketpair()
        with self._log_path.open("ab") as log:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "localcloud.worker",
                self._handler,
                str(theirs.fileno()),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env=self._environment,
                pass_fds=(theirs.fileno(),),
            )
        theirs.close()
        ours.settimeout(TEMPLATE_START_SECONDS)
        self._control = ours
        try:
            ready = await asyncio.to_thread(ours.recv, 16)
        except TimeoutError:
            ready = b""
        if ready.strip() != b"ready":
            await self._stop()
            return FunctionError(
                "Runtime.InitTimeout" if ready == b"" else "Runtime.ExitError",
                f"the {self._name} template did not start (see its log {self._log_path})",
            )
        ours.settimeout(None)
        return None

    async def _stop(self) -> None:
        control, self._control = self._control, None
        if control is not None:
            control.close()
        process, self._process = self._process, None
        if process is not None and process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), 2)
            except TimeoutError:
                process.kill()
                await process.wait()

    async def close(self) -> None:
        async with self._lock:
            await self._stop()


def _request_fork(control: socket.socket, channel: socket.socket) -> int:
    socket.send_fds(control, [b"f"], [channel.fileno()])
    answer = b""
    while not answer.endswith(b"\n"):
        chunk = control.recv(32)
        if not chunk:
            raise ConnectionError("the template closed its control socket")
        answer += chunk
    return int(answer)


@dataclass(frozen=True)
class Invocation:
    result: Any = None
    error: FunctionError | None = None
    timed_out: bool = False
    duration_ms: float = 0.0
    queued_ms: float = 0.0
    cold_start_ms: float | None = None
    #: the EMF documents the function printed (Powertools Metrics), for the local cloud's /metrics
    metrics: tuple[dict[str, Any], ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None
