"""POST /execute: a student's program run in the sandbox; the result also goes to their WebSockets."""

from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.bodies import CODE_LIMIT
from learnflow.api.identity import identity_from_authorizer
from learnflow.api.openapi import SIGNED_IN, Tag, errors, success
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.api.schemas.execution import PROGRAM_RUN_EXAMPLE, ProgramRun
from learnflow.dependencies import database, sandbox_for
from learnflow.domain import execution
from learnflow.domain.struggle import record_passing_run
from learnflow.observability import count, logger
from learnflow.settings import DatabaseSettings, KafkaSettings, SandboxSettings, cached_settings

STDIN_LIMIT = 64 * 1024


class ExecuteApiSettings(DatabaseSettings, KafkaSettings, SandboxSettings):
    pass


class ExecuteBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        min_length=1,
        max_length=CODE_LIMIT,
        description="The program, Python 3.12; at most 64 KiB",
        examples=["name = input()\nprint(f'hello {name}')"],
    )
    stdin: str | None = Field(
        default=None,
        max_length=STDIN_LIMIT,
        description="What the program reads from standard input; none when left out. At most 64 KiB",
        examples=["Ada\n"],
    )


settings = cached_settings(ExecuteApiSettings)
app = rest_app()


@app.post(
    "/api/v1/execute",
    operation_id="execute_program",
    summary="Run a program in the sandbox",
    description=(
        "Any signed-in user runs a Python program in the sandbox: no network, at most 5 seconds, 50 MB"
        " of memory and 64 KB of output. The answer says how it ended and what it printed; a program"
        " that fails is still a 200 (status error, timeout, memory_limit, output_limit or blocked, with"
        " a `message` for the student). The same result is pushed to the user's WebSockets as"
        ' `{"type": "execution", ...}`. A clean run ends the student\'s struggle episodes.'
    ),
    tags=[Tag.CODE],
    responses={
        **success(ProgramRun, "How the program ended and what it printed", example=PROGRAM_RUN_EXAMPLE),
        **errors(400, 401, 413, 422, 429, 503),
    },
    security=SIGNED_IN,
)
def execute(body: Annotated[ExecuteBody, Body()]) -> dict[str, Any]:
    caller = identity_from_authorizer(app.current_event.request_context.authorizer.raw_event)
    execution_id, result = execution.run_program(
        sandbox_for(settings), code=body.code, stdin=body.stdin or ""
    )
    db, correlation_id = database(settings), correlation_id_of(app)
    count("ProgramsRun", status=result.status)
    if result.status == "ok":  # a program that runs cleanly ends the student's struggle episodes
        with db.transaction(correlation_id) as uow:
            struggle = uow.struggle
            record_passing_run(struggle, caller.user_id, datetime.now(UTC))
        struggle.emit()
    # the result is no change of ours: it goes straight to Kafka, the outbox only if the broker is down
    execution.announce(
        db.direct_events(correlation_id), user_id=caller.user_id, execution_id=execution_id, result=result
    )
    logger.info(
        "program run",
        extra={"execution_id": execution_id, "status": result.status, "duration_ms": result.duration_ms},
    )
    return execution.execution_body(execution_id, result)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
