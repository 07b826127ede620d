"""Our handlers accept AWS's published sample events as they are."""

import copy
import importlib
import json
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from localcloud.lambda_context import LambdaContext
from tests.contract.test_event_shapes import sample

SETTINGS = {
    "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
    "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1",
    "JWT_SECRET": "a-development-signing-key-of-at-least-32-characters",
    "WEBSOCKET_MANAGEMENT_ENDPOINT": "http://127.0.0.1:1",
    "POWERTOOLS_LOG_LEVEL": "ERROR",
}


@pytest.fixture(scope="module")
def handlers() -> Iterator[dict[str, ModuleType]]:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SETTINGS.items():
            patch.setenv(name, value)
        yield {
            name: importlib.import_module(f"functions.{name}.handler")
            for name in ("authorizer", "health", "auth_api", "tutor_api", "concepts_api", "concepts_agent")
        }


def context(name: str) -> LambdaContext:
    return LambdaContext(function_name=name, memory_limit_in_mb=128, aws_request_id="r", deadline_ms=2**62)


@pytest.mark.parametrize("function", ["health", "auth_api", "tutor_api", "concepts_api"])
def test_rest_handlers_answer_the_proxy_sample_with_a_contract_error(
    handlers: dict[str, ModuleType], function: str
) -> None:
    event = sample("powertools-apiGatewayProxyEvent.json")
    response = handlers[function].lambda_handler(event, context(function))
    assert response["statusCode"] == 404
    assert json.loads(response["body"])["error"]["code"] == "not_found"


def test_the_authorizer_refuses_the_token_sample_as_api_gateway_expects(
    handlers: dict[str, ModuleType],
) -> None:
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        handlers["authorizer"].lambda_handler(
            sample("powertools-apiGatewayAuthorizerTokenEvent.json"), context("authorizer")
        )


def test_the_authorizer_allows_a_valid_token_for_the_whole_api(handlers: dict[str, ModuleType]) -> None:
    from learnflow.dependencies import token_service

    tokens = token_service(handlers["authorizer"].settings)
    token = tokens.encode(tokens.issue("user-1", "teacher", "access"))
    event: dict[str, Any] = sample("powertools-apiGatewayAuthorizerTokenEvent.json") | {
        "authorizationToken": f"Bearer {token}"
    }
    policy = handlers["authorizer"].lambda_handler(event, context("authorizer"))
    assert policy["principalId"] == "user-1"
    assert policy["context"] == {"role": "teacher"}
    (statement,) = policy["policyDocument"]["Statement"]
    assert statement["Effect"] == "Allow"
    assert statement["Resource"] == ["arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/*/*"]


def test_a_refresh_token_is_refused_where_an_access_token_is_expected(
    handlers: dict[str, ModuleType],
) -> None:
    from learnflow.dependencies import token_service

    tokens = token_service(handlers["authorizer"].settings)
    refresh = tokens.encode(tokens.issue("user-1", "student", "refresh"))
    event = sample("powertools-apiGatewayAuthorizerTokenEvent.json") | {
        "authorizationToken": f"Bearer {refresh}"
    }
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        handlers["authorizer"].lambda_handler(event, context("authorizer"))


def test_a_consumer_fails_a_batch_it_cannot_read_so_the_mapping_retries_then_dead_letters_it(
    handlers: dict[str, ModuleType],
) -> None:
    event = copy.deepcopy(sample("powertools-kafkaEventMsk.json"))
    with pytest.raises(BatchProcessingError, match="All records failed"):
        handlers["concepts_agent"].lambda_handler(event, context("concepts_agent"))
