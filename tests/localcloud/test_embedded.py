"""The embedded servers: real PostgreSQL and a real Tansu broker, started and stopped as `make dev` does."""

import asyncio
import socket
import sys
import time
from pathlib import Path

import psycopg
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from localcloud.embedded import (
    DependencyUnavailable,
    EmbeddedKafka,
    EmbeddedPostgres,
    check_database,
    check_kafka,
    ensure_topics,
)
from tests.conftest import REPO_ROOT, free_port

KILLED_RUN = """
import asyncio, os, signal, sys
from pathlib import Path
from localcloud.embedded import EmbeddedKafka, EmbeddedPostgres

async def main() -> None:
    await EmbeddedPostgres(Path(sys.argv[1])).start()
    await EmbeddedKafka(Path(sys.argv[1]), port=int(sys.argv[2])).start()
    os.kill(os.getpid(), signal.SIGKILL)

asyncio.run(main())
"""


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


async def test_embedded_postgres_creates_the_database_keeps_its_data_and_stops(tmp_path: Path) -> None:
    server = EmbeddedPostgres(tmp_path)
    url = await server.start()
    try:
        with psycopg.connect(url, autocommit=True) as connection:
            assert connection.execute("SELECT 1, current_database()").fetchone() == (1, "learnflow")
            connection.execute("CREATE TABLE kept (id int)")
            connection.execute("INSERT INTO kept VALUES (42)")
    finally:
        await server.stop()
    assert not (tmp_path / "postgres" / "postmaster.pid").exists(), "the server must be stopped, not orphaned"
    with pytest.raises(DependencyUnavailable, match="unset DATABASE_URL"):
        await check_database(url, timeout_seconds=2)

    started = time.perf_counter()
    assert await server.start() == url
    restart_seconds = time.perf_counter() - started
    try:
        await check_database(url)
        with psycopg.connect(url) as connection:
            assert connection.execute("SELECT id FROM kept").fetchall() == [(42,)]
    finally:
        await server.stop()
    print(f"embedded Postgres restart: {restart_seconds:.2f} s")


async def test_an_unreachable_database_is_reported_without_its_password() -> None:
    with pytest.raises(DependencyUnavailable) as raised:
        await check_database(f"postgresql://app:s3cret@127.0.0.1:{free_port()}/learnflow", timeout_seconds=2)
    assert "s3cret" not in str(raised.value)
    assert "DATABASE_URL=postgresql://app:***@127.0.0.1" in str(raised.value)


async def test_ensure_topics_creates_missing_topics_and_keeps_existing_ones(
    kafka_broker: EmbeddedKafka,
) -> None:
    bootstrap = kafka_broker.bootstrap_servers
    await ensure_topics(bootstrap, ["embedded-a"], partitions=2)
    await ensure_topics(bootstrap, ["embedded-a", "embedded-b"])
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = {topic["topic"]: len(topic["partitions"]) for topic in await admin.describe_topics()}
    finally:
        await admin.close()
    assert (described["embedded-a"], described["embedded-b"]) == (2, 3)


async def test_the_broker_starts_answers_and_stops(tmp_path: Path) -> None:
    broker = EmbeddedKafka(tmp_path, port=free_port())
    started = time.perf_counter()
    bootstrap = await broker.start()
    start_seconds = time.perf_counter() - started
    try:
        await check_kafka(bootstrap)
        assert (tmp_path / "logs" / "kafka.log").exists()
    finally:
        await broker.stop()
    with pytest.raises(DependencyUnavailable, match="unset KAFKA_BOOTSTRAP_SERVERS"):
        await check_kafka(bootstrap, timeout_seconds=2)
    print(f"embedded Kafka start: {start_seconds:.2f} s")


async def test_a_taken_kafka_port_is_named(tmp_path: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        with pytest.raises(DependencyUnavailable, match=f"port {port}.*LEARNFLOW_KAFKA_PORT"):
            await EmbeddedKafka(tmp_path, port=port).start()


def test_the_kafka_port_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LEARNFLOW_KAFKA_PORT", raising=False)
    assert EmbeddedKafka(tmp_path).port == 19092
    monkeypatch.setenv("LEARNFLOW_KAFKA_PORT", "19555")
    assert EmbeddedKafka(tmp_path).bootstrap_servers == "127.0.0.1:19555"
    monkeypatch.setenv("LEARNFLOW_KAFKA_PORT", "kafka")
    with pytest.raises(DependencyUnavailable, match="LEARNFLOW_KAFKA_PORT"):
        EmbeddedKafka(tmp_path)


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="finds the servers' processes through /proc")
async def test_servers_a_killed_run_left_behind_are_stopped_by_the_next_run(tmp_path: Path) -> None:
    port = free_port()
    killed = await asyncio.create_subprocess_exec(
        sys.executable, "-c", KILLED_RUN, str(tmp_path), str(port), cwd=REPO_ROOT
    )
    await killed.wait()
    assert killed.returncode == -9
    postgres_pid = int((tmp_path / "postgres" / "postmaster.pid").read_text().split()[0])
    broker_pid = int((tmp_path / "kafka.pid").read_text().split()[0])
    assert _running(postgres_pid) and _running(broker_pid)

    postgres, broker = EmbeddedPostgres(tmp_path), EmbeddedKafka(tmp_path, port=port)
    await postgres.start()
    await broker.start()
    await broker.stop()
    await postgres.stop()
    assert not _running(postgres_pid), "the orphaned Postgres was stopped"
    assert not _running(broker_pid), "the orphaned broker was stopped"
