"""The events AWS hands LearnFlow's functions, one JSON file per kind in tests/events/.

A kind is a file's name without `.json` (`apiGatewayProxyEvent`, `kafkaEventMsk`, ...).
"""

import json
from pathlib import Path
from typing import Any

from aws_lambda_powertools.utilities.parser.models import (
    ApiGatewayAuthorizerToken,
    APIGatewayProxyEventModel,
    APIGatewayWebSocketConnectEventModel,
    APIGatewayWebSocketDisconnectEventModel,
    APIGatewayWebSocketMessageEventModel,
    EventBridgeModel,
    KafkaMskEventModel,
)
from pydantic import BaseModel

EVENTS_DIR = Path(__file__).resolve().parent / "events"

#: the Powertools parser model each kind parses with; the WebSocket REQUEST authorizer's input is the
#: $connect event plus `type` and `methodArn`, so it parses as a connect event
PARSER_MODELS: dict[str, type[BaseModel]] = {
    "apiGatewayProxyEvent": APIGatewayProxyEventModel,
    "apiGatewayAuthorizerTokenEvent": ApiGatewayAuthorizerToken,
    "apiGatewayAuthorizerRequestEvent": APIGatewayWebSocketConnectEventModel,
    "apiGatewayWebSocketConnectEvent": APIGatewayWebSocketConnectEventModel,
    "apiGatewayWebSocketMessageEvent": APIGatewayWebSocketMessageEventModel,
    "apiGatewayWebSocketDisconnectEvent": APIGatewayWebSocketDisconnectEventModel,
    "kafkaEventMsk": KafkaMskEventModel,
    "eventBridgeScheduledEvent": EventBridgeModel,
}

#: key paths of AWS's events that the local cloud leaves out: it does not time its authorizer
NOT_SENT_BY_THE_LOCAL_CLOUD = frozenset({"requestContext.authorizer.integrationLatency"})

#: maps of request data (names chosen by the client or the API), whose keys are no part of the shape
VALUE_MAPS = frozenset(
    {
        "headers",
        "multiValueHeaders",
        "queryStringParameters",
        "multiValueQueryStringParameters",
        "pathParameters",
        "stageVariables",
    }
)


def event_kinds() -> list[str]:
    return sorted(path.stem for path in EVENTS_DIR.glob("*.json"))


def load_event(kind: str) -> dict[str, Any]:
    """A fresh copy of the event of this kind (callers may change it)."""
    path = EVENTS_DIR / f"{kind}.json"
    if not path.is_file():
        raise LookupError(f"no AWS event of kind {kind!r}; the kinds are: {', '.join(event_kinds())}")
    return dict(json.loads(path.read_text()))


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


def null_key_paths(value: Any, prefix: str = "") -> set[str]:
    """Key paths whose value is null: an object AWS leaves null (no authorizer on a route) has no keys."""
    if not isinstance(value, dict):
        return set()
    paths = set()
    for key, child in value.items():
        path = f"{prefix}.{key}" if prefix else key
        if child is None:
            paths.add(path)
        paths |= null_key_paths(child, path)
    return paths
