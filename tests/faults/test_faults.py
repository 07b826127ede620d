"""Faults in the middle of steady traffic: the local cloud restarts what it started, the functions
reconnect by themselves, and nothing accepted is lost or applied twice (`make chaos` runs it bigger)."""

import asyncio
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from learnflow.db.pool import RECONNECT_SECONDS, WAIT_SECONDS
from tests.cloud_process import Account, RunningCloud, running_cloud
from tests.faults.processes import broker_pid, postgres_pid, workers_of
from tests.faults.traffic import TRAFFIC_SECONDS, Outcomes, drive, settled, students


@pytest.fixture(scope="module")
def chaos_cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCloud]:
    """A cloud of its own: its parts are killed under it."""
    with running_cloud(tmp_path_factory.mktemp("chaos"), LEARNFLOW_KAFKA_RESTART_DELAY_SECONDS="1") as cloud:
        yield cloud


async def healthy(cloud: RunningCloud, within: float = 60) -> None:
    async with httpx.AsyncClient(base_url=cloud.rest_url, timeout=5) as api:
        for _ in range(int(within * 2)):
            try:
                if (await api.get("/health")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.5)
    raise AssertionError(f"{cloud.rest_url}/health did not answer 200 within {within} s")


async def under_traffic(
    cloud: RunningCloud, fault_after: float
) -> tuple[list[Account], Outcomes, asyncio.Task[None]]:
    accounts = students(cloud)
    outcomes = Outcomes()
    traffic = asyncio.create_task(drive(cloud, accounts, outcomes, TRAFFIC_SECONDS))
    await asyncio.sleep(fault_after)
    return accounts, outcomes, traffic


async def test_postgres_killed_answers_503_meanwhile_and_comes_back(chaos_cloud: RunningCloud) -> None:
    accounts, outcomes, traffic = await under_traffic(chaos_cloud, TRAFFIC_SECONDS / 3)

    os.kill(postgres_pid(chaos_cloud), signal.SIGKILL)
    async with httpx.AsyncClient(base_url=chaos_cloud.rest_url, timeout=5) as api:
        during = await api.get("/health")
    await traffic
    await healthy(chaos_cloud)
    # every environment's pool finds the database again within its reconnection bound
    await asyncio.sleep(RECONNECT_SECONDS + WAIT_SECONDS)

    assert during.status_code == 503
    assert set(outcomes.statuses) <= {201, 202, 503}, outcomes.statuses
    await settled(chaos_cloud, accounts, outcomes)


async def test_broker_killed_loses_nothing(chaos_cloud: RunningCloud) -> None:
    accounts, outcomes, traffic = await under_traffic(chaos_cloud, TRAFFIC_SECONDS / 3)

    os.kill(broker_pid(chaos_cloud), signal.SIGKILL)
    await traffic
    await healthy(chaos_cloud)

    assert set(outcomes.statuses) <= {201, 202}, outcomes.statuses
    await settled(chaos_cloud, accounts, outcomes)


async def test_workers_killed_mid_invocation_are_replaced(chaos_cloud: RunningCloud) -> None:
    accounts, outcomes, traffic = await under_traffic(chaos_cloud, 1)

    killed = 0
    for _ in range(3):
        for function in ("concepts_agent", "progress_consumer", "quizzes_api"):
            for pid in workers_of(chaos_cloud, function):
                os.kill(pid, signal.SIGKILL)
                killed += 1
        await asyncio.sleep(TRAFFIC_SECONDS / 5)
    await traffic

    assert killed >= 3
    # a request whose environment died under it is a 502, as on Lambda; nothing else fails
    assert set(outcomes.statuses) <= {201, 202, 502}, outcomes.statuses
    await settled(chaos_cloud, accounts, outcomes)


async def test_the_whole_cloud_killed_and_started_again_on_its_data_loses_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with running_cloud(data_dir, LEARNFLOW_KAFKA_RESTART_DELAY_SECONDS="1") as first:
        accounts, outcomes, traffic = await under_traffic(first, TRAFFIC_SECONDS / 2)
        first.process.kill()
        first.process.wait(10)
        await traffic
    assert outcomes.accepted_requests, "no question was accepted before the kill"

    with running_cloud(data_dir, LEARNFLOW_KAFKA_RESTART_DELAY_SECONDS="1") as second:
        await healthy(second)
        await settled(second, accounts, outcomes)
