"""The local cloud's metrics, in the Prometheus text format at `GET /metrics` on the management endpoint.

Two kinds (docs/observability.md lists every one):

- the local cloud's own, named `localcloud_*`: what CloudWatch's Lambda, API Gateway and MSK
  metrics tell on AWS (invocations, errors, throttles, cold starts, environments, durations, REST
  routes, WebSocket connections and messages, Kafka mappings, the outbox, the embedded servers);
- the functions' own, named `learnflow_*`: each EMF document a function prints (Powertools
  Metrics) comes back with its invocation's reply (localcloud/worker.py) and is turned into the same
  metric here, so a metric has one name on AWS and locally. Namespace `LearnFlow`, metric
  `QuestionsAsked`, dimensions `service` and `intent` become `learnflow_questions_asked_total{service=...,
  intent=...}`: CamelCase to snake_case, `Count` units a counter (`_total`), any other unit a
  histogram (buckets per metric in `HISTOGRAM_BUCKETS`).
"""

import asyncio
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import psycopg
from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from localcloud.execution_environments import Invocation

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4
METRICS_PATH = "/metrics"

#: seconds: from a few milliseconds (a warm hop) to API Gateway's 29 s
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
#: a probability, such as triage's confidence
FRACTION_BUCKETS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)
#: EMF metrics of another unit than Count, by name: their histogram's buckets
HISTOGRAM_BUCKETS: Mapping[str, tuple[float, ...]] = {"TriageConfidence": FRACTION_BUCKETS}
DEFAULT_BUCKETS = (1.0, 5.0, 10.0, 50.0, 100.0, 500.0, 1000.0, 5000.0, 10000.0)
#: the outbox is read at most this often, whatever the scrape rate
OUTBOX_REFRESH_SECONDS = 1.0
OUTBOX_QUERY = (
    "SELECT count(*) AS pending, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0) AS oldest"
    " FROM event_outbox WHERE sent_at IS NULL"
)

log = logging.getLogger("localcloud.metrics")


def prometheus_name(namespace: str, metric: str) -> str:
    """`LearnFlow`, `QuestionsAsked` -> `learnflow_questions_asked` (a counter adds `_total`)."""
    return f"{re.sub(r'[^a-z0-9_]', '_', namespace.lower())}_{_snake(metric)}"


def _snake(name: str) -> str:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    return re.sub(r"[^a-zA-Z0-9_]", "_", spaced).lower()


def status_class(status: int) -> str:
    return f"{status // 100}xx"


