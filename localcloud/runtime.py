"""Runs functions in warm execution environments, with Lambda's timeout, concurrency and error semantics.

Concurrency is Lambda's: a function with reserved concurrency N runs at most N invocations at once
and the next one is throttled (ThrottledError, Lambda's TooManyRequestsException); its
environments are its own. The other functions share the machine's environments (`max_workers`,
LEARNFLOW_MAX_WORKERS): an invocation that finds none free waits for one, as Lambda scales out
instead of refusing. A waiting invocation may take the environment another function left idle
longest; that function starts a new one later (a cold start).
"""

import asyncio
import logging
import os
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from infra.wiring import FunctionSpec
from localcloud.execution_environments import (
    INIT_TIMEOUT_SECONDS,
    FunctionError,
    Invocation,
    Template,
    Worker,
)
from localcloud.metrics import CloudMetrics

__all__ = ["INIT_TIMEOUT_SECONDS", "FunctionError", "FunctionRuntime", "Invocation", "ThrottledError"]

log = logging.getLogger("localcloud.runtime")  # into gateway.log under `learnflow dev`


def default_max_workers() -> int:
    """Shared environments for the machine: enough to keep I/O-bound functions busy on every core."""
    return max(16, 16 * (os.cpu_count() or 1))


class ThrottledError(RuntimeError):
    """The function is at its reserved concurrency (Lambda's TooManyRequestsException)."""


EnvironmentFactory = Callable[[FunctionSpec], Mapping[str, str]]


