"""Structured logging and the correlation id that follows a request across REST, Kafka and WebSocket."""

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="learnflow")
metrics = Metrics(namespace="LearnFlow", service="learnflow")

CORRELATION_HEADER = "x-correlation-id"


def bind_correlation_id(correlation_id: str | None) -> None:
    logger.set_correlation_id(correlation_id)
