"""POST /exercises/generate: a new exercise for the student, at the difficulty their mastery calls for."""

from functools import cache
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.identity import identity_from_authorizer
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.dependencies import database, sandbox_for
from learnflow.domain.exercise_assignment import drafted, hand_out, plan_exercise
from learnflow.domain.exercise_bank import Difficulty
from learnflow.domain.ports import TutorEngine
from learnflow.llm import LlmSettings, engine_with_sandbox
from learnflow.observability import logger, metrics
from learnflow.settings import DatabaseSettings, KafkaSettings, SandboxSettings, cached_settings


class ExerciseGenerationSettings(DatabaseSettings, KafkaSettings, SandboxSettings, LlmSettings):
    pass


class GenerateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str = Field(min_length=1, max_length=200)
    difficulty: Difficulty | None = None


settings = cached_settings(ExerciseGenerationSettings)
app = rest_app()


@cache
def engine() -> TutorEngine:
    return engine_with_sandbox(settings, lambda: sandbox_for(settings))


@app.post("/api/v1/exercises/generate")
def generate(body: Annotated[GenerateBody, Body()]) -> Response[dict[str, Any]]:
    caller = identity_from_authorizer(app.current_event.request_context.authorizer.raw_event)
    caller.require_role("student")
    db = database(settings)
    with db.transaction(correlation_id_of(app)) as uow:
        context = uow.student_context.context_of(caller.user_id)
        request = plan_exercise(
            uow.assignments,
            context,
            user_id=caller.user_id,
            topic=body.topic,
            difficulty=body.difficulty,
        )
    # no connection is held while an LLM writes the exercise and the sandbox checks it
    draft = drafted(engine(), request)
    with db.transaction(correlation_id_of(app)) as uow:
        exercise = hand_out(
            uow,
            uow.exercises,
            uow.assignments,
            draft,
            user_id=caller.user_id,
        )
    logger.info(
        "exercise generated",
        extra={"exercise_id": exercise["id"], "topic": exercise["topic"], "source": exercise["source"]},
    )
    return Response(HTTPStatus.CREATED.value, content_types.APPLICATION_JSON, {"exercise": exercise})


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
