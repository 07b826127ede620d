"""POST /debug/analyze: a student's error explained in three hints; code alone is run in the sandbox."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.bodies import CODE_LIMIT
from learnflow.api.identity import identity_from_authorizer
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.dependencies import database, optional_sandbox
from learnflow.domain.debugging import analyze
from learnflow.domain.debugging.service import payload_of, record_outcome
from learnflow.domain.ports import Sandbox
from learnflow.observability import logger
from learnflow.settings import (
    DatabaseSettings,
    KafkaSettings,
    SandboxSettings,
    StruggleSettings,
    cached_settings,
)

ERROR_LIMIT = 16384
STDIN_LIMIT = 64 * 1024


class DebugApiSettings(DatabaseSettings, KafkaSettings, SandboxSettings, StruggleSettings):
    pass


settings = cached_settings(DebugApiSettings)
app = rest_app()


class AnalyzeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=CODE_LIMIT)
    error: str | None = Field(default=None, max_length=ERROR_LIMIT)
    #: input for the run when the code is run in the sandbox (a sample is used when absent)
    stdin: str | None = Field(default=None, max_length=STDIN_LIMIT)


def runner() -> Sandbox | None:
    """The sandbox; without it the analysis still reads pastes, compiles and checks the code."""
    return optional_sandbox(settings, without_it="code is analysed without running it")


@app.post("/api/v1/debug/analyze")
def analyze_error(body: Annotated[AnalyzeBody, Body()]) -> dict[str, Any]:
    caller = identity_from_authorizer(app.current_event.request_context.authorizer.raw_event)
    analysis = analyze(body.code, body.error, runner(), body.stdin)
    if caller.role == "student":
        with database(settings).transaction(correlation_id_of(app)) as uow:
            struggle = uow.struggle
            record_outcome(
                struggle, uow, settings.struggle_policy(), user_id=caller.user_id, analysis=analysis
            )
        struggle.emit()
    logger.info(
        "error analysed",
        extra={
            "error_type": analysis.error_type,
            "situation": analysis.situation,
            "found_by": analysis.found_by,
        },
    )
    return payload_of(analysis)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
