"""Structured logging, the correlation id that follows a request across REST, Kafka and WebSocket, metrics.

Metrics are CloudWatch embedded metric format (EMF) lines on stdout, written by Powertools: on AWS
CloudWatch Logs turns them into metrics, locally the local cloud turns them into its Prometheus
`/metrics` (docs/observability.md lists every metric). `metrics` gathers dimensionless counts and
writes them when the handler decorated with `@metrics.log_metrics` returns; `count` and `observe`
write one metric at once with its own dimensions. Dimensions are bounded values (an intent, a
status, a kind), never a user, request or event id.
"""

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricResolution, MetricUnit, single_metric

NAMESPACE = "LearnFlow"
SERVICE = "learnflow"

logger = Logger(service=SERVICE)
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)

CORRELATION_HEADER = "x-correlation-id"


def bind_correlation_id(correlation_id: str | None) -> None:
    logger.set_correlation_id(correlation_id)


def count(name: str, value: float = 1, **dimensions: str) -> None:
    """Counts something that happened (CloudWatch's Sum; a `_total` counter at /metrics)."""
    _emit(name, MetricUnit.Count, value, MetricResolution.Standard, dimensions)


def observe(name: str, value: float, **dimensions: str) -> None:
    """One value of a distribution (high resolution): CloudWatch gives percentiles, /metrics a histogram."""
    _emit(name, MetricUnit.NoUnit, value, MetricResolution.High, dimensions)


def _emit(
    name: str, unit: MetricUnit, value: float, resolution: MetricResolution, dimensions: dict[str, str]
) -> None:
    with single_metric(
        name=name,
        unit=unit,
        value=value,
        resolution=resolution,
        namespace=NAMESPACE,
        default_dimensions={"service": SERVICE, **dimensions},
    ):
        pass
