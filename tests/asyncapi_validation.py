"""Holds what the tests receive to docs/asyncapi.yaml: every WebSocket message and every Kafka event.

The WebSocket client (`tests/e2e/websocket_client.py`) and the topic reader (`tests/kafka_reading.py`)
check each message once, as it arrives, against the payload schema of its message in the document
(JSON Schema 2020-12, the dialect pydantic writes). One that does not match fails the test with
the message and the schema's error.
"""

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOCUMENT = Path(__file__).resolve().parents[1] / "docs" / "asyncapi.yaml"
DOCUMENT_URI = "urn:learnflow:asyncapi"
WEBSOCKET_CHANNEL = "webSocket"

#: what this run held to the document, by channel and message
validated: Counter[str] = Counter()


@cache
def document() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DOCUMENT.read_text())
    return loaded


@cache
def _registry() -> Registry[Any]:
    resource: Resource[Any] = Resource.from_contents(document(), default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(DOCUMENT_URI, resource)
    return registry


@cache
def _validator(pointer: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": f"{DOCUMENT_URI}#{pointer}"},
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def _component_of(channel: str, message_ref: str) -> str:
    """`#/channels/<channel>/messages/<key>` -> the key of the message under components/messages."""
    key = message_ref.rsplit("/", 1)[1]
    component_ref: str = document()["channels"][channel]["messages"][key]["$ref"]
    return component_ref.rsplit("/", 1)[1]


@cache
def websocket_messages() -> dict[str, str]:
    """The type of each message a client receives -> its key under components/messages."""
    found: dict[str, str] = {}
    for operation in document()["operations"].values():
        if (
            operation["action"] == "receive"
            and operation["channel"]["$ref"] == f"#/channels/{WEBSOCKET_CHANNEL}"
        ):
            for message in operation["messages"]:
                component = _component_of(WEBSOCKET_CHANNEL, message["$ref"])
                found[document()["components"]["messages"][component]["name"]] = component
    return found


@cache
def topic_messages() -> dict[str, str]:
    """Each topic -> the key of its message under components/messages."""
    found: dict[str, str] = {}
    for channel in document()["channels"].values():
        topic = channel.get("bindings", {}).get("kafka", {}).get("topic")
        if topic is not None:
            (message_ref,) = channel["messages"].values()
            found[topic] = message_ref["$ref"].rsplit("/", 1)[1]
    return found


def _check(pointer: str, instance: Any, what: str) -> None:
    error = best_match(_validator(pointer).iter_errors(instance))
    if error is not None:
        raise AssertionError(
            f"{what} does not match docs/asyncapi.yaml ({pointer}): {error.message}"
            f" at {error.json_path}\n{json.dumps(instance, default=str)[:4000]}"
        )


def check_websocket_message(message: Any) -> None:
    """Fails unless `message` is one of the messages the document says a WebSocket client receives."""
    kind = message.get("type") if isinstance(message, dict) else None
    component = websocket_messages().get(kind) if isinstance(kind, str) else None
    if component is None:
        raise AssertionError(
            f"a WebSocket message of type {kind!r} is not in docs/asyncapi.yaml"
            f" (it knows {sorted(websocket_messages())}): {json.dumps(message)[:4000]}"
        )
    _check(f"/components/messages/{component}/payload", message, f"the WebSocket message {kind!r}")
    validated[f"websocket {kind}"] += 1


def check_kafka_record(topic: str, key: bytes | None, value: bytes) -> None:
    """Fails unless the record's key and value are what the document says the topic carries."""
    component = topic_messages().get(topic)
    if component is None:
        raise AssertionError(f"the topic {topic!r} is not in docs/asyncapi.yaml")
    message = f"/components/messages/{component}"
    try:
        event = json.loads(value)
    except (UnicodeDecodeError, json.JSONDecodeError) as not_json:
        raise AssertionError(f"a record on {topic} is not JSON ({not_json}): {value[:2000]!r}") from None
    _check(f"{message}/payload", event, f"an event on {topic}")
    record_key = None if key is None else key.decode()
    _check(f"{message}/bindings/kafka/key", record_key, f"the key of an event on {topic}")
    if record_key != event["subject"]:
        raise AssertionError(f"an event on {topic} is keyed {record_key!r}, not by its subject: {event}")
    validated[f"kafka {topic}"] += 1
