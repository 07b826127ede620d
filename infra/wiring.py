"""The one declaration of LearnFlow's wiring.

Which function serves which REST route, WebSocket route, Kafka topic or schedule, with which
timeout, memory and concurrency. The CDK app and the local cloud are both built from it.
"""

from dataclasses import dataclass, field
from typing import Literal

from learnflow.events.topics import Topic

API_PREFIX = "/api/v1"
HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
# run_sandbox: on AWS, SANDBOX_FUNCTION_NAME and the right to invoke the image function (the sandbox)
Capability = Literal[
    "database", "publish_events", "post_to_connections", "token_signing_key", "run_sandbox", "llm_api_key"
]


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
        capabilities=frozenset({"database", "publish_events", "run_sandbox"}),
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
            _api("POST", "/auth/refresh", authorized=False),
            _api("POST", "/auth/logout"),
            _api("GET", "/auth/me"),
            _api("PATCH", "/auth/me"),
        ),
        capabilities=frozenset({"database", "token_signing_key"}),
    ),
    FunctionSpec(
        name="classes_api",
        handler="functions.classes_api.handler.lambda_handler",
        description="Teachers open classes; students join them with a code",
        rest_routes=(
            _api("POST", "/classes"),
            _api("POST", "/classes/join"),
            _api("GET", "/classes/{class_id}"),
        ),
        # a student who joins shows on the teacher's class page at once
        capabilities=frozenset({"database", "post_to_connections"}),
    ),
    FunctionSpec(
        name="tutor_api",
        handler="functions.tutor_api.handler.lambda_handler",
        description="Accepts students' questions, triages them and reports their status",
        rest_routes=(_api("POST", "/query"), _api("GET", "/requests/{request_id}")),
        capabilities=frozenset({"database", "publish_events", "llm_api_key"}),
    ),
    FunctionSpec(
        name="concepts_api",
        handler="functions.concepts_api.handler.lambda_handler",
        description="Explains a Python concept at the student's level",
        rest_routes=(_api("POST", "/concepts/explain"),),
        capabilities=frozenset({"database", "run_sandbox", "llm_api_key"}),
        # an LLM answer may take its whole budget (20 s) and its examples are run in the sandbox
        timeout_seconds=28,
        memory_mb=1024,
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
        capabilities=frozenset({"database", "publish_events", "post_to_connections", "llm_api_key"}),
    ),
    FunctionSpec(
        name="concepts_agent",
        handler="functions.concepts_agent.handler.lambda_handler",
        description="Answers questions triaged as concepts with an explanation",
        kafka_sources=(KafkaSource(Topic.CONCEPTS_REQUESTS),),
        # post_to_connections: an LLM explanation streams to the student's sockets while it is written
        capabilities=frozenset(
            {"database", "publish_events", "post_to_connections", "run_sandbox", "llm_api_key"}
        ),
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
    FunctionSpec(
        name="progress_api",
        handler="functions.progress_api.handler.lambda_handler",
        description="A student's mastery, its components explained, streaks and recent history",
        rest_routes=(_api("GET", "/progress/{user_id}"),),
        capabilities=frozenset({"database"}),
    ),
    FunctionSpec(
        name="llm_usage_api",
        handler="functions.llm_usage_api.handler.lambda_handler",
        description="For admins: the LLM tokens spent per user and in all on a day, beside the daily budgets",
        rest_routes=(_api("GET", "/admin/llm-usage"),),
        capabilities=frozenset({"database"}),
    ),
    FunctionSpec(
        name="quizzes_api",
        handler="functions.quizzes_api.handler.lambda_handler",
        description="Quizzes of the offline bank (without answers) and attempts graded on the server",
        rest_routes=(_api("GET", "/quizzes"), _api("POST", "/quizzes/{quiz_id}/attempts")),
        capabilities=frozenset({"database", "publish_events"}),
    ),
    FunctionSpec(
        name="notifications_api",
        handler="functions.notifications_api.handler.lambda_handler",
        description="A user's notifications, marking one read, and teachers' and admins' messages",
        # API Gateway allows one path variable per level: {id} is the user id in the GET and the
        # notification id in /read (the contract's {user_id} and {id})
        rest_routes=(
            _api("GET", "/notifications/{id}"),
            _api("POST", "/notifications/{id}/read"),
            _api("POST", "/notifications/send"),
        ),
        capabilities=frozenset({"database", "post_to_connections"}),
    ),
    FunctionSpec(
        name="progress_consumer",
        handler="functions.progress_consumer.handler.lambda_handler",
        description="Applies progress events once each: mastery, activity, streaks, level-ups, live pushes",
        kafka_sources=(KafkaSource(Topic.PROGRESS_EVENTS, batch_size=100),),
        capabilities=frozenset({"database", "post_to_connections"}),
        timeout_seconds=30,
    ),
    FunctionSpec(
        name="notifications_consumer",
        handler="functions.notifications_consumer.handler.lambda_handler",
        description="Alerts a struggling student and each of their teachers, stored and pushed live",
        kafka_sources=(KafkaSource(Topic.STRUGGLE_DETECTED),),
        capabilities=frozenset({"database", "post_to_connections"}),
        timeout_seconds=30,
    ),
    FunctionSpec(
        name="sandbox",
        handler="sandbox_image.handler.lambda_handler",
        description="Runs untrusted Python under layered isolation; no network, no secrets, no capabilities",
        timeout_seconds=20,
        memory_mb=1024,
        image_directory="sandbox_image",
        # every run needs one: at least what execute_api (20) and the graders can ask at once
        reserved_concurrency=40,
    ),
    FunctionSpec(
        name="execute_api",
        handler="functions.execute_api.handler.lambda_handler",
        description="Runs a student's program in the sandbox and pushes the result to their WebSockets",
        rest_routes=(_api("POST", "/execute"),),
        capabilities=frozenset({"database", "publish_events", "run_sandbox"}),
        timeout_seconds=20,
        memory_mb=1024,
        reserved_concurrency=20,
    ),
    FunctionSpec(
        name="exercises_api",
        handler="functions.exercises_api.handler.lambda_handler",
        description="Teachers' exercises checked against their own tests; hints; graded submissions",
        rest_routes=(
            _api("POST", "/exercises"),
            _api("GET", "/exercises/{exercise_id}"),
            _api("POST", "/exercises/{exercise_id}/hints/next"),
            _api("POST", "/exercises/{exercise_id}/submit"),
        ),
        capabilities=frozenset({"database", "publish_events", "run_sandbox"}),
        timeout_seconds=20,
        memory_mb=1024,
    ),
    FunctionSpec(
        name="learning_agent",
        handler="functions.learning_agent.handler.lambda_handler",
        description="Answers questions triaged as exercise (a new exercise) or progress (a summary)",
        kafka_sources=(KafkaSource(Topic.LEARNING_REQUESTS),),
        capabilities=frozenset({"database", "publish_events", "run_sandbox", "llm_api_key"}),
        timeout_seconds=30,
        memory_mb=1024,
    ),
    FunctionSpec(
        name="exercise_generation_api",
        handler="functions.exercise_generation_api.handler.lambda_handler",
        description="A new exercise for a student: from the bank, or generated and checked in the sandbox",
        rest_routes=(_api("POST", "/exercises/generate"),),
        capabilities=frozenset({"database", "publish_events", "run_sandbox", "llm_api_key"}),
        timeout_seconds=28,
        memory_mb=1024,
    ),
    FunctionSpec(
        name="debug_api",
        handler="functions.debug_api.handler.lambda_handler",
        description="Explains a student's error in three hints; code alone is run in the sandbox first",
        rest_routes=(_api("POST", "/debug/analyze"),),
        capabilities=frozenset({"database", "publish_events", "run_sandbox", "llm_api_key"}),
        timeout_seconds=20,
        memory_mb=1024,
    ),
    FunctionSpec(
        name="debug_agent",
        handler="functions.debug_agent.handler.lambda_handler",
        description="Answers questions triaged as debug; records errors and detects struggling students",
        kafka_sources=(KafkaSource(Topic.DEBUG_REQUESTS),),
        capabilities=frozenset({"database", "publish_events", "run_sandbox", "llm_api_key"}),
        timeout_seconds=30,
        memory_mb=1024,
    ),
    FunctionSpec(
        name="review_api",
        handler="functions.review_api.handler.lambda_handler",
        description="Reviews code: ruff and pylint findings, complexity, a 0-100 score, checked suggestions",
        rest_routes=(_api("POST", "/review/analyze"),),
        capabilities=frozenset({"database", "publish_events", "run_sandbox", "llm_api_key"}),
        timeout_seconds=20,
        memory_mb=1024,
    ),
    FunctionSpec(
        name="review_agent",
        handler="functions.review_agent.handler.lambda_handler",
        description="Reviews submitted code, stores its quality score, answers code-review questions",
        kafka_sources=(KafkaSource(Topic.CODE_SUBMISSIONS),),
        capabilities=frozenset({"database", "publish_events", "run_sandbox", "llm_api_key"}),
        timeout_seconds=30,
        memory_mb=1024,
    ),
)

ALL_FUNCTIONS: tuple[FunctionSpec, ...] = (AUTHORIZER, *FUNCTIONS)


def function_named(name: str) -> FunctionSpec:
    for spec in ALL_FUNCTIONS:
        if spec.name == name:
            return spec
    raise KeyError(f"no function named {name!r}; `learnflow functions` lists them")
