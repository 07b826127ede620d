"""EventBridge schedules: each scheduled function is invoked at its rate with a scheduled event."""

import asyncio
import contextlib

from infra.wiring import FunctionSpec
from localcloud.events import scheduled_event
from localcloud.logs import gateway_log
from localcloud.runtime import FunctionRuntime, ThrottledError


class Schedules:
    def __init__(
        self,
        runtime: FunctionRuntime,
        specs: tuple[FunctionSpec, ...],
        period_override_seconds: float | None = None,
    ) -> None:
        self._runtime = runtime
        self._scheduled = [spec for spec in specs if spec.schedule is not None]
        self._override = period_override_seconds
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._run(spec), name=f"schedule:{spec.name}") for spec in self._scheduled
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self, spec: FunctionSpec) -> None:
        assert spec.schedule is not None
        period = self._override or spec.schedule.rate_minutes * 60
        while True:
            await asyncio.sleep(period)
            try:
                invocation = await self._runtime.invoke(spec.name, scheduled_event(f"{spec.name}-schedule"))
            except ThrottledError:
                continue
            if invocation.error is not None:
                gateway_log.warning("scheduled %s failed: %s", spec.name, invocation.error.message)
