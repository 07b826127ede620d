"""A real broker, a real function runtime and test functions for the event source mapping tests."""

import asyncio
import json
import os
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

import pytest
from aiokafka import AIOKafkaProducer

from infra.wiring import FunctionSpec, KafkaSource
from learnflow.events.topics import Topic
from localcloud.embedded import EmbeddedKafka, ensure_topics
from localcloud.event_sources import Backoff, EventSourceMappings
from localcloud.runtime import FunctionRuntime
from tests.conftest import REPO_ROOT

FAST_BACKOFF = Backoff(first_delay_seconds=0.05, max_delay_seconds=0.2)


def _function(name: str, handler: str, timeout_seconds: int = 10) -> FunctionSpec:
    return FunctionSpec(
        name=name,
        handler=f"tests.localcloud.handlers.kafka.{handler}",
        description=f"test function: {handler}",
        timeout_seconds=timeout_seconds,
    )


RECORDER = _function("esm_recorder", "record")
POISONED = _function("esm_poisoned", "fail_on_poison")
FLAKY = _function("esm_flaky", "fail_while_marked")
PARTIAL = _function("esm_partial", "fail_bad_records_once")
SLEEPER = _function("esm_sleeper", "sleep_past_timeout", timeout_seconds=1)
TEST_FUNCTIONS = (RECORDER, POISONED, FLAKY, PARTIAL, SLEEPER)


@dataclass(frozen=True)
class Recorded:
    at: float
    event: dict[str, Any]

    def offsets(self) -> list[int]:
        return [record["offset"] for records in self.event["records"].values() for record in records]


class Functions:
    """Where the test functions record their invocations, and the switches they read."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def environment(self, spec: FunctionSpec) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(REPO_ROOT),
            "RECORD_DIR": str(self.directory),
            "MARKER_FILE": str(self.marker(spec)),
        }

    def marker(self, spec: FunctionSpec) -> Path:
        return self.directory / f"{spec.name}.marker"

    def invocations(self, spec: FunctionSpec, topic: str) -> list[Recorded]:
        path = self.directory / f"{spec.name}.jsonl"
        if not path.exists():
            return []
        found = [Recorded(**json.loads(line)) for line in path.read_text().splitlines()]
        return [item for item in found if any(key.startswith(f"{topic}-") for key in item.event["records"])]


async def eventually[T](probe: Callable[[], T], timeout_seconds: float = 10.0) -> T:
    """Polls until `probe` returns something truthy, and returns it."""
    deadline = time.monotonic() + timeout_seconds
    while not (found := probe()):
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing after {timeout_seconds} s")
        await asyncio.sleep(0.02)
    return found


@pytest.fixture(scope="session")
def broker(kafka_broker: EmbeddedKafka) -> str:
    return kafka_broker.bootstrap_servers


@pytest.fixture(scope="session")
def functions(tmp_path_factory: pytest.TempPathFactory) -> Functions:
    return Functions(tmp_path_factory.mktemp("invocations"))


@pytest.fixture(scope="session")
async def runtime(
    functions: Functions, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[FunctionRuntime]:
    runtime = FunctionRuntime(TEST_FUNCTIONS, functions.environment, tmp_path_factory.mktemp("function-logs"))
    await runtime.prewarm()
    yield runtime
    await runtime.close()


@pytest.fixture(scope="session")
async def producer(broker: str) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(bootstrap_servers=broker, linger_ms=0)
    await producer.start()
    yield producer
    await producer.stop()


@pytest.fixture
async def topic(broker: str) -> str:
    """A fresh single-partition topic, so offsets and batches are predictable."""
    name = f"esm-test-{uuid.uuid4().hex[:8]}"
    await ensure_topics(broker, [name], partitions=1)
    return name


MappingsFactory = Callable[..., Any]


@pytest.fixture
def mapped(runtime: FunctionRuntime, broker: str, tmp_path: Path) -> Iterator[MappingsFactory]:
    """`async with mapped(spec, topic, **kafka_source) as mappings:` maps the topic to the function."""

    @asynccontextmanager
    async def run(
        spec: FunctionSpec, topic: str, bootstrap: str = broker, **source: Any
    ) -> AsyncIterator[EventSourceMappings]:
        wired = replace(spec, kafka_sources=(KafkaSource(cast(Topic, topic), **source),))
        mappings = EventSourceMappings(
            runtime, [wired], bootstrap, tmp_path, backoff=FAST_BACKOFF, session_timeout_ms=1000
        )
        await mappings.start()
        try:
            await mappings.wait_assigned(timeout_seconds=15)
            yield mappings
        finally:
            await mappings.stop()

    yield run
