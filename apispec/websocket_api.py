"""The WebSocket API's part of the AsyncAPI document: its servers, its one channel, what each side sends.

Operations are a client's: it sends the actions (`ping`, `query`) and receives LearnFlow's messages.
"""

from typing import Any

from pydantic import BaseModel

from apispec.schemas import ComponentSchemas, ModelUse
from learnflow.api.websocket_messages import CLIENT_ACTIONS, SERVER_MESSAGES

CHANNEL = "webSocket"
SECURITY_SCHEME = "accessToken"
#: the action whose answer is a message of its own; other answers (errors) may come instead
REPLIES = {"ping": "pong", "query": "ack"}

SERVERS: dict[str, dict[str, Any]] = {
    "localWebSocket": {
        "host": "127.0.0.1:3001",
        "protocol": "ws",
        "title": "The local cloud",
        "description": "`make dev` serves the WebSocket API here (the port is `LEARNFLOW_WS_PORT`).",
        "security": [{"$ref": f"#/components/securitySchemes/{SECURITY_SCHEME}"}],
    },
    "awsWebSocket": {
        "host": "{apiId}.execute-api.{region}.amazonaws.com",
        "pathname": "/{stage}",
        "protocol": "wss",
        "title": "A deployed stage",
        "description": "API Gateway's WebSocket API: the stack's `WebSocketUrl` output.",
        "variables": {
            "apiId": {"default": "api-id", "description": "The WebSocket API's id"},
            "region": {"default": "us-east-1"},
            "stage": {"default": "dev", "description": "The deployment's stage"},
        },
        "security": [{"$ref": f"#/components/securitySchemes/{SECURITY_SCHEME}"}],
    },
}

SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    SECURITY_SCHEME: {
        "type": "httpApiKey",
        "name": "token",
        "in": "query",
        "description": (
            "The access token of `POST /api/v1/auth/login` as the query parameter `token`"
            " (`?token=<access_token>`). A missing or bad token is refused at the handshake with"
            " HTTP 401 (`unauthorized`), a refused connection with 403 (`forbidden`), each with the"
            " contract's error body."
        ),
    }
}

CHANNEL_DESCRIPTION = """\
One connection per device: JSON text frames both ways, at most 128 KiB each. A client's `action`
selects its route; every message LearnFlow sends names itself in `type`. A user connected on
several devices gets every message on each of them."""


def model_uses() -> list[ModelUse]:
    return [(model, "validation") for model in CLIENT_ACTIONS.values()] + [
        (model, "serialization") for model in SERVER_MESSAGES.values()
    ]


def _summary(model: type[BaseModel]) -> str:
    return (model.__doc__ or "").strip().splitlines()[0]


def messages(schemas: ComponentSchemas) -> dict[str, dict[str, Any]]:
    actions = {
        name: {
            "name": name,
            "title": f"The {name} action",
            "summary": _summary(model),
            "payload": schemas.ref(model, "validation"),
        }
        for name, model in CLIENT_ACTIONS.items()
    }
    server_messages = {
        name: {
            "name": name,
            "title": f"The {name} message",
            "summary": _summary(model),
            "payload": schemas.ref(model, "serialization"),
        }
        for name, model in SERVER_MESSAGES.items()
    }
    return actions | server_messages


def _message_ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/channels/{CHANNEL}/messages/{name}"}


def channels() -> dict[str, dict[str, Any]]:
    names = [*CLIENT_ACTIONS, *SERVER_MESSAGES]
    return {
        CHANNEL: {
            "address": "/",
            "title": "The WebSocket API",
            "description": CHANNEL_DESCRIPTION,
            "servers": [{"$ref": f"#/servers/{server}"} for server in SERVERS],
            "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in names},
            "bindings": {
                "ws": {
                    "method": "GET",
                    "query": {
                        "type": "object",
                        "properties": {
                            "token": {"type": "string", "description": "A valid access token (a JWT)"}
                        },
                        "required": ["token"],
                    },
                    "bindingVersion": "0.1.0",
                }
            },
        }
    }


def _operation_id(verb: str, name: str) -> str:
    """`receive` and `response.delta` -> `receiveResponseDelta`."""
    return verb + "".join(part.title() for part in name.split("."))


def operations() -> dict[str, dict[str, Any]]:
    channel = {"$ref": f"#/channels/{CHANNEL}"}
    sent = {
        _operation_id("send", name): {
            "action": "send",
            "channel": channel,
            "summary": f"Send `{name}`",
            "messages": [_message_ref(name)],
            "reply": {"channel": channel, "messages": [_message_ref(REPLIES[name])]},
        }
        for name in CLIENT_ACTIONS
    }
    received = {
        _operation_id("receive", name): {
            "action": "receive",
            "channel": channel,
            "summary": f"Receive `{name}`",
            "messages": [_message_ref(name)],
        }
        for name in SERVER_MESSAGES
    }
    return sent | received
