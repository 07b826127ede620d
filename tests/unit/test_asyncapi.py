"""docs/asyncapi.yaml: generated from the code, committed, valid for the real AsyncAPI parser, complete."""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

from apispec.asyncapi import DOCUMENT_PATH, asyncapi_document, asyncapi_yaml
from apispec.kafka_topics import PUBLISHERS, channel_id, consumers
from apispec.websocket_api import CHANNEL
from infra.wiring import ALL_FUNCTIONS
from learnflow.api.schemas.notifications import NOTIFICATION_EXAMPLE
from learnflow.api.websocket_messages import CLIENT_ACTIONS, SERVER_MESSAGES
from learnflow.events.envelope import CloudEvent
from learnflow.events.schemas import TOPIC_SCHEMAS, ProgressRecorded, new_event
from learnflow.events.topics import Topic
from tests.asyncapi_validation import check_kafka_record, check_websocket_message
from tests.conftest import REPO_ROOT

VALIDATOR = REPO_ROOT / "tests" / "asyncapi" / "validate.mjs"
USER_ID = "6a1f3c2e-9b4d-4e8a-a7c5-2d3f4b5a6c7d"
OTHER_USER_ID = "7b1d0e9c-3f2a-4c5d-8e6f-0a1b2c3d4e5f"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return asyncapi_document()


