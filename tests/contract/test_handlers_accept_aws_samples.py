"""Our handlers accept AWS's events (tests/events/) as they are."""

import json
from collections.abc import Iterator
from types import ModuleType

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from aws_lambda_powertools.utilities.data_classes import KafkaEvent

from learnflow.api.kafka import cloud_event_of
from learnflow.dependencies import token_service
from learnflow.domain.sessions import TokenType
from learnflow.events.schemas import TutorRequested, parse_data
from learnflow.events.topics import Topic
from tests.aws_events import load_event
from tests.contract.handler_loading import (
    context,
    functions_serving,
    imported_handlers,
    parked_records,
    unreadable_batch,
)

#: REST functions that do not serve the proxy event's route (GET /api/v1/requests/{request_id})
OTHER_REST_FUNCTIONS = ("health", "auth_api", "concepts_api")


@pytest.fixture(scope="module")
def handlers() -> Iterator[dict[str, ModuleType]]:
    with imported_handlers("authorizer", *OTHER_REST_FUNCTIONS, "concepts_agent") as imported:
        yield imported


def _signed_token(handlers: dict[str, ModuleType], token_type: TokenType) -> str:
    tokens = token_service(handlers["authorizer"].settings)
    return tokens.encode(tokens.issue("user-1", "teacher", token_type))


def test_the_proxy_event_is_a_route_of_the_tutor_api_alone() -> None:
    assert functions_serving(load_event("apiGatewayProxyEvent")) == {"tutor_api"}


@pytest.mark.parametrize("function", OTHER_REST_FUNCTIONS)
def test_rest_handlers_answer_a_route_of_another_function_with_a_contract_error(
    handlers: dict[str, ModuleType], function: str
) -> None:
    response = handlers[function].lambda_handler(load_event("apiGatewayProxyEvent"), context(function))
    assert response["statusCode"] == 404
    assert json.loads(response["body"])["error"]["code"] == "not_found"


@pytest.mark.parametrize("kind", ["apiGatewayAuthorizerTokenEvent", "apiGatewayAuthorizerRequestEvent"])
def test_the_authorizer_refuses_a_token_it_did_not_sign_as_api_gateway_expects(
    handlers: dict[str, ModuleType], kind: str
) -> None:
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        handlers["authorizer"].lambda_handler(load_event(kind), context("authorizer"))


def test_the_authorizer_allows_a_valid_bearer_token_for_the_whole_rest_stage(
    handlers: dict[str, ModuleType],
) -> None:
    event = load_event("apiGatewayAuthorizerTokenEvent")
    event["authorizationToken"] = f"Bearer {_signed_token(handlers, 'access')}"
    policy = handlers["authorizer"].lambda_handler(event, context("authorizer"))
    assert policy["principalId"] == "user-1"
    assert policy["context"] == {"role": "teacher"}
    (statement,) = policy["policyDocument"]["Statement"]
    assert statement["Effect"] == "Allow"
    assert statement["Resource"] == ["arn:aws:execute-api:us-east-1:123456789012:k7x2m9p4qa/prod/*"]


def test_the_authorizer_allows_a_valid_query_token_on_websocket_connect(
    handlers: dict[str, ModuleType],
) -> None:
    event = load_event("apiGatewayAuthorizerRequestEvent")
    event["queryStringParameters"]["token"] = _signed_token(handlers, "access")
    policy = handlers["authorizer"].lambda_handler(event, context("authorizer"))
    assert (policy["principalId"], policy["context"]) == ("user-1", {"role": "teacher"})
    (statement,) = policy["policyDocument"]["Statement"]
    assert statement["Resource"] == ["arn:aws:execute-api:us-east-1:123456789012:w3n8c5r1vb/prod/*"]


def test_a_refresh_token_is_refused_where_an_access_token_is_expected(
    handlers: dict[str, ModuleType],
) -> None:
    event = load_event("apiGatewayAuthorizerTokenEvent")
    event["authorizationToken"] = f"Bearer {_signed_token(handlers, 'refresh')}"
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        handlers["authorizer"].lambda_handler(event, context("authorizer"))


def test_a_consumer_parks_records_it_cannot_read_and_acknowledges_them(
    handlers: dict[str, ModuleType],
) -> None:
    event = unreadable_batch(load_event("kafkaEventMsk"))
    (record,) = event["records"]["concepts.requests-0"]
    already = len(parked_records())

    assert handlers["concepts_agent"].lambda_handler(event, context("concepts_agent")) == {
        "batchItemFailures": []
    }
    (parked,) = parked_records()[already:]
    assert parked["reason"]["code"] == "not_a_cloud_event"
    assert (parked["record"]["offset"], parked["record"]["value"]) == (record["offset"], record["value"])


def test_a_consumer_fails_a_batch_the_database_cannot_take_so_the_mapping_retries_it(
    handlers: dict[str, ModuleType],
) -> None:
    """The sample is a valid request; the database (a closed port here) is what fails: retried, not parked."""
    already = len(parked_records())
    with pytest.raises(BatchProcessingError, match="All records failed"):
        handlers["concepts_agent"].lambda_handler(load_event("kafkaEventMsk"), context("concepts_agent"))
    assert parked_records()[already:] == []


def test_the_msk_event_carries_a_concepts_request_as_the_concepts_agent_reads_it() -> None:
    (record,) = KafkaEvent(load_event("kafkaEventMsk")).records
    assert record.topic == Topic.CONCEPTS_REQUESTS
    event = cloud_event_of(record)
    assert event.type == f"com.learnflow.{record.topic}"
    request = parse_data(event, TutorRequested)
    assert (request.intent, request.user_id) == ("concepts", event.subject)
    assert record.decoded_key == event.subject.encode()
