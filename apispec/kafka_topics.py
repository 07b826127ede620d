"""The Kafka topics' part of the AsyncAPI document: one channel per topic, with who publishes and consumes it.

Every record's value is a CloudEvents 1.0 event in structured JSON mode (`learnflow.events.envelope`)
whose `data` is the topic's schema (`TOPIC_SCHEMAS`); its key is the user id. The consumers come
from the wiring's Kafka sources; the publishers are named here, as docs/contract.md's table does.
"""

from dataclasses import dataclass
from typing import Any

from pydantic import ConfigDict, Field, create_model

from apispec.schemas import ComponentSchemas, ModelUse
from infra.wiring import ALL_FUNCTIONS, FunctionSpec
from learnflow.events.envelope import EVENT_SOURCE, CloudEvent
from learnflow.events.schemas import TOPIC_SCHEMAS
from learnflow.events.topics import Topic
from learnflow.messaging.publisher import STRUCTURED_CONTENT_TYPE
from localcloud.embedded import DEFAULT_KAFKA_PORT, KAFKA_PORT_ENV

CONTENT_TYPE = STRUCTURED_CONTENT_TYPE.decode()


@dataclass(frozen=True)
class Publishing:
    when: str
    functions: tuple[str, ...]


_TRIAGE = ("tutor_api", "ws_messages")
_AGENTS = ("concepts_agent", "learning_agent", "debug_agent", "review_agent")

PUBLISHERS: dict[Topic, Publishing] = {
    Topic.LEARNING_REQUESTS: Publishing(
        "Triage (`POST /api/v1/query`, the WebSocket's `query` action): every triaged question,"
        " whatever its intent.",
        _TRIAGE,
    ),
    Topic.CONCEPTS_REQUESTS: Publishing("Triage, for questions of the concepts intent.", _TRIAGE),
    Topic.DEBUG_REQUESTS: Publishing("Triage, for questions of the debug intent.", _TRIAGE),
    Topic.CODE_SUBMISSIONS: Publishing("Triage, for questions of the code-review intent.", _TRIAGE),
    Topic.EXERCISE_GENERATED: Publishing(
        "Exercise generation: `POST /api/v1/exercises/generate`, and the learning agent's answers"
        " to exercise questions.",
        ("exercise_generation_api", "learning_agent"),
    ),
    Topic.LEARNING_RESPONSES: Publishing(
        "The tutor agents' answers, triage's clarifying questions, and `POST /api/v1/execute`'s runs"
        " (`message_type: execution`).",
        (*_AGENTS, *_TRIAGE, "execute_api"),
    ),
    Topic.STRUGGLE_DETECTED: Publishing(
        "Debugging, when a student meets the same error again and again within the window.",
        ("debug_api", "debug_agent"),
    ),
    Topic.PROGRESS_EVENTS: Publishing(
        "Exercise submissions, quiz attempts and code reviews.",
        ("exercises_api", "quizzes_api", "review_api", "review_agent"),
    ),
}

ENVELOPE_FIELDS = {
    "specversion": "The CloudEvents version",
    "id": "The event's id (a UUID); a consumer claims it to handle the event once",
    "source": f"Always `{EVENT_SOURCE}`",
    "type": "`com.learnflow.` and the topic",
    "time": "When the event was made (RFC 3339, UTC)",
    "datacontenttype": "The media type of `data`",
    "subject": "The user the event is about; also the record's key",
    "correlationid": "The correlation id of the request that caused the event (CloudEvents extension)",
    "data": "The topic's payload",
}

SERVERS: dict[str, dict[str, Any]] = {
    "localKafka": {
        "host": f"127.0.0.1:{DEFAULT_KAFKA_PORT}",
        "protocol": "kafka",
        "title": "The local cloud's broker",
        "description": (
            f"`make dev` starts an embedded Kafka-compatible broker here (the port is `{KAFKA_PORT_ENV}`);"
            " with `KAFKA_BOOTSTRAP_SERVERS` set it uses that broker instead."
        ),
    },
    "msk": {
        "host": "{bootstrapBrokers}",
        "protocol": "kafka-secure",
        "title": "Amazon MSK Serverless",
        "description": (
            "A deployed stage's cluster: TLS on port 9098, SASL/OAUTHBEARER with IAM tokens. Only"
            " LearnFlow's functions reach it, from inside the stage's VPC."
        ),
        "variables": {
            "bootstrapBrokers": {
                "default": "boot-xxxxxxxx.c1.kafka-serverless.us-east-1.amazonaws.com:9098",
                "description": "The cluster's IAM bootstrap brokers",
            }
        },
    },
}


