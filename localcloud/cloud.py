"""The local cloud: embedded or external Postgres and Kafka, the functions, and their triggers."""

import asyncio
import contextlib
import json
from contextlib import AsyncExitStack
from datetime import datetime
from pathlib import Path

import psycopg
from aiohttp import web
from psycopg_pool import PoolTimeout

from infra.wiring import ALL_FUNCTIONS, AUTHORIZER
from learnflow.db.migrations import apply_migrations
from learnflow.db.pool import open_pool
from learnflow.events.topics import ALL_TOPICS
from learnflow.repositories.outbox_relay import requeue_sent_between
from localcloud import embedded
from localcloud.authorizers import LambdaAuthorizer
from localcloud.config import CloudConfig
from localcloud.environment import Endpoints, function_environment
from localcloud.event_sources import EventSourceMappings
from localcloud.lambda_api import LambdaInvokeApi
from localcloud.logs import gateway_log
from localcloud.metrics import CloudMetrics, add_metrics_route
from localcloud.progress import Steps
from localcloud.rest_gateway import RestGateway
from localcloud.routing import RouteTable
from localcloud.runtime import FunctionRuntime
from localcloud.schedules import Schedules
from localcloud.seed import seed_demo_content
from localcloud.websocket_gateway import WebSocketGateway


def websocket_routes() -> dict[str, str]:
    return {route: spec.name for spec in ALL_FUNCTIONS for route in spec.websocket_routes}


async def _serve(stack: AsyncExitStack, app: web.Application, host: str, port: int) -> None:
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=2)
    await runner.setup()
    stack.push_async_callback(runner.cleanup)
    site = web.TCPSite(runner, host, port, reuse_address=True)
    try:
        await site.start()
    except OSError as error:
        raise embedded.DependencyUnavailable(
            f"Port {port} on {host} is taken ({error.strerror}): stop what uses it, or choose another port "
            "with LEARNFLOW_HTTP_PORT / LEARNFLOW_WS_PORT."
        ) from None


async def _database(config: CloudConfig, stack: AsyncExitStack, metrics: CloudMetrics) -> str:
    if config.external_database_url:
        await embedded.check_database(config.external_database_url)
        return config.external_database_url
    server = embedded.EmbeddedPostgres(config.data_dir)
    url = await server.start()
    stack.push_async_callback(server.stop)
    metrics.watch_dependency("postgres", lambda: not server.has_exited)
    supervisor = asyncio.create_task(
        _restart_postgres_when_stopped(server, metrics), name="postgres-supervisor"
    )
    stack.push_async_callback(_cancel, supervisor)
    return url


async def _restart_postgres_when_stopped(server: embedded.EmbeddedPostgres, metrics: CloudMetrics) -> None:
    """Brings the embedded Postgres back if it dies; meanwhile the REST routes answer 503."""
    while True:
        await asyncio.sleep(0.5)
        if not server.has_exited:
            continue
        gateway_log.warning("the embedded Postgres stopped; restarting it (REST routes answer 503 meanwhile)")
        while True:
            try:
                await server.restart()
            except embedded.DependencyUnavailable as problem:
                gateway_log.error("the embedded Postgres did not restart; trying again in 1 s: %s", problem)
                await asyncio.sleep(1)
            else:
                metrics.restarted("postgres")
                gateway_log.warning("the embedded Postgres is back")
                break


async def _kafka(config: CloudConfig, stack: AsyncExitStack, database_url: str, metrics: CloudMetrics) -> str:
    if config.external_kafka:
        await embedded.check_kafka(config.external_kafka)
        return config.external_kafka
    broker = embedded.EmbeddedKafka(config.data_dir)
    lost_since = broker.last_started_at()
    bootstrap = await broker.start()
    if lost_since is not None:
        await _send_again_what_the_broker_lost(database_url, lost_since, broker)
    stack.push_async_callback(broker.stop)
    metrics.watch_dependency("kafka", lambda: not broker.has_exited)
    supervisor = asyncio.create_task(
        _restart_when_stopped(broker, config.kafka_restart_delay_seconds, database_url, metrics),
        name="kafka-supervisor",
    )
    stack.push_async_callback(_cancel, supervisor)
    return bootstrap


async def _restart_when_stopped(
    broker: embedded.EmbeddedKafka, delay_seconds: float, database_url: str, metrics: CloudMetrics
) -> None:
    """Brings the embedded broker back if it dies; the outbox then delivers what waited meanwhile."""
    while True:
        await asyncio.sleep(0.5)
        if not broker.has_exited:
            continue
        gateway_log.warning("the embedded Kafka stopped; restarting it (events wait in the outbox meanwhile)")
        await asyncio.sleep(delay_seconds)
        lost_since = broker.last_started_at()
        try:
            await broker.start()
            await embedded.ensure_topics(broker.bootstrap_servers, ALL_TOPICS)
        except embedded.DependencyUnavailable as problem:
            gateway_log.error("the embedded Kafka did not restart: %s", problem)
            continue
        metrics.restarted("kafka")
        gateway_log.warning("the embedded Kafka is back on %s", broker.bootstrap_servers)
        if lost_since is not None:
            await _send_again_what_the_broker_lost(database_url, lost_since, broker)


