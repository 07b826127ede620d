"""The events the local cloud produces have the shapes of AWS's own events (tests/events/)."""

from typing import Any

import pytest
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent, EventBridgeEvent
from aws_lambda_powertools.utilities.parser.models import APIGatewayProxyEventModel
from multidict import CIMultiDict, MultiDict

from localcloud import events
from tests.aws_events import NOT_SENT_BY_THE_LOCAL_CLOUD, PARSER_MODELS, event_kinds, key_paths, load_event


@pytest.mark.parametrize("kind", event_kinds())
def test_every_aws_event_parses_with_its_powertools_model(kind: str) -> None:
    PARSER_MODELS[kind].model_validate(load_event(kind))


def test_every_kind_has_a_powertools_model() -> None:
    assert set(PARSER_MODELS) == set(event_kinds())


def test_an_unknown_kind_is_refused_with_the_kinds_there_are() -> None:
    with pytest.raises(LookupError, match=r"'apiGatewayProxyEvnet'.*apiGatewayProxyEvent, .*kafkaEventMsk"):
        load_event("apiGatewayProxyEvnet")


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
    expected = key_paths(load_event("apiGatewayProxyEvent"))
    produced = key_paths(_proxy_event())
    assert expected - produced == NOT_SENT_BY_THE_LOCAL_CLOUD
    assert produced - expected == set()


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


def test_token_authorizer_events_match_the_aws_event_exactly() -> None:
    produced = events.token_authorizer_event("Bearer x", events.method_arn("GET", "/api/v1/auth/me"))
    aws_event = load_event("apiGatewayAuthorizerTokenEvent")
    assert list(produced) == list(aws_event)
    assert produced["type"] == aws_event["type"] == "TOKEN"
    assert produced["methodArn"].split(":")[:3] == aws_event["methodArn"].split(":")[:3]


def _ws(event_type: str, authorized: bool = True, **extra: Any) -> dict[str, Any]:
    return events.websocket_event(
        event_type=event_type,
        route_key={"CONNECT": "$connect", "DISCONNECT": "$disconnect"}.get(event_type, "query"),
        connection_id="abc=",
        connected_at=1,
        source_ip="127.0.0.1",
        user_agent="test",
        authorizer={"principalId": "u1", "role": "student"} if authorized else None,
        **extra,
    )


def test_websocket_message_events_have_the_aws_events_keys_and_no_headers() -> None:
    expected = key_paths(load_event("apiGatewayWebSocketMessageEvent"))
    produced = key_paths(_ws("MESSAGE", body='{"action": "ping"}'))
    assert expected - produced == NOT_SENT_BY_THE_LOCAL_CLOUD
    assert produced - expected == set()
    assert "headers" not in produced


def test_websocket_disconnect_events_have_the_aws_events_keys() -> None:
    expected = key_paths(load_event("apiGatewayWebSocketDisconnectEvent"))
    produced = key_paths(_ws("DISCONNECT", headers=CIMultiDict([("Host", "h")]), close=(1001, "")))
    assert expected - produced == NOT_SENT_BY_THE_LOCAL_CLOUD
    assert produced - expected == set()


def test_websocket_connect_events_have_the_aws_events_keys() -> None:
    connect = load_event("apiGatewayWebSocketConnectEvent")
    produced = _ws("CONNECT", headers=CIMultiDict([("Host", "h")]), query=MultiDict([("token", "t")]))
    assert key_paths(connect) - key_paths(produced) == NOT_SENT_BY_THE_LOCAL_CLOUD
    assert key_paths(produced) - key_paths(connect) == set()
    assert produced["requestContext"]["eventType"] == connect["requestContext"]["eventType"] == "CONNECT"
    assert produced["queryStringParameters"] == {"token": "t"}


def test_websocket_request_authorizer_events_have_the_aws_events_keys() -> None:
    aws_event = load_event("apiGatewayAuthorizerRequestEvent")
    connect = _ws("CONNECT", authorized=False, headers=CIMultiDict([("Host", "h")]), query=MultiDict())
    produced = events.websocket_authorizer_event(connect)
    assert produced["type"] == aws_event["type"] == "REQUEST"
    assert produced["methodArn"].endswith("/$connect") and aws_event["methodArn"].endswith("/$connect")
    # the local cloud sends neither the stage variables (it has none) nor the connect request's empty body
    assert key_paths(aws_event) - key_paths(produced) == {"stageVariables", "body"}
    assert key_paths(produced) - key_paths(aws_event) == set()


def test_scheduled_events_have_the_eventbridge_samples_keys() -> None:
    aws_event = load_event("eventBridgeScheduledEvent")
    produced = events.scheduled_event("outbox_relay-schedule")
    assert list(produced) == list(aws_event)
    assert (produced["detail-type"], produced["source"]) == (aws_event["detail-type"], aws_event["source"])
    assert EventBridgeEvent(produced).detail_type == "Scheduled Event"