def _describe_envelope(schema: dict[str, Any]) -> None:
    for name, description in ENVELOPE_FIELDS.items():
        schema["properties"][name]["description"] = description


class PublishedEvent(CloudEvent):
    """A CloudEvents 1.0 event as LearnFlow publishes it: every attribute is present."""

    model_config = ConfigDict(
        json_schema_serialization_defaults_required=True, json_schema_extra=_describe_envelope
    )


def channel_id(topic: Topic) -> str:
    """`learning.requests` -> `learningRequests`."""
    first, *rest = topic.value.split(".")
    return first + "".join(word.title() for word in rest)


def _model_name(topic: Topic) -> str:
    return "".join(word.title() for word in topic.value.split(".")) + "Event"


EVENT_MODELS: dict[Topic, type[PublishedEvent]] = {
    topic: create_model(
        _model_name(topic),
        __base__=PublishedEvent,
        __doc__=f"An event on `{topic.value}`: the CloudEvents envelope around {data.__name__}.",
        type=(str, Field(json_schema_extra={"const": f"com.learnflow.{topic.value}"})),
        data=(data, ...),
    )
    for topic, data in TOPIC_SCHEMAS.items()
}


def model_uses() -> list[ModelUse]:
    return [(model, "serialization") for model in EVENT_MODELS.values()]


def consumers(topic: Topic) -> list[FunctionSpec]:
    return [spec for spec in ALL_FUNCTIONS if any(source.topic == topic for source in spec.kafka_sources)]


def messages(schemas: ComponentSchemas) -> dict[str, dict[str, Any]]:
    return {
        channel_id(topic): {
            "name": f"com.learnflow.{topic.value}",
            "title": f"An event on {topic.value}",
            "summary": (TOPIC_SCHEMAS[topic].__doc__ or f"The data of {topic.value}").strip().splitlines()[0],
            "contentType": CONTENT_TYPE,
            "headers": {
                "type": "object",
                "properties": {"content-type": {"type": "string", "const": CONTENT_TYPE}},
            },
            "payload": schemas.ref(model, "serialization"),
            "bindings": {
                "kafka": {
                    "key": {"type": "string", "format": "uuid", "description": "The user id (`subject`)"},
                    "bindingVersion": "0.5.0",
                }
            },
        }
        for topic, model in EVENT_MODELS.items()
    }


def channels() -> dict[str, dict[str, Any]]:
    return {
        channel_id(topic): {
            "address": topic.value,
            "title": topic.value,
            "description": _channel_description(topic),
            "servers": [{"$ref": f"#/servers/{server}"} for server in SERVERS],
            "messages": {channel_id(topic): {"$ref": f"#/components/messages/{channel_id(topic)}"}},
            "bindings": {"kafka": {"topic": topic.value, "bindingVersion": "0.5.0"}},
        }
        for topic in Topic
    }


def _channel_description(topic: Topic) -> str:
    readers = ", ".join(f"`{spec.name}`" for spec in consumers(topic)) or "none of LearnFlow's functions"
    return f"Published by: {PUBLISHERS[topic].when}\n\nConsumed by: {readers}."


def _consumed_by(topic: Topic) -> str:
    lines = [
        f"- `{spec.name}`: {spec.description}. An event source mapping hands it up to"
        f" {source.batch_size} records at a time and retries what fails up to"
        f" {source.maximum_retry_attempts} times before sending it to its dead-letter destination."
        for spec in consumers(topic)
        for source in spec.kafka_sources
        if source.topic == topic
    ]
    return "\n".join(lines) or "None of LearnFlow's functions consumes it; it is there for other consumers."


def operations() -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for topic in Topic:
        channel = channel_id(topic)
        message = [{"$ref": f"#/channels/{channel}/messages/{channel}"}]
        publishing = PUBLISHERS[topic]
        result[f"publish{channel[0].upper()}{channel[1:]}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel}"},
            "summary": f"Publish an event on {topic.value}",
            "description": publishing.when
            + "\n\n"
            + "\n".join(f"- `{name}`" for name in publishing.functions),
            "messages": message,
            "x-functions": list(publishing.functions),
        }
        result[f"consume{channel[0].upper()}{channel[1:]}"] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{channel}"},
            "summary": f"Consume the events of {topic.value}",
            "description": _consumed_by(topic),
            "messages": message,
            "x-functions": [spec.name for spec in consumers(topic)],
        }
    return result
