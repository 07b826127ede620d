"""`make bench`: what the local cloud adds to each hop, measured in one run on this machine.

1. REST: a request through the gateway (authorizer cached) versus the same handler called directly.
2. Kafka: a record produced -> the consumer function invoked by its event source mapping.
3. WebSocket push: `@connections` POST through boto3 -> the client receives the frame.
4. The whole flow: POST /query -> the answer arrives on the student's WebSocket.
5. What the idle cloud costs: processor time per second of each part, with nobody using it (the
   Kafka mappings' polling, `LEARNFLOW_KAFKA_FETCH_WAIT_MS`, is most of it).
"""

import asyncio
import json
import os
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, cast

import boto3
import httpx
from aiokafka import AIOKafkaProducer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from infra.wiring import FunctionSpec, KafkaSource
from learnflow.api.schemas.notifications import NOTIFICATION_EXAMPLE
from learnflow.events.topics import Topic
from localcloud.config import CloudConfig
from localcloud.embedded import ensure_topics
from localcloud.event_sources import EventSourceMappings
from localcloud.events import rest_proxy_event
from localcloud.lambda_context import LambdaContext
from localcloud.runtime import FunctionRuntime
from tests.bench import process_cpu
from tests.cloud_process import RunningCloud, running_cloud, sign_up
from tests.e2e.websocket_client import next_message, open_socket

SAMPLES = int(os.environ.get("LEARNFLOW_BENCH_SAMPLES", "200"))
WARMUP = 10
IDLE_SECONDS = 10
console = Console()
Timings = list[float]


def percentiles(samples: Timings) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94]


async def measure(name: str, progress: Progress, once: Callable[[], Awaitable[float]]) -> Timings:
    task = progress.add_task(name, total=WARMUP + SAMPLES)
    samples = []
    for index in range(WARMUP + SAMPLES):
        elapsed = await once()
        if index >= WARMUP:
            samples.append(elapsed)
        progress.advance(task)
    return samples


def explain_event(authorizer: dict[str, Any]) -> dict[str, Any]:
    from multidict import CIMultiDict, MultiDict

    return rest_proxy_event(
        method="POST",
        path="/api/v1/concepts/explain",
        resource="/api/v1/concepts/explain",
        headers=CIMultiDict({"Content-Type": "application/json"}),
        query=MultiDict(),
        path_parameters={},
        raw_body=b'{"concept": "recursion", "mastery_level": 50}',
        source_ip="127.0.0.1",
        authorizer=authorizer,
        request_id=str(uuid.uuid4()),
    )


async def rest_hops(cloud: RunningCloud, token: str, progress: Progress) -> tuple[Timings, Timings]:
    from functions.concepts_api.handler import lambda_handler

    context = LambdaContext(
        function_name="concepts_api", memory_limit_in_mb=512, aws_request_id="bench", deadline_ms=2**62
    )
    event = explain_event({"principalId": "bench", "role": "student"})

    async def direct() -> float:
        started = time.perf_counter()
        lambda_handler(json.loads(json.dumps(event)), context)
        return (time.perf_counter() - started) * 1000

    async with httpx.AsyncClient(base_url=cloud.rest_url) as client:

        async def through_gateway() -> float:
            started = time.perf_counter()
            response = await client.post(
                "/api/v1/concepts/explain",
                headers={"Authorization": f"Bearer {token}"},
                json={"concept": "recursion", "mastery_level": 50},
            )
            response.raise_for_status()
            return (time.perf_counter() - started) * 1000

        directly = await measure("REST: handler called directly", progress, direct)
        gateway = await measure("REST: through the local gateway", progress, through_gateway)
    return directly, gateway


async def kafka_hop(cloud: RunningCloud, work_dir: Path, progress: Progress) -> Timings:
    bootstrap = cloud.state()["kafka_bootstrap_servers"]
    topic = f"bench-{uuid.uuid4().hex[:6]}"
    await ensure_topics(bootstrap, [topic], partitions=1)
    arrivals = work_dir / "arrivals.jsonl"
    probe = FunctionSpec(
        "bench_probe",
        "tests.bench.probe.record_arrival",
        "latency probe",
        kafka_sources=(KafkaSource(cast(Topic, topic), batch_size=10),),
    )
    runtime = FunctionRuntime(
        (probe,), lambda _: {"ARRIVALS_FILE": str(arrivals), "PATH": "/usr/bin:/bin"}, work_dir / "logs"
    )
    fetch_wait = CloudConfig.from_environment().kafka_fetch_wait_ms  # as the cloud's own mappings
    mappings = EventSourceMappings(runtime, [probe], bootstrap, work_dir, fetch_max_wait_ms=fetch_wait)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=0)
    await runtime.prewarm()
    await mappings.start()
    await mappings.wait_assigned()
    await producer.start()

    async def once() -> float:
        metadata = await producer.send_and_wait(topic, b"{}")
        sent = time.time()
        while True:
            for line in reversed(arrivals.read_text().splitlines() if arrivals.exists() else []):
                arrival = json.loads(line)
                if arrival["offset"] == metadata.offset:
                    return float(arrival["arrived"] - sent) * 1000
            await asyncio.sleep(0.0005)

    try:
        return await measure("Kafka: produce -> consumer invoked", progress, once)
    finally:
        await producer.stop()
        await mappings.stop()
        await runtime.close()