def asyncapi_parse(path: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None or not (REPO_ROOT / "node_modules" / "@asyncapi" / "parser").is_dir():
        pytest.fail("the AsyncAPI parser is not installed: run `make node-tools` (npm ci)")
    return subprocess.run(
        [node, str(VALIDATOR), str(path)], capture_output=True, text=True, timeout=120, check=False
    )


def schema_of(document: dict[str, Any], reference: dict[str, str]) -> dict[str, Any]:
    schema: dict[str, Any] = document["components"]["schemas"][reference["$ref"].rsplit("/", 1)[1]]
    return schema


def message_of(document: dict[str, Any], channel: str, key: str) -> dict[str, Any]:
    component = document["channels"][channel]["messages"][key]["$ref"].rsplit("/", 1)[1]
    message: dict[str, Any] = document["components"]["messages"][component]
    return message


def operations_on(document: dict[str, Any], channel: str, action: str) -> dict[str, list[str]]:
    """Each operation on the channel with this action -> the keys of its messages."""
    return {
        name: [message["$ref"].rsplit("/", 1)[1] for message in operation["messages"]]
        for name, operation in document["operations"].items()
        if operation["channel"]["$ref"] == f"#/channels/{channel}" and operation["action"] == action
    }


def test_the_committed_document_is_what_the_code_generates() -> None:
    assert DOCUMENT_PATH.read_text() == asyncapi_yaml(), (
        "docs/asyncapi.yaml is out of date: run `make asyncapi` and commit it"
    )


def test_the_asyncapi_parser_finds_no_error_in_the_document() -> None:
    parsed = asyncapi_parse(DOCUMENT_PATH)
    assert parsed.returncode == 0, parsed.stderr[-4000:]
    assert "valid AsyncAPI 3.0.0" in parsed.stdout


def test_the_parser_check_fails_a_broken_document(document: dict[str, Any], tmp_path: Path) -> None:
    broken = json.loads(json.dumps(document))
    broken["components"]["messages"]["ack"]["payload"] = {"$ref": "#/components/schemas/NoSuchSchema"}
    broken["servers"]["localWebSocket"]["protocol"] = 42
    path = tmp_path / "asyncapi.yaml"
    path.write_text(yaml.safe_dump(broken))
    parsed = asyncapi_parse(path)
    assert parsed.returncode == 1
    assert "NoSuchSchema" in parsed.stderr
    assert "/servers/localWebSocket/protocol" in parsed.stderr


def test_every_server_message_has_its_message_and_receive_operation(document: dict[str, Any]) -> None:
    received = operations_on(document, CHANNEL, "receive")
    assert sorted(key for keys in received.values() for key in keys) == sorted(SERVER_MESSAGES)
    for name, model in SERVER_MESSAGES.items():
        assert get_args(model.model_fields["type"].annotation) == (name,)
        message = message_of(document, CHANNEL, name)
        assert message["name"] == name
        assert schema_of(document, message["payload"])["properties"]["type"]["const"] == name


def test_every_client_action_has_its_message_and_send_operation(document: dict[str, Any]) -> None:
    sent = operations_on(document, CHANNEL, "send")
    assert sorted(key for keys in sent.values() for key in keys) == sorted(CLIENT_ACTIONS)
    for name in CLIENT_ACTIONS:
        payload = schema_of(document, message_of(document, CHANNEL, name)["payload"])
        assert payload["properties"]["action"]["const"] == name
    routed = {route for spec in ALL_FUNCTIONS for route in spec.websocket_routes if not route.startswith("$")}
    assert routed == set(CLIENT_ACTIONS)


def test_the_websocket_channel_asks_for_the_token_in_the_query(document: dict[str, Any]) -> None:
    (scheme,) = document["components"]["securitySchemes"].values()
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("httpApiKey", "query", "token")
    assert document["channels"][CHANNEL]["bindings"]["ws"]["query"]["required"] == ["token"]
    assert document["servers"]["localWebSocket"]["host"] == "127.0.0.1:3001"


@pytest.mark.parametrize("topic", list(Topic))
def test_every_topic_has_its_channel_message_and_operations(document: dict[str, Any], topic: Topic) -> None:
    channel = document["channels"][channel_id(topic)]
    assert channel["address"] == topic.value
    assert channel["bindings"]["kafka"]["topic"] == topic.value
    (key,) = channel["messages"]
    message = message_of(document, channel_id(topic), key)
    assert message["bindings"]["kafka"]["key"]["type"] == "string"
    payload = schema_of(document, message["payload"])
    assert payload["properties"]["type"]["const"] == f"com.learnflow.{topic.value}"
    assert payload["properties"]["data"]["$ref"].endswith(f"/{TOPIC_SCHEMAS[topic].__name__}")
    assert set(payload["required"]) == set(CloudEvent.model_fields)
    (published,) = operations_on(document, channel_id(topic), "send")
    (consumed,) = operations_on(document, channel_id(topic), "receive")
    assert document["operations"][published]["x-functions"] == list(PUBLISHERS[topic].functions)
    assert document["operations"][consumed]["x-functions"] == [spec.name for spec in consumers(topic)]


def test_the_named_publishers_are_functions_that_may_publish() -> None:
    publishing = {spec.name for spec in ALL_FUNCTIONS if "publish_events" in spec.capabilities}
    named = {name for uses in PUBLISHERS.values() for name in uses.functions}
    assert named <= publishing, f"not functions that publish events: {sorted(named - publishing)}"


def test_every_consumer_in_the_wiring_is_in_the_document(document: dict[str, Any]) -> None:
    consuming = {spec.name for spec in ALL_FUNCTIONS if spec.kafka_sources}
    documented = {
        name
        for operation in document["operations"].values()
        if operation["action"] == "receive" and operation["channel"]["$ref"] != f"#/channels/{CHANNEL}"
        for name in operation["x-functions"]
    }
    assert documented == consuming


def test_the_end_to_end_check_accepts_what_the_code_sends_and_rejects_the_rest() -> None:
    check_websocket_message({"type": "ack", "request_id": "9d3c6b1a-2e4f-4a8b-b7c6-5d4e3f2a1b0c"})
    check_websocket_message({"type": "notification", "data": NOTIFICATION_EXAMPLE})
    with pytest.raises(AssertionError, match="'request_id' is a required property"):
        check_websocket_message({"type": "ack"})
    with pytest.raises(AssertionError, match=r"type 'dance' is not in docs/asyncapi\.yaml"):
        check_websocket_message({"type": "dance"})

    data = ProgressRecorded(user_id=USER_ID, kind="activity", occurred_at="2026-03-03T09:30:00Z")
    event = new_event(Topic.PROGRESS_EVENTS, data, user_id=USER_ID, correlation_id="req-1")
    check_kafka_record(Topic.PROGRESS_EVENTS, USER_ID.encode(), event.to_json_bytes())
    broken = event.model_dump(mode="json")
    broken["data"]["kind"] = "dancing"
    with pytest.raises(AssertionError, match=r"'dancing' is not one of .* at \$\.data\.kind"):
        check_kafka_record(Topic.PROGRESS_EVENTS, USER_ID.encode(), json.dumps(broken).encode())
    with pytest.raises(AssertionError, match="not by its subject"):
        check_kafka_record(Topic.PROGRESS_EVENTS, OTHER_USER_ID.encode(), event.to_json_bytes())
