"""The progress, quiz and notification functions accept AWS's events (tests/events/) as they are."""

import json
from collections.abc import Iterator
from types import ModuleType

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from tests.aws_events import load_event
from tests.contract.handler_loading import context, functions_serving, imported_handlers, unreadable_batch

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
def test_consumers_fail_a_batch_they_cannot_read_so_the_mapping_retries_it(
    handlers: dict[str, ModuleType], function: str
) -> None:
    event = unreadable_batch(load_event("kafkaEventMsk"))
    with pytest.raises(BatchProcessingError, match="All records failed"):
        handlers[function].lambda_handler(event, context(function))
