"""Runs functions in warm worker processes, with Lambda's timeout, concurrency and error semantics."""

import asyncio
import contextlib
import json
import sys
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infra.wiring import FunctionSpec

INIT_TIMEOUT_SECONDS = 10.0
_LINE_LIMIT = 16 * 1024 * 1024


@dataclass(frozen=True)
class FunctionError:
    error_type: str
    message: str
    stack_trace: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Invocation:
    result: Any = None
    error: FunctionError | None = None
    timed_out: bool = False
    duration_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


class ThrottledError(RuntimeError):
    """The function is at its concurrency limit (Lambda's TooManyRequestsException)."""


class _Worker:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    async def call(self, request: dict[str, Any], limit_seconds: float) -> dict[str, Any] | None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(request).encode() + b"\n")
        await self.process.stdin.drain()
        line = await asyncio.wait_for(self.process.stdout.readline(), limit_seconds)
        return json.loads(line) if line else None

    async def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        await self.process.wait()


EnvironmentFactory = Callable[[FunctionSpec], Mapping[str, str]]


class _FunctionPool:
    def __init__(
        self, spec: FunctionSpec, environment: Mapping[str, str], log_path: Path, concurrency: int
    ) -> None:
        self.spec = spec
        self._environment = dict(environment)
        self._log_path = log_path
        self._concurrency = concurrency
        self._idle: list[_Worker] = []
        self._busy = 0

    async def invoke(self, event: Any, limit_seconds: float) -> Invocation:
        if self._busy >= self._concurrency:
            raise ThrottledError(
                f"{self.spec.name} is running {self._busy} invocations, its concurrency limit"
            )
        self._busy += 1
        started = time.perf_counter()
        try:
            return await self._run(event, limit_seconds, started)
        finally:
            self._busy -= 1

    async def _run(self, event: Any, limit_seconds: float, started: float) -> Invocation:
        def elapsed() -> float:
            return (time.perf_counter() - started) * 1000

        worker = self._idle.pop() if self._idle else None
        if worker is None:
            worker_or_error = await self._spawn()
            if isinstance(worker_or_error, FunctionError):
                return Invocation(error=worker_or_error, duration_ms=elapsed())
            worker = worker_or_error
        request_id = str(uuid.uuid4())
        context = {
            "function_name": self.spec.name,
            "memory_limit_in_mb": self.spec.memory_mb,
            "aws_request_id": request_id,
            "deadline_ms": int(time.time() * 1000 + limit_seconds * 1000),
        }
        try:
            reply = await worker.call({"event": event, "context": context}, limit_seconds)
        except asyncio.CancelledError:
            await worker.kill()  # its answer would arrive for nobody and desynchronise the next call
            raise
        except TimeoutError:
            await worker.kill()
            message = f"{request_id} Task timed out after {limit_seconds:.2f} seconds"
            return Invocation(
                error=FunctionError("Sandbox.Timedout", message), timed_out=True, duration_ms=elapsed()
            )
        if reply is None:
            await worker.kill()
            code = worker.process.returncode
            return Invocation(
                error=FunctionError("Runtime.ExitError", f"the runtime exited with status {code}"),
                duration_ms=elapsed(),
            )
        self._idle.append(worker)
        if "error" in reply:
            error = reply["error"]
            return Invocation(
                error=FunctionError(error["errorType"], error["errorMessage"], error.get("stackTrace", [])),
                duration_ms=elapsed(),
            )
        return Invocation(result=reply["result"], duration_ms=elapsed())

    async def _spawn(self) -> _Worker | FunctionError:
        with self._log_path.open("ab") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "localcloud.worker",
                self.spec.handler,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=log,
                env=self._environment,
                limit=_LINE_LIMIT,
            )
        worker = _Worker(process)
        assert process.stdout is not None
        try:
            line = await asyncio.wait_for(process.stdout.readline(), INIT_TIMEOUT_SECONDS)
        except TimeoutError:
            await worker.kill()
            return FunctionError(
                "Runtime.InitTimeout", f"{self.spec.name} did not start in {INIT_TIMEOUT_SECONDS} s"
            )
        hello = (
            json.loads(line)
            if line
            else {
                "init_error": {
                    "errorType": "Runtime.ExitError",
                    "errorMessage": "the runtime exited during init",
                }
            }
        )
        if "init_error" in hello:
            await worker.kill()
            error = hello["init_error"]
            return FunctionError(
                str(error["errorType"]), str(error["errorMessage"]), list(error.get("stackTrace", []))
            )
        return worker

    async def prewarm(self) -> None:
        if not self._idle and self._busy == 0:
            worker = await self._spawn()
            if isinstance(worker, _Worker):
                self._idle.append(worker)

    async def close(self) -> None:
        workers, self._idle = self._idle, []
        for worker in workers:
            assert worker.process.stdin is not None
            worker.process.stdin.close()
        for worker in workers:
            try:
                await asyncio.wait_for(worker.process.wait(), 2)
            except TimeoutError:
                await worker.kill()


class FunctionRuntime:
    """Invokes the wired functions by name, each in its own pool of warm worker processes."""

    def __init__(
        self,
        specs: tuple[FunctionSpec, ...],
        environment_for: EnvironmentFactory,
        log_dir: Path,
        default_concurrency: int = 10,
    ) -> None:
        log_dir.mkdir(parents=True, exist_ok=True)
        self._pools = {
            spec.name: _FunctionPool(
                spec,
                environment_for(spec),
                log_dir / f"{spec.name}.log",
                spec.reserved_concurrency or default_concurrency,
            )
            for spec in specs
        }

    def spec(self, name: str) -> FunctionSpec:
        return self._pool(name).spec

    async def invoke(self, name: str, event: Any, *, timeout_seconds: float | None = None) -> Invocation:
        """Runs one invocation; raises ThrottledError when the function is at its concurrency limit."""
        pool = self._pool(name)
        return await pool.invoke(event, timeout_seconds or pool.spec.timeout_seconds)

    async def prewarm(self) -> None:
        await asyncio.gather(*(pool.prewarm() for pool in self._pools.values()))

    async def close(self) -> None:
        await asyncio.gather(*(pool.close() for pool in self._pools.values()))

    def _pool(self, name: str) -> _FunctionPool:
        try:
            return self._pools[name]
        except KeyError:
            raise KeyError(f"no function named {name!r}") from None