async def _send_again_what_the_broker_lost(
    database_url: str, since: datetime, broker: embedded.EmbeddedKafka
) -> None:
    """The embedded broker keeps records only in memory: what the outbox sent to the one that stopped
    (from its start until the new one's) may never have been consumed, so it is sent again
    (consumers apply an event once)."""
    until = broker.last_started_at()
    if until is None:
        return
    try:
        requeued = await asyncio.to_thread(_requeue_sent_between, database_url, since, until)
    except (psycopg.Error, PoolTimeout) as problem:
        gateway_log.error("could not send again the events the stopped broker held: %s", problem)
    else:
        gateway_log.warning("the outbox sends again %d events the stopped broker held", requeued)


def _requeue_sent_between(database_url: str, since: datetime, until: datetime) -> int:
    pool = open_pool(database_url, 1)
    try:
        return requeue_sent_between(pool, since, until)
    finally:
        pool.close()


async def _cancel(task: "asyncio.Task[None]") -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def start(config: CloudConfig, stack: AsyncExitStack, steps: Steps) -> None:
    """Starts every part, registering its shutdown on `stack`; raises DependencyUnavailable naming a part."""
    config.data_dir.mkdir(parents=True, exist_ok=True)
    metrics = CloudMetrics()
    with steps.step("Postgres"):
        database_url = await _database(config, stack, metrics)
    metrics.watch_outbox(database_url)
    with steps.step("Schema migrations"):
        applied = await asyncio.to_thread(apply_migrations, database_url)
        steps.note(f"{len(applied)} applied" if applied else "up to date")
    with steps.step("Kafka"):
        bootstrap = await _kafka(config, stack, database_url, metrics)
        await embedded.ensure_topics(bootstrap, ALL_TOPICS)
        steps.note(f"{len(ALL_TOPICS)} topics")
    with steps.step("Demo content"):
        steps.note(await asyncio.to_thread(seed_demo_content, database_url))
    endpoints = Endpoints(
        database_url, bootstrap, config.connections_url, config.jwt_secret(), data_dir=config.data_dir
    )
    runtime = FunctionRuntime(
        ALL_FUNCTIONS,
        lambda spec: function_environment(spec, endpoints),
        config.logs_dir(),
        max_workers=config.max_workers,
        metrics=metrics,
    )
    stack.push_async_callback(runtime.close)
    with steps.step("Functions"):
        await runtime.prewarm()
        steps.note(f"{len(ALL_FUNCTIONS)} warm")
    authorizer = LambdaAuthorizer(runtime, AUTHORIZER.name)
    with steps.step("REST and WebSocket APIs"):
        rest = RestGateway(
            runtime,
            RouteTable(ALL_FUNCTIONS),
            authorizer,
            throttle_rate=config.throttle_rate,
            throttle_burst=config.throttle_burst,
            cors_origins=config.cors_origins,
        )
        await _serve(stack, rest.app(), config.host, config.http_port)
        sockets = WebSocketGateway(runtime, websocket_routes(), LambdaAuthorizer(runtime, AUTHORIZER.name))
        stack.push_async_callback(sockets.close_all)
        management = sockets.app()
        LambdaInvokeApi(runtime).add_routes(management)
        add_metrics_route(management, metrics)
        await _serve(stack, management, config.host, config.ws_port)
    with steps.step("Kafka event source mappings"):
        mappings = EventSourceMappings(
            runtime, ALL_FUNCTIONS, bootstrap, config.data_dir, fetch_max_wait_ms=config.kafka_fetch_wait_ms
        )
        await mappings.start()
        stack.push_async_callback(mappings.stop)
        await mappings.wait_assigned()
    schedules = Schedules(runtime, ALL_FUNCTIONS, config.schedule_seconds)
    schedules.start()
    stack.push_async_callback(schedules.stop)
    _write_state(config, endpoints)
    stack.callback(state_file(config).unlink, missing_ok=True)


def _write_state(config: CloudConfig, endpoints: Endpoints) -> None:
    """Where the running cloud's parts are, for `learnflow invoke` and the tests."""
    state = {
        "database_url": endpoints.database_url,
        "kafka_bootstrap_servers": endpoints.kafka_bootstrap_servers,
        "rest_url": config.rest_url,
        "management_url": config.connections_url,
        "websocket_url": config.websocket_url,
    }
    state_file(config).write_text(json.dumps(state, indent=2))


def state_file(config: CloudConfig) -> Path:
    return config.data_dir / "cloud.json"