class _SharedCapacity:
    """The environments that functions without reserved concurrency share."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.live = 0
        self.changed = asyncio.Condition()
        self.pools: list[_FunctionPool] = []

    def take_idle_from_others(self, taker: "_FunctionPool") -> Worker | None:
        """The environment idle longest in another shared pool, handed over to be retired."""
        idle = [(worker.last_used, pool) for pool in self.pools if pool is not taker for worker in pool.idle]
        if not idle:
            return None
        _, pool = min(idle, key=lambda item: item[0])
        oldest = min(pool.idle, key=lambda worker: worker.last_used)
        pool.idle.remove(oldest)
        pool.live.dec()
        return oldest

    async def notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()


class _FunctionPool:
    def __init__(
        self,
        spec: FunctionSpec,
        template: Template,
        shared: _SharedCapacity,
        reserved: int | None,
        metrics: CloudMetrics,
    ) -> None:
        self.spec = spec
        self.idle: list[Worker] = []
        self.live = metrics.workers.labels(spec.name)  # its environments: idle or busy
        self._template = template
        self._reserved = reserved
        self._capacity = shared if reserved is None else _SharedCapacity(reserved)
        self._busy = 0
        if reserved is None:
            shared.pools.append(self)

    async def invoke(self, event: Any, limit_seconds: float) -> Invocation:
        if self._reserved is not None and self._busy >= self._reserved:
            raise ThrottledError(
                f"{self.spec.name} is running {self._busy} invocations, its reserved concurrency"
            )
        self._busy += 1
        started = time.perf_counter()
        request_id = str(uuid.uuid4())
        try:
            while True:
                acquired = await self._acquire()
                queued_ms = (time.perf_counter() - started) * 1000
                if isinstance(acquired, FunctionError):
                    return Invocation(error=acquired, duration_ms=queued_ms, queued_ms=queued_ms)
                worker, cold_start_ms = acquired
                if await self._send(worker, event, request_id, limit_seconds):
                    break
                # it died while idle: as on Lambda, another environment takes the invocation
            invocation = await self._run(worker, request_id, limit_seconds)
            return replace(
                invocation,
                duration_ms=(time.perf_counter() - started) * 1000,
                queued_ms=queued_ms - (cold_start_ms or 0.0),
                cold_start_ms=cold_start_ms,
            )
        finally:
            self._busy -= 1

    async def _acquire(self) -> tuple[Worker, float | None] | FunctionError:
        """A warm environment, else a new one (its start in ms); waits while the machine has none."""
        capacity = self._capacity
        waiting_since: float | None = None
        while True:
            async with capacity.changed:
                if self.idle:
                    self._log_wait(waiting_since)
                    return self.idle.pop(), None
                retired = None
                if capacity.live >= capacity.limit:
                    retired = capacity.take_idle_from_others(self)
                    if retired is None:
                        waiting_since = waiting_since or time.perf_counter()
                        await capacity.changed.wait()
                        continue
                else:
                    capacity.live += 1
            self._log_wait(waiting_since)
            if retired is not None:
                retired.retire()
            started = time.perf_counter()
            try:
                worker = await self._template.fork()
            except asyncio.CancelledError:
                await self._release(None)
                raise
            if isinstance(worker, FunctionError):
                await self._release(None)
                return worker
            cold_start_ms = (time.perf_counter() - started) * 1000
            self.live.inc()
            log.info("%s: new environment ready in %.1f ms", self.spec.name, cold_start_ms)
            return worker, cold_start_ms

    def _log_wait(self, waiting_since: float | None) -> None:
        if waiting_since is not None:
            waited_ms = (time.perf_counter() - waiting_since) * 1000
            log.info("%s: waited %.1f ms for a free environment", self.spec.name, waited_ms)

    async def _release(self, worker: Worker | None) -> None:
        """Back to idle, or (None) one environment fewer."""
        async with self._capacity.changed:
            if worker is None:
                self._capacity.live -= 1
            else:
                self.idle.append(worker)
            self._capacity.changed.notify_all()

    async def _send(self, worker: Worker, event: Any, request_id: str, limit_seconds: float) -> bool:
        context = {
            "function_name": self.spec.name,
            "memory_limit_in_mb": self.spec.memory_mb,
            "aws_request_id": request_id,
            "deadline_ms": int(time.time() * 1000 + limit_seconds * 1000),
        }
        try:
            sent = await worker.send({"event": event, "context": context})
        except asyncio.CancelledError:
            worker.kill()
            self.live.dec()
            await self._release(None)
            raise
        if not sent:
            worker.kill()
            self.live.dec()
            await self._release(None)
        return sent

    async def _run(self, worker: Worker, request_id: str, limit_seconds: float) -> Invocation:
        try:
            reply = await worker.answer(limit_seconds)
        except asyncio.CancelledError:
            worker.kill()  # its answer would arrive for nobody and desynchronise the next call
            self.live.dec()
            await self._release(None)
            raise
        except TimeoutError:
            worker.kill()
            self.live.dec()
            await self._release(None)
            message = f"{request_id} Task timed out after {limit_seconds:.2f} seconds"
            return Invocation(error=FunctionError("Sandbox.Timedout", message), timed_out=True)
        if reply is None:
            worker.kill()
            self.live.dec()
            await self._release(None)
            return Invocation(error=FunctionError("Runtime.ExitError", "the runtime exited"))
        await self._release(worker)
        printed = tuple(reply.get("metrics") or ())
        if "error" in reply:
            error = reply["error"]
            return Invocation(
                error=FunctionError(error["errorType"], error["errorMessage"], error.get("stackTrace", [])),
                metrics=printed,
            )
        return Invocation(result=reply["result"], metrics=printed)

    async def prewarm(self) -> None:
        if self.idle or self._busy:
            return
        problem = await self._template.start()
        if problem is not None:
            log.error("%s: %s", self.spec.name, problem.message)
            return
        acquired = await self._acquire()
        if not isinstance(acquired, FunctionError):
            await self._release(acquired[0])

    async def close(self) -> None:
        async with self._capacity.changed:
            workers, self.idle = self.idle, []
            self._capacity.live -= len(workers)
        self.live.dec(len(workers))
        for worker in workers:
            worker.retire()
        await self._template.close()


class FunctionRuntime:
    """Invokes the wired functions by name, each in its own pool of warm execution environments."""

    def __init__(
        self,
        specs: tuple[FunctionSpec, ...],
        environment_for: EnvironmentFactory,
        log_dir: Path,
        max_workers: int | None = None,
        metrics: CloudMetrics | None = None,
    ) -> None:
        log_dir.mkdir(parents=True, exist_ok=True)
        self.metrics = metrics or CloudMetrics()
        self._shared = _SharedCapacity(max_workers or default_max_workers())
        self._pools = {
            spec.name: _FunctionPool(
                spec,
                Template(spec.name, spec.handler, environment_for(spec), log_dir / f"{spec.name}.log"),
                self._shared,
                spec.reserved_concurrency,
                self.metrics,
            )
            for spec in specs
        }

    def spec(self, name: str) -> FunctionSpec:
        return self._pool(name).spec

    async def invoke(self, name: str, event: Any, *, timeout_seconds: float | None = None) -> Invocation:
        """Runs one invocation; raises ThrottledError when the function is at its reserved concurrency."""
        pool = self._pool(name)
        try:
            invocation = await pool.invoke(event, timeout_seconds or pool.spec.timeout_seconds)
        except ThrottledError:
            self.metrics.throttles.labels(name).inc()
            raise
        self.metrics.invoked(name, invocation)
        return invocation

    async def prewarm(self) -> None:
        """One warm environment per function; a few templates import at a time, not all at once."""
        starting = asyncio.Semaphore(2 * (os.cpu_count() or 1))

        async def prewarm(pool: _FunctionPool) -> None:
            async with starting:
                await pool.prewarm()

        await asyncio.gather(*(prewarm(pool) for pool in self._pools.values()))

    async def close(self) -> None:
        await asyncio.gather(*(pool.close() for pool in self._pools.values()))

    def _pool(self, name: str) -> _FunctionPool:
        try:
            return self._pools[name]
        except KeyError:
            raise KeyError(f"no function named {name!r}") from None