class CloudMetrics:
    """Every metric of one local cloud, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        function = ["function"]
        self.invocations = Counter(
            "localcloud_function_invocations", "Invocations of a function", function, registry=registry
        )
        self.errors = Counter(
            "localcloud_function_errors",
            "Invocations that failed (an error, a timeout, the runtime exited)",
            function,
            registry=registry,
        )
        self.throttles = Counter(
            "localcloud_function_throttles",
            "Invocations refused at the function's reserved concurrency",
            function,
            registry=registry,
        )
        self.cold_starts = Counter(
            "localcloud_function_cold_starts",
            "New execution environments started",
            function,
            registry=registry,
        )
        self.workers = Gauge(
            "localcloud_function_workers", "Live execution environments", function, registry=registry
        )
        self.duration = Histogram(
            "localcloud_function_duration_seconds",
            "An invocation from the call to the answer: waiting, cold start and run",
            function,
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.queued = Histogram(
            "localcloud_function_queued_seconds",
            "Time an invocation waited for a free execution environment (its cold start excluded)",
            function,
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        route = ["method", "route"]
        self.rest_requests = Counter(
            "localcloud_rest_requests",
            "REST API requests by route and status class",
            [*route, "status_class"],
            registry=registry,
        )
        self.rest_latency = Histogram(
            "localcloud_rest_request_duration_seconds",
            "REST API requests from arrival to response",
            route,
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.websocket_open = Gauge(
            "localcloud_websocket_connections_open", "WebSocket connections open", registry=registry
        )
        self.websocket_connects = Counter(
            "localcloud_websocket_connects",
            "WebSocket connection attempts by result (accepted, unauthorized, refused)",
            ["result"],
            registry=registry,
        )
        self.websocket_in = Counter(
            "localcloud_websocket_messages_in",
            "WebSocket frames received, by the route they selected",
            ["route"],
            registry=registry,
        )
        self.websocket_out = Counter(
            "localcloud_websocket_messages_out",
            "WebSocket frames sent: through @connections, or the gateway's own error frames",
            ["via"],
            registry=registry,
        )
        self.connection_posts = Counter(
            "localcloud_connections_posts",
            "@connections POSTs by result (ok, gone, payload_too_large)",
            ["result"],
            registry=registry,
        )
        mapping = ["function", "topic"]
        self.kafka_records = Counter(
            "localcloud_kafka_records", "Records an event source mapping polled", mapping, registry=registry
        )
        self.kafka_batches = Counter(
            "localcloud_kafka_batches", "Batches invoked (retries included)", mapping, registry=registry
        )
        self.kafka_failures = Counter(
            "localcloud_kafka_batch_failures",
            "Batches that failed in whole or part (an error, a throttle, batchItemFailures)",
            mapping,
            registry=registry,
        )
        self.kafka_retries = Counter(
            "localcloud_kafka_retries", "Batches invoked again after a failure", mapping, registry=registry
        )
        self.kafka_dead_lettered = Counter(
            "localcloud_kafka_dead_lettered_records",
            "Records given up on after the retries, written to the on-failure destination",
            mapping,
            registry=registry,
        )
        self.kafka_lag = Gauge(
            "localcloud_kafka_consumer_lag",
            "Records written to the topic that the mapping has not finished (MSK's OffsetLag)",
            mapping,
            registry=registry,
        )
        self.outbox_pending = Gauge(
            "localcloud_outbox_pending_events", "Outbox rows not sent yet", registry=registry
        )
        self.outbox_oldest = Gauge(
            "localcloud_outbox_oldest_pending_age_seconds",
            "Age of the oldest outbox row not sent yet (0 when none)",
            registry=registry,
        )
        self.dependency_up = Gauge(
            "localcloud_dependency_up",
            "1 while an embedded server (postgres, kafka) runs, 0 while it is down",
            ["dependency"],
            registry=registry,
        )
        self.dependency_restarts = Counter(
            "localcloud_dependency_restarts",
            "Times the local cloud restarted an embedded server that stopped",
            ["dependency"],
            registry=registry,
        )
        self._emf: dict[str, tuple[Counter | Histogram, tuple[str, ...]]] = {}
        self._database_url: str | None = None
        self._outbox_read_at = 0.0

    # --- functions ---------------------------------------------------------------------------

    def invoked(self, function: str, invocation: Invocation) -> None:
        self.invocations.labels(function).inc()
        if not invocation.ok:
            self.errors.labels(function).inc()
        if invocation.cold_start_ms is not None:
            self.cold_starts.labels(function).inc()
        self.duration.labels(function).observe(invocation.duration_ms / 1000)
        self.queued.labels(function).observe(max(invocation.queued_ms, 0.0) / 1000)
        self.emf(invocation.metrics)

    def emf(self, documents: Iterable[Mapping[str, Any]]) -> None:
        """The functions' own metrics, from the EMF documents their invocations printed."""
        for document in documents:
            try:
                self._record_emf(document)
            except (TypeError, ValueError, KeyError) as error:  # a malformed document is the function's bug
                log.warning("an EMF document could not be read: %s", error)

    def _record_emf(self, document: Mapping[str, Any]) -> None:
        for directive in document["_aws"]["CloudWatchMetrics"]:
            dimensions = sorted({name for group in directive.get("Dimensions", []) for name in group})
            for definition in directive["Metrics"]:
                name, unit = definition["Name"], definition.get("Unit", "None")
                values = document.get(name, [])
                values = values if isinstance(values, list) else [values]
                metric, labels = self._emf_metric(directive["Namespace"], name, unit, tuple(dimensions))
                label_values = [str(document.get(label, "")) for label in labels]
                child = metric.labels(*label_values) if labels else metric
                for value in values:
                    if isinstance(child, Counter):
                        child.inc(float(value))
                    else:
                        child.observe(float(value))

    def _emf_metric(
        self, namespace: str, name: str, unit: str, dimensions: tuple[str, ...]
    ) -> tuple[Counter | Histogram, tuple[str, ...]]:
        """The metric, made at its first document; its labels are that document's dimensions."""
        full_name = prometheus_name(namespace, name)
        known = self._emf.get(full_name)
        if known is not None:
            return known
        description = f"{namespace}/{name} ({unit}), from the functions' EMF"
        metric: Counter | Histogram
        if unit == "Count":
            metric = Counter(full_name, description, dimensions, registry=self.registry)
        else:
            buckets = HISTOGRAM_BUCKETS.get(name, DEFAULT_BUCKETS)
            metric = Histogram(full_name, description, dimensions, buckets=buckets, registry=self.registry)
        self._emf[full_name] = (metric, dimensions)
        return metric, dimensions

    # --- the outbox and the embedded servers -------------------------------------------------

    def watch_outbox(self, database_url: str) -> None:
        self._database_url = database_url

    def watch_dependency(self, dependency: str, running: Callable[[], bool]) -> None:
        self.dependency_up.labels(dependency).set_function(lambda: 1.0 if running() else 0.0)

    def restarted(self, dependency: str) -> None:
        self.dependency_restarts.labels(dependency).inc()

    def _read_outbox(self) -> None:
        if self._database_url is None or time.monotonic() - self._outbox_read_at < OUTBOX_REFRESH_SECONDS:
            return
        self._outbox_read_at = time.monotonic()
        try:
            with psycopg.connect(self._database_url, connect_timeout=1, autocommit=True) as connection:
                row = connection.execute(OUTBOX_QUERY).fetchone()
        except psycopg.Error as problem:
            log.debug("the outbox could not be read for /metrics: %s", problem)
            return
        if row is not None:
            self.outbox_pending.set(float(row[0]))
            self.outbox_oldest.set(float(row[1]))

    # --- exposition --------------------------------------------------------------------------

    async def exposition(self) -> bytes:
        """Every metric in the Prometheus text format (the outbox read at most once a second)."""
        await asyncio.to_thread(self._read_outbox)
        return generate_latest(self.registry)


def add_metrics_route(app: web.Application, metrics: CloudMetrics) -> None:
    """`GET /metrics` on the management endpoint, for Prometheus (or `curl`)."""

    async def scrape(request: web.Request) -> web.Response:
        return web.Response(body=await metrics.exposition(), headers={"Content-Type": CONTENT_TYPE})

    app.router.add_get(METRICS_PATH, scrape)
