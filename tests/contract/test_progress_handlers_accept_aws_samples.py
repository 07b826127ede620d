"""The progress, quiz and notification functions accept AWS's published sample events as they are."""

import copy
import importlib
import json
from collections.abc import Iterator
from types import ModuleType

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from tests.contract.test_event_shapes import sample
from tests.contract.test_handlers_accept_aws_samples import SETTINGS, context

REST = ("progress_api", "quizzes_api", "notifications_api")
CONSUMERS = ("progress_consumer", "notifications_consumer")


@pytest.fixture(scope="module")
def handlers() -> Iterator[dict[str, ModuleType]]:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SETTINGS.items():
            patch.setenv(name, value)
        yield {name: importlib.import_module(f"functions.{name}.handler") for name in REST + CONSUMERS}


@pytest.mark.parametrize("function", REST)
def test_rest_handlers_answer_the_proxy_sample_with_a_contract_error(
    handlers: dict[str, ModuleType], function: str
) -> None:
    response = handlers[function].lambda_handler(
        sample("powertools-apiGatewayProxyEvent.json"), context(function)
    )
    assert response["statusCode"] == 404
    assert json.loads(response["body"])["error"]["code"] == "not_found"


@pytest.mark.parametrize("function", CONSUMERS)
def test_consumers_fail_a_batch_they_cannot_read_so_the_mapping_retries_it(
    handlers: dict[str, ModuleType], function: str
) -> None:
    event = copy.deepcopy(sample("powertools-kafkaEventMsk.json"))
    with pytest.raises(BatchProcessingError, match="All records failed"):
        handlers[function].lambda_handler(event, context(function))
