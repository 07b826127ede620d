"""The one declaration of LearnFlow's wiring.

Which function serves which REST route, WebSocket route, Kafka topic or schedule, with which
timeout, memory and concurrency. The CDK app and the local cloud are both built from it.
"""

from dataclasses import dataclass, field
from typing import Literal

from learnflow.events.topics import Topic

API_PREFIX = "/api/v1"
HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
Capability = Literal["database", "publish_events", "post_to_connections", "token_signing_key"]


@dataclass(frozen=True)
class RestRoute:
    method: HttpMethod
    path: str
    authorized: bool = True


@dataclass(frozen=True)
class KafkaSource:
    topic: Topic
    batch_size: int = 50
    batching_window_seconds: int = 0
    maximum_retry_attempts: int = 3
    starting_position: Literal["LATEST", "TRIM_HORIZON"] = "TRIM_HORIZON"


@dataclass(frozen=True)
class Schedule:
    rate_minutes: int


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    handler: str
    description: str
    rest_routes: tuple[RestRoute, ...] = ()
    websocket_routes: tuple[str, ...] = ()
    kafka_sources: tuple[KafkaSource, ...] = ()
    schedule: Schedule | None = None
    capabilities: frozenset[Capability] = field(default_factory=frozenset)
    timeout_seconds: int = 10
    memory_mb: int = 512
    reserved_concurrency: int | None = None
    #: a folder with a Dockerfile: on AWS a container-image function built from it (the sandbox);
    #: the local cloud runs the same handler in a worker process
    image_directory: str | None = None

    @property
    def module(self) -> str:
        return self.handler.rpartition(".")[0]


def _api(method: HttpMethod, path: str, *, authorized: bool = True) -> RestRoute:
    return RestRoute(method, f"{API_PREFIX}{path}", authorized)


AUTHORIZER = FunctionSpec(
    name="authorizer",
    handler="functions.authorizer.handler.lambda_handler",
    description="Verifies access tokens for the REST API and the WebSocket $connect route",
    capabilities=frozenset({"token_signing_key"}),
    timeout_seconds=5,
    memory_mb=256,
)

FUNCTIONS: tuple[FunctionSpec, ...] = (
    FunctionSpec(
        name="health",
        handler="functions.health.handler.lambda_handler",
        description="Readiness of the API and its dependencies",
        rest_routes=(RestRoute("GET", "/health", authorized=False),),
        capabilities=frozenset({"database", "publish_events"}),
        timeout_seconds=5,
        memory_mb=256,
    ),
    FunctionSpec(
        name="auth_api",
        handler="functions.auth_api.handler.lambda_handler",
        description="Registration, login and the current user",
        rest_routes=(
            _api("POST", "/auth/register", authorized=False),
            _api("POST", "/auth/login", authorized=False),
            _api("GET", "/auth/me"),
        ),
        capabilities=frozenset({"database", "token_signing_key"}),
    ),
    FunctionSpec(
        name="tutor_api",
        handler="functions.tutor_api.handler.lambda_handler",
        description="Accepts students' questions, triages them and reports their status",
        rest_routes=(_api("POST", "/query"), _api("GET", "/requests/{request_id}")),
        capabilities=frozenset({"database", "publish_events"}),
    ),
    FunctionSpec(
        name="concepts_api",
        handler="functions.concepts_api.handler.lambda_handler",
        description="Explains a Python concept at the student's level",
        rest_routes=(_api("POST", "/concepts/explain"),),
        capabilities=frozenset({"database"}),
    ),
    FunctionSpec(
        name="ws_connect",
        handler="functions.ws_connect.handler.lambda_handler",
        description="Registers a student's WebSocket connection",
        websocket_routes=("$connect",),
        capabilities=frozenset({"database"}),
        timeout_seconds=5,
        memory_mb=256,
    ),
    FunctionSpec(
        name="ws_disconnect",
        handler="functions.ws_disconnect.handler.lambda_handler",
        description="Forgets a closed WebSocket connection",
        websocket_routes=("$disconnect",),
        capabilities=frozenset({"database"}),
        timeout_seconds=5,
        memory_mb=256,
    ),
    FunctionSpec(
        name="ws_messages",
        handler="functions.ws_messages.handler.lambda_handler",
        description="Answers messages students send over the WebSocket (query, ping)",
        websocket_routes=("query", "ping", "$default"),
        capabilities=frozenset({"database", "publish_events", "post_to_connections"}),
    ),
    FunctionSpec(
        name="concepts_agent",
        handler="functions.concepts_agent.handler.lambda_handler",
        description="Answers questions triaged as concepts with an explanation",
        kafka_sources=(KafkaSource(Topic.CONCEPTS_REQUESTS),),
        capabilities=frozenset({"database", "publish_events"}),
        timeout_seconds=30,
    ),
    FunctionSpec(
        name="response_relay",
        handler="functions.response_relay.handler.lambda_handler",
        description="Pushes answers to every WebSocket connection of their student",
        kafka_sources=(KafkaSource(Topic.LEARNING_RESPONSES, batch_size=100),),
        capabilities=frozenset({"database", "post_to_connections"}),
        timeout_seconds=30,
    ),
    FunctionSpec(
        name="outbox_relay",
        handler="functions.outbox_relay.handler.lambda_handler",
        description="Publishes events left in the outbox, e.g. while the broker was unreachable",
        schedule=Schedule(rate_minutes=1),
        capabilities=frozenset({"database", "publish_events"}),
        timeout_seconds=60,
        reserved_concurrency=1,
    ),
)

ALL_FUNCTIONS: tuple[FunctionSpec, ...] = (AUTHORIZER, *FUNCTIONS)


def function_named(name: str) -> FunctionSpec:
    for spec in ALL_FUNCTIONS:
        if spec.name == name:
            return spec
    raise KeyError(f"no function named {name!r}; `learnflow functions` lists them")
