"""POST /debug/analyze: a student's error explained in three hints; code alone is run in the sandbox."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.bodies import CODE_LIMIT
from learnflow.api.identity import identity_from_authorizer
from learnflow.api.openapi import SIGNED_IN, Tag, errors, success
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.api.schemas.debugging import ERROR_ANALYSIS_EXAMPLE, ErrorAnalysis
from learnflow.dependencies import database, hint_writer, optional_sandbox
from learnflow.domain.debugging import analyze
from learnflow.domain.debugging.service import payload_of, record_outcome
from learnflow.domain.guardrails.written_hints import written
from learnflow.domain.ports import Sandbox
from learnflow.llm.budget import spending_for
from learnflow.llm.settings import LlmSettings
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


class DebugApiSettings(DatabaseSettings, KafkaSettings, SandboxSettings, StruggleSettings, LlmSettings):
    pass


settings = cached_settings(DebugApiSettings)
app = rest_app()


class AnalyzeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        min_length=1,
        max_length=CODE_LIMIT,
        description="The program that fails; at most 64 KiB",
        examples=["total = 10\nprint(totl)\n"],
    )
    error: str | None = Field(
        default=None,
        max_length=ERROR_LIMIT,
        description=(
            "The error or traceback the student saw, at most 16 KiB; when left out, the code is run in"
            " the sandbox to get one"
        ),
        examples=["NameError: name 'totl' is not defined"],
    )
    stdin: str | None = Field(
        default=None,
        max_length=STDIN_LIMIT,
        description=(
            "Input for the run when the code is run in the sandbox; when left out, a sample (a number on"
            " each line) is given to code that reads input. At most 64 KiB"
        ),
        examples=["3\n"],
    )


def runner() -> Sandbox | None:
    """The sandbox; without it the analysis still reads pastes, compiles and checks the code."""
    return optional_sandbox(settings, without_it="code is analysed without running it")


@app.post(
    "/api/v1/debug/analyze",
    operation_id="analyze_error",
    summary="Explain an error in three hints",
    description=(
        "Any signed-in user sends code, with the error it gave when they have it. The error is read from"
        " the traceback given, else from the compiler, else from a run in the sandbox; it is explained in"
        " three hints, each saying more, and a proposed fix is run to check it. Code that runs cleanly"
        " answers `error_type: null`, with hints when a logic problem is found. Without the sandbox the"
        " code is still compiled and checked. A student's error counts toward struggle detection (the"
        " same error again and again alerts them and their teachers); a clean run ends their episodes."
    ),
    tags=[Tag.DEBUGGING],
    responses={
        **success(ErrorAnalysis, "The error, located and explained", example=ERROR_ANALYSIS_EXAMPLE),
        **errors(400, 401, 413, 422, 429, 503),
    },
    security=SIGNED_IN,
)
def analyze_error(body: Annotated[AnalyzeBody, Body()]) -> dict[str, Any]:
    caller = identity_from_authorizer(app.current_event.request_context.authorizer.raw_event)
    analysis = analyze(body.code, body.error, runner(), body.stdin)
    writer = hint_writer(settings, settings)
    if writer is not None:
        with spending_for(caller.user_id):
            analysis = written(analysis, writer, body.code, body.error or "")
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
