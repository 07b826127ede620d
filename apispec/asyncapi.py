"""docs/asyncapi.yaml: the WebSocket API and the Kafka topics in one AsyncAPI 3.0 document.

The WebSocket messages come from `learnflow.api.websocket_messages`, the topics from
`learnflow.events` and the wiring; every schema is pydantic's, under `components/schemas`.
"""

from pathlib import Path
from typing import Any

import yaml

from apispec import kafka_topics, websocket_api
from apispec.schemas import ComponentSchemas

ASYNCAPI_VERSION = "3.0.0"
DOCUMENT_PATH = Path(__file__).resolve().parents[1] / "docs" / "asyncapi.yaml"
TITLE = "LearnFlow WebSocket API and Kafka topics"
VERSION = "1.0.0"
DESCRIPTION = """\
The real-time side of LearnFlow, an AI tutoring platform for people learning Python.

**The WebSocket API.** A student's browser connects with its access token as `?token=` and gets
answers to tutor questions, program runs, progress and notifications as they happen. The
operations on the `webSocket` channel are the client's: it sends the actions and receives
LearnFlow's messages.

**The Kafka topics.** LearnFlow's functions publish CloudEvents 1.0 events (structured JSON mode)
keyed by the user id; each topic's channel says which functions publish and consume it. Events
are written to an outbox in the same transaction as the change they report and published from
there (the scheduled `outbox_relay` publishes what is left), so an event is never lost; a consumer
may see an event twice and handles it once.

The REST API is described by `docs/openapi.json`. This document is generated from the code:
`make asyncapi` writes it, `python -m apispec asyncapi --check` fails when it is out of date."""


def asyncapi_document() -> dict[str, Any]:
    schemas = ComponentSchemas(websocket_api.model_uses() + kafka_topics.model_uses())
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {"title": TITLE, "version": VERSION, "description": DESCRIPTION},
        "defaultContentType": "application/json",
        "servers": websocket_api.SERVERS | kafka_topics.SERVERS,
        "channels": websocket_api.channels() | kafka_topics.channels(),
        "operations": websocket_api.operations() | kafka_topics.operations(),
        "components": {
            "schemas": schemas.schemas,
            "messages": websocket_api.messages(schemas) | kafka_topics.messages(schemas),
            "securitySchemes": websocket_api.SECURITY_SCHEMES,
        },
    }


class _BlockStyleDumper(yaml.SafeDumper):
    """Writes text of several lines as a literal block, so descriptions read as they were written,
    and a value used twice in full each time: no anchors or aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_BlockStyleDumper.add_representer(str, _represent_text)


def asyncapi_yaml() -> str:
    header = "# Generated from the code by `make asyncapi` (python -m apispec asyncapi); do not edit.\n"
    body = yaml.dump(
        asyncapi_document(), Dumper=_BlockStyleDumper, sort_keys=False, allow_unicode=True, width=100
    )
    return header + body
