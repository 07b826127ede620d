"""Reading API Gateway WebSocket events."""

from typing import Any

from learnflow.api.identity import Identity, identity_from_authorizer


def connection_id_of(event: dict[str, Any]) -> str:
    return str(event["requestContext"]["connectionId"])


def identity_of(event: dict[str, Any]) -> Identity:
    return identity_from_authorizer(event["requestContext"].get("authorizer"))


def ok() -> dict[str, Any]:
    return {"statusCode": 200}
