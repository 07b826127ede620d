"""The progress, quiz and notification functions accept AWS's events (tests/events/) as they are."""

import json
from collections.abc import Iterator
from types import ModuleType

import pytest

from tests.aws_events import load_event
from tests.contract.handler_loading import (
    context,
    functions_serving,
    imported_handlers,
    parked_records,
    unreadable_batch,
)

REST = ("progress_api", "quizzes_api", "notifications_api")
CONSUMERS = ("progress_consumer", "notifications_consumer")


@pytest.fixture(scope="module")
def handlers() -> Iterator[dict[str, ModuleType]]:
    with imported_handlers(*REST, *CONSUMERS) as imported:
        yield imported


@pytest.mark.parametrize("function", REST)
def test_rest_handlers_answer_a_route_of_another_function_with_a_contract_error(
    handlers: dict[str, ModuleType], function: str
) -> None:
    event = load_event("apiGatewayProxyEvent")
    assert function not in functions_serving(event)
    response = handlers[function].lambda_handler(event, context(function))
    assert response["statusCode"] == 404
    assert json.loads(response["body"])["error"]["code"] == "not_found"


@pytest.mark.parametrize("function", CONSUMERS)
def test_consumers_park_records_they_cannot_read_and_acknowledge_them(
    handlers: dict[str, ModuleType], function: str
) -> None:
    event = unreadable_batch(load_event("kafkaEventMsk"))
    already = len(parked_records())
    assert handlers[function].lambda_handler(event, context(function)) == {"batchItemFailures": []}
    assert [(line["function"], line["reason"]["code"]) for line in parked_records()[already:]] == [
        (function, "not_a_cloud_event")
    ]
