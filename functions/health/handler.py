"""GET /health: 200 when every dependency answers, 503 naming the one that does not."""

from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.utilities.typing import LambdaContext

from learnflow.api.errors import error_body
from learnflow.api.openapi import Tag, errors, success
from learnflow.api.rest import resolve, rest_app
from learnflow.api.schemas.health import DegradedHealth, HealthReport
from learnflow.dependencies import database, publisher, sandbox_for
from learnflow.observability import logger
from learnflow.settings import DatabaseSettings, KafkaSettings, SandboxSettings, cached_settings

#: without these the sandbox does not run code: /execute would refuse, so health says "down"
REQUIRED_SANDBOX_LAYERS = frozenset({"static_check", "audit_hook", "rlimits", "seccomp", "non_dumpable"})


class HealthSettings(DatabaseSettings, KafkaSettings, SandboxSettings):
    pass


settings = cached_settings(HealthSettings)
app = rest_app()


def _check(probe: Any) -> str:
    try:
        probe()
    except Exception as error:  # any failure of a dependency makes it "down"
        logger.warning("health check failed", extra={"error": f"{type(error).__name__}: {error}"})
        return "down"
    return "ok"


def _database_answers() -> None:
    database(settings).check(timeout=2)


def _sandbox_layers() -> list[str]:
    try:
        return sandbox_for(settings).layers()
    except Exception as error:  # a sandbox that cannot start is "down", whatever the reason
        logger.warning("sandbox check failed", extra={"error": f"{type(error).__name__}: {error}"})
        return []


HEALTHY_EXAMPLE = {
    "status": "ok",
    "checks": {"database": "ok", "kafka": "ok", "sandbox": "ok"},
    "sandbox": {
        "layers": [
            "static_check",
            "audit_hook",
            "rlimits",
            "clean_environment",
            "non_dumpable",
            "private_work_dir",
            "seccomp",
        ],
        "namespaces": False,
    },
}
DEGRADED_EXAMPLE = HEALTHY_EXAMPLE | {
    "status": "degraded",
    "checks": {"database": "down", "kafka": "ok", "sandbox": "ok"},
    "error": {"code": "service_unavailable", "message": "A dependency is down: database.", "details": []},
}


@app.get(
    "/health",
    operation_id="get_health",
    summary="Check that LearnFlow is up",
    description=(
        "Anyone, without a token, checks the API's readiness: the database, the Kafka broker and the code"
        " sandbox with its isolation layers. 200 when every dependency answers; 503 naming the ones that"
        " do not, with the error body beside the checks. It changes nothing."
    ),
    tags=[Tag.OPERATIONS],
    responses={
        **success(HealthReport, "Every dependency answers", example=HEALTHY_EXAMPLE),
        **errors(429),
        503: {
            "description": "Service Unavailable: a dependency is down; `checks` and the message name it.",
            "content": {
                "application/json": {
                    "model": DegradedHealth,
                    "examples": {"service_unavailable": {"value": DEGRADED_EXAMPLE}},
                }
            },
        },
    },
)
def health() -> Response[dict[str, Any]]:
    checks = {"database": _check(_database_answers), "kafka": _check(publisher(settings).check)}
    layers = _sandbox_layers()
    checks["sandbox"] = "ok" if set(layers) >= REQUIRED_SANDBOX_LAYERS else "down"
    healthy = all(state == "ok" for state in checks.values())
    status = HTTPStatus.OK if healthy else HTTPStatus.SERVICE_UNAVAILABLE
    body: dict[str, Any] = {"status": "ok" if healthy else "degraded", "checks": checks}
    body["sandbox"] = {"layers": layers, "namespaces": "namespaces" in layers}
    if not healthy:
        down = ", ".join(name for name, state in checks.items() if state != "ok")
        body |= error_body("service_unavailable", f"A dependency is down: {down}.")
    return Response(status_code=status.value, content_type=content_types.APPLICATION_JSON, body=body)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
