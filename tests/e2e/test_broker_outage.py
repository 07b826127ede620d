"""The broker dies while students ask questions: nothing is lost, answers arrive once it is back."""

import asyncio
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.cloud_process import RunningCloud, running_cloud, sign_up
from tests.e2e.websocket_client import next_message, open_socket

pytestmark = pytest.mark.cloud


@pytest.fixture(scope="module")
def own_cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCloud]:
    """A cloud of its own: killing its broker must not disturb the other tests."""
    # the broker stays down 6 s: long enough for the question to be asked and its events to wait
    with running_cloud(
        tmp_path_factory.mktemp("outage"), LEARNFLOW_KAFKA_RESTART_DELAY_SECONDS="6"
    ) as started:
        yield started


def kill_broker(data_dir: Path) -> None:
    broker_pid = int((data_dir / "kafka.pid").read_text().split()[0])
    os.kill(broker_pid, signal.SIGKILL)


def pending_events(cloud: RunningCloud, request_id: str) -> int:
    with psycopg.connect(cloud.state()["database_url"]) as conn:
        row = conn.execute(
            "SELECT count(*) FROM event_outbox WHERE sent_at IS NULL AND payload->'data'->>'request_id' = %s",
            (request_id,),
        ).fetchone()
    assert row is not None
    return int(row[0])


async def relayed(cloud: RunningCloud, request_id: str) -> int:
    """The events still unsent once the relay that published them had up to 10 s to mark them sent:
    a consumer may act on an event before the relay's transaction commits."""
    for _ in range(40):
        if (pending := pending_events(cloud, request_id)) == 0:
            return 0
        await asyncio.sleep(0.25)
    return pending


async def test_questions_asked_during_an_outage_are_answered_once_the_broker_is_back(
    own_cloud: RunningCloud,
) -> None:
    with httpx.Client(base_url=own_cloud.rest_url, timeout=30) as api:
        student = sign_up(api)
        async with await open_socket(own_cloud.websocket_url, student.access_token) as socket:
            kill_broker(own_cloud.data_dir)
            accepted = api.post(
                "/api/v1/query", headers=student.headers, json={"question": "What is a dictionary in Python?"}
            )
            assert accepted.status_code == 202, "the API keeps accepting questions while the broker is down"
            request_id = accepted.json()["request_id"]
            assert pending_events(own_cloud, request_id) >= 1, "the question's events wait in the outbox"

            answer = await next_message(socket, "response", timeout=60)
            assert answer["request_id"] == request_id
            assert "dictionar" in answer["data"]["concept"].lower()

        assert await relayed(own_cloud, request_id) == 0
        status = api.get(f"/api/v1/requests/{request_id}", headers=student.headers).json()
        assert status["status"] == "done"
        for _ in range(40):
            if api.get("/health").status_code == 200:
                break
            await asyncio.sleep(0.5)
        assert api.get("/health").json()["checks"]["kafka"] == "ok"


async def test_a_program_run_during_an_outage_answers_at_once_and_reaches_the_websocket_later(
    own_cloud: RunningCloud,
) -> None:
    with httpx.Client(base_url=own_cloud.rest_url, timeout=30) as api:
        student = sign_up(api)
        async with await open_socket(own_cloud.websocket_url, student.access_token) as socket:
            kill_broker(own_cloud.data_dir)
            ran = api.post("/api/v1/execute", headers=student.headers, json={"code": "print('still here')"})
            assert ran.status_code == 200, "programs keep running while the broker is down"
            assert ran.json()["stdout"] == "still here\n"
            execution_id = ran.json()["execution_id"]
            assert pending_events(own_cloud, execution_id) == 1, "the result waits in the outbox"

            pushed = await next_message(socket, "execution", timeout=60)
            assert pushed["execution_id"] == execution_id
            assert pushed["stdout"] == "still here\n"

        assert await relayed(own_cloud, execution_id) == 0
