"""The events the local cloud produces have the shapes of AWS's own published samples."""

import json
from typing import Any

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent, EventBridgeEvent
from aws_lambda_powertools.utilities.parser.models import APIGatewayProxyEventModel
from multidict import CIMultiDict, MultiDict

from localcloud import events
from tests.conftest import AWS_EVENTS


def sample(name: str) -> dict[str, Any]:
    return dict(json.loads((AWS_EVENTS / name).read_text()))


VALUE_MAPS = {
    "headers",
    "multiValueHeaders",
    "queryStringParameters",
    "multiValueQueryStringParameters",
    "pathParameters",
    "stageVariables",
}


def key_paths(value: Any, prefix: str = "") -> set[str]:
    """Every key path of a JSON object, descending into objects (not lists, nor maps of request data)."""
    if not isinstance(value, dict) or prefix in VALUE_MAPS:
        return set()
    paths = set()
    for key, child in value.items():
        path = f"{prefix}.{key}" if prefix else key
        paths.add(path)
        paths |= key_paths(child, path)
    return paths


def _proxy_event() -> dict[str, Any]:
    return events.rest_proxy_event(
        method="POST",
        path="/api/v1/requests/42",
        resource="/api/v1/requests/{request_id}",
        headers=CIMultiDict([("Content-Type", "application/json"), ("Accept", "a"), ("Accept", "b")]),
        query=MultiDict([("page", "1"), ("tag", "x"), ("tag", "y")]),
        path_parameters={"request_id": "42"},
        raw_body=b'{"a": 1}',
        source_ip="127.0.0.1",
        authorizer={"principalId": "u1", "role": "student"},
        request_id="req-1",
    )


def test_rest_proxy_events_have_every_key_of_the_aws_sample() -> None:
    expected = key_paths(sample("powertools-apiGatewayProxyEvent.json"))
    expected = {path for path in expected if "clientCert" not in path and "authorizer." not in path}
    produced = key_paths(_proxy_event())
    assert expected - produced == set()


def test_rest_proxy_events_parse_with_powertools_both_ways() -> None:
    event = _proxy_event()
    parsed = APIGatewayProxyEventModel.model_validate(event)
    assert parsed.pathParameters == {"request_id": "42"}
    data = APIGatewayProxyEvent(event)
    assert data.multi_value_query_string_parameters["tag"] == ["x", "y"]
    assert data.multi_value_headers["Accept"] == ["a", "b"]
    assert data.json_body == {"a": 1}
    assert data.request_context.authorizer.raw_event == {"principalId": "u1", "role": "student"}


def test_non_utf8_bodies_travel_as_base64() -> None:
    assert events.body_fields(b"\xff\xfe") == ("//4=", True)
    assert events.body_fields(b"") == (None, False)


def test_token_authorizer_events_match_the_sample_exactly() -> None:
    produced = events.token_authorizer_event("Bearer x", events.method_arn("GET", "/api/v1/auth/me"))
    assert produced.keys() == sample("powertools-apiGatewayAuthorizerTokenEvent.json").keys()
    assert produced["methodArn"].startswith("arn:aws:execute-api:")


def _ws(event_type: str, **extra: Any) -> dict[str, Any]:
    return events.websocket_event(
        event_type=event_type,
        route_key={"CONNECT": "$connect", "DISCONNECT": "$disconnect"}.get(event_type, "query"),
        connection_id="abc=",
        connected_at=1,
        source_ip="127.0.0.1",
        user_agent="test",
        authorizer={"principalId": "u1", "role": "student"},
        **extra,
    )


def test_websocket_message_events_have_the_samples_keys_and_no_headers() -> None:
    expected = key_paths(sample("lambda-go-apigw-websocket-request-send-message.json"))
    produced = key_paths(_ws("MESSAGE", body='{"action": "ping"}'))
    assert expected - produced == set()
    assert produced - expected == {
        "requestContext.authorizer",
        "requestContext.authorizer.principalId",
        "requestContext.authorizer.role",
    }


def test_websocket_disconnect_events_have_the_samples_keys() -> None:
    expected = key_paths(sample("lambda-go-apigw-websocket-request-disconnect.json"))
    expected = {path for path in expected if not path.startswith(("headers.", "multiValueHeaders."))}
    produced = key_paths(_ws("DISCONNECT", headers=CIMultiDict([("Host", "h")]), close=(1001, "")))
    assert expected - produced == set()


def test_websocket_connect_events_carry_the_connect_fields_of_the_sample() -> None:
    connect = sample("lambda-go-apigw-websocket-request.json")
    produced = _ws("CONNECT", headers=CIMultiDict([("Host", "h")]), query=MultiDict([("token", "t")]))
    for key in (
        "routeKey",
        "eventType",
        "connectionId",
        "connectedAt",
        "apiId",
        "stage",
        "requestId",
        "messageDirection",
        "domainName",
        "extendedRequestId",
        "requestTime",
        "requestTimeEpoch",
    ):
        assert key in connect["requestContext"] and key in produced["requestContext"]
    assert produced["requestContext"]["eventType"] == connect["requestContext"]["eventType"] == "CONNECT"
    assert produced["queryStringParameters"] == {"token": "t"}


def test_websocket_request_authorizer_events_have_the_request_samples_top_level_keys() -> None:
    request_sample = sample("powertools-apiGatewayAuthorizerRequestEvent.json")
    produced = events.websocket_authorizer_event(_ws("CONNECT", headers=CIMultiDict(), query=MultiDict()))
    assert produced["type"] == request_sample["type"] == "REQUEST"
    assert {"methodArn", "headers", "queryStringParameters", "requestContext"} <= produced.keys()


def test_scheduled_events_have_the_eventbridge_samples_keys() -> None:
    expected = set(sample("powertools-eventBridgeEvent.json")) - {"replay-name"}
    produced = events.scheduled_event("outbox_relay-schedule")
    assert set(produced) == expected
    assert EventBridgeEvent(produced).detail_type == "Scheduled Event"