async def push_hop(cloud: RunningCloud, account_token: str, user_id: str, progress: Progress) -> Timings:
    client = boto3.client(
        "apigatewaymanagementapi",
        endpoint_url=cloud.websocket_url.replace("ws://", "http://"),
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    async with await open_socket(cloud.websocket_url, account_token) as socket:
        connection_id = _newest_connection(cloud, user_id)

        async def once() -> float:
            started = time.perf_counter()
            await asyncio.to_thread(
                client.post_to_connection,
                ConnectionId=connection_id,
                Data=json.dumps({"type": "notification", "data": NOTIFICATION_EXAMPLE}).encode(),
            )
            await next_message(socket, "notification")
            return (time.perf_counter() - started) * 1000

        return await measure("WebSocket: @connections POST -> client", progress, once)


def _newest_connection(cloud: RunningCloud, user_id: str) -> str:
    import psycopg

    with psycopg.connect(cloud.state()["database_url"]) as conn:
        row = conn.execute(
            "SELECT connection_id FROM websocket_connections WHERE user_id = %s"
            " ORDER BY connected_at DESC LIMIT 1",
            (user_id,),
        ).fetchone()
    assert row is not None
    return str(row[0])


async def query_flow(cloud: RunningCloud, token: str, progress: Progress) -> Timings:
    questions = [
        "What is a list comprehension?",
        "explain recursion to me",
        "how do generators work",
        "what does a decorator do",
        "difference between a tuple and a list",
    ]
    async with (
        httpx.AsyncClient(base_url=cloud.rest_url) as client,
        await open_socket(cloud.websocket_url, token) as socket,
    ):
        counter = iter(range(10**9))

        async def once() -> float:
            question = questions[next(counter) % len(questions)]
            started = time.perf_counter()
            accepted = await client.post(
                "/api/v1/query", headers={"Authorization": f"Bearer {token}"}, json={"question": question}
            )
            accepted.raise_for_status()
            while (await next_message(socket, "response"))["request_id"] != accepted.json()["request_id"]:
                pass
            return (time.perf_counter() - started) * 1000

        return await measure("Query -> answer on the WebSocket", progress, once)


async def idle_cost() -> Counter[str]:
    """Processor milliseconds per second each part spends while nobody uses the cloud."""
    await asyncio.sleep(2)  # the last hop's stragglers settle
    before = process_cpu.snapshot()
    await asyncio.sleep(IDLE_SECONDS)
    return process_cpu.milliseconds_per_operation(before, process_cpu.snapshot(), IDLE_SECONDS)


async def main() -> None:
    with tempfile.TemporaryDirectory(prefix="learnflow-bench-") as work:
        work_dir = Path(work)
        console.print(f"Starting the local cloud ({SAMPLES} samples per hop after {WARMUP} warm-up calls)…")
        with running_cloud(work_dir / "cloud") as cloud:
            with httpx.Client(base_url=cloud.rest_url) as api:
                student = sign_up(api, "student")
            with Progress(console=console, transient=True) as progress:
                directly, gateway = await rest_hops(cloud, student.access_token, progress)
                kafka = await kafka_hop(cloud, work_dir, progress)
                push = await push_hop(cloud, student.access_token, student.id, progress)
                flow = await query_flow(cloud, student.access_token, progress)
            console.print(f"Measuring the idle cloud for {IDLE_SECONDS} s…")
            idle = await idle_cost()
    report(directly, gateway, kafka, push, flow)
    report_idle(idle)


def report(directly: Timings, gateway: Timings, kafka: Timings, push: Timings, flow: Timings) -> None:
    table = Table(title=f"LearnFlow local cloud latency, ms ({SAMPLES} samples each)")
    for column in ("hop", "p50", "p95", "target p95"):
        table.add_column(column, justify="left" if column == "hop" else "right")
    (direct_50, direct_95), (gateway_50, gateway_95) = percentiles(directly), percentiles(gateway)
    rows = [
        ("REST handler called directly (baseline)", direct_50, direct_95, ""),
        ("REST through the local gateway", gateway_50, gateway_95, ""),
        ("REST overhead of the local cloud", gateway_50 - direct_50, gateway_95 - direct_95, "< 5"),
        ("Kafka produce -> consumer invoked", *percentiles(kafka), "< 50"),
        ("@connections POST -> client receives", *percentiles(push), "< 10"),
        ("POST /query -> answer on the WebSocket", *percentiles(flow), "< 300"),
    ]
    for name, p50, p95, target in rows:
        table.add_row(name, f"{p50:.2f}", f"{p95:.2f}", target)
    console.print(table)


def report_idle(idle: Counter[str]) -> None:
    table = Table(title=f"The idle local cloud, processor ms per second (over {IDLE_SECONDS} s)")
    table.add_column("part")
    table.add_column("ms/s", justify="right")
    for label, milliseconds in idle.most_common():
        table.add_row(label, f"{milliseconds:.0f}")
    table.add_row("all", f"{sum(idle.values()):.0f}")
    console.print(table)


if __name__ == "__main__":
    asyncio.run(main())
