"""Lambda's concurrency in the local cloud: functions without reserved concurrency wait for an
environment instead of being refused, reserved concurrency throttles as on AWS (API Gateway then
answers 500), and every environment is a process of its own, forked from a pre-imported template."""

import asyncio
import logging
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from infra.wiring import FunctionSpec
from localcloud.runtime import FunctionRuntime, ThrottledError

HANDLERS = "tests.localcloud.handlers.http"
WORKERS = 3
NAPPER = FunctionSpec("napper", f"{HANDLERS}.nap", "", timeout_seconds=10)
OTHER = FunctionSpec("other", f"{HANDLERS}.nap", "", timeout_seconds=10)
RESERVED = FunctionSpec("reserved", f"{HANDLERS}.nap", "", timeout_seconds=10, reserved_concurrency=2)
CRASHER = FunctionSpec("crasher", f"{HANDLERS}.exit_now", "", timeout_seconds=10)


def nap(seconds: float = 0.3) -> dict[str, Any]:
    return {"seconds": seconds}


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[FunctionRuntime]:
    runtime = FunctionRuntime(
        (NAPPER, OTHER, RESERVED, CRASHER),
        lambda spec: {"PATH": "/usr/bin:/bin", "AWS_LAMBDA_FUNCTION_NAME": spec.name},
        tmp_path / "logs",
        max_workers=WORKERS,
    )
    yield runtime
    await runtime.close()


async def test_more_invocations_than_environments_wait_for_one_and_all_succeed(
    runtime: FunctionRuntime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="localcloud.runtime")
    invocations = await asyncio.gather(*(runtime.invoke(NAPPER.name, nap()) for _ in range(3 * WORKERS)))

    assert all(invocation.ok for invocation in invocations), [i.error for i in invocations]
    pids = {invocation.result["pid"] for invocation in invocations}
    assert len(pids) == WORKERS  # never more environments than the machine's share
    assert sum(invocation.cold_start_ms is not None for invocation in invocations) == WORKERS
    assert max(invocation.queued_ms for invocation in invocations) >= 300  # waited a whole nap
    logged = caplog.text
    assert logged.count("napper: new environment ready in") == WORKERS
    assert "napper: waited" in logged and "for a free environment" in logged


async def test_a_waiting_function_takes_over_an_environment_another_left_idle(
    runtime: FunctionRuntime,
) -> None:
    first = await asyncio.gather(*(runtime.invoke(NAPPER.name, nap(0.05)) for _ in range(WORKERS)))
    assert all(invocation.ok for invocation in first)

    other = await runtime.invoke(OTHER.name, nap(0.05))

    assert other.ok and other.cold_start_ms is not None
    again = await asyncio.gather(*(runtime.invoke(NAPPER.name, nap(0.05)) for _ in range(WORKERS)))
    assert all(invocation.ok for invocation in again)
    assert sum(invocation.cold_start_ms is not None for invocation in again) == 1  # the one given away


async def test_reserved_concurrency_throttles_the_invocation_past_it(runtime: FunctionRuntime) -> None:
    running = [asyncio.create_task(runtime.invoke(RESERVED.name, nap(0.5))) for _ in range(2)]
    await asyncio.sleep(0.2)

    with pytest.raises(ThrottledError, match="reserved concurrency"):
        await runtime.invoke(RESERVED.name, nap())
    assert all(invocation.ok for invocation in await asyncio.gather(*running))
    assert (await runtime.invoke(RESERVED.name, nap(0))).ok


async def test_each_environment_has_its_own_process_and_tmp_and_warm_ones_are_reused(
    runtime: FunctionRuntime,
) -> None:
    together = await asyncio.gather(runtime.invoke(NAPPER.name, nap()), runtime.invoke(NAPPER.name, nap()))
    first, second = (invocation.result for invocation in together)
    assert first["pid"] != second["pid"] and first["tmp"] != second["tmp"]
    assert Path(first["tmp"]).name.startswith("napper-tmp-")

    warm = await runtime.invoke(NAPPER.name, nap(0))
    assert warm.cold_start_ms is None and warm.result["pid"] in {first["pid"], second["pid"]}


async def test_an_environment_that_dies_is_replaced_and_its_slot_is_freed(runtime: FunctionRuntime) -> None:
    for _ in range(WORKERS + 2):
        died = await runtime.invoke(CRASHER.name, {})
        assert died.error is not None and died.error.error_type == "Runtime.ExitError"

    invocations = await asyncio.gather(*(runtime.invoke(NAPPER.name, nap(0.05)) for _ in range(WORKERS)))
    assert all(invocation.ok for invocation in invocations)


async def test_an_environment_killed_while_idle_is_replaced_without_failing_the_next_invocation(
    runtime: FunctionRuntime,
) -> None:
    first = await runtime.invoke(NAPPER.name, nap(0))
    os.kill(first.result["pid"], signal.SIGKILL)
    await asyncio.sleep(0.1)

    second = await runtime.invoke(NAPPER.name, nap(0))

    assert second.ok, second.error
    assert second.result["pid"] != first.result["pid"] and second.cold_start_ms is not None
