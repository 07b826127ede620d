"""POST /exercises/generate: a new exercise for the student, at the difficulty their mastery calls for."""

from functools import cache
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.identity import identity_from_authorizer
from learnflow.api.openapi import SIGNED_IN, Tag, errors, link, success
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.api.schemas.exercises import STUDENT_VIEW_EXAMPLE, GeneratedExerciseBody
from learnflow.dependencies import database, sandbox_for, tutor_engine_for
from learnflow.domain.exercise_assignment import drafted, hand_out, plan_exercise
from learnflow.domain.exercise_bank import Difficulty
from learnflow.domain.ports import TutorEngine
from learnflow.llm import LlmSettings
from learnflow.llm.budget import spending_for
from learnflow.observability import logger, metrics
from learnflow.settings import DatabaseSettings, KafkaSettings, SandboxSettings, cached_settings


class ExerciseGenerationSettings(DatabaseSettings, KafkaSettings, SandboxSettings, LlmSettings):
    pass


GENERATED_EXERCISE_ID = "$response.body#/exercise/id"


class GenerateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str = Field(
        min_length=1,
        max_length=200,
        description="A curriculum concept (for loops, list comprehensions) or topic (control-flow)",
        examples=["for loops"],
    )
    difficulty: Difficulty | None = Field(
        default=None,
        description=(
            "When left out, the student's mastery of the topic decides: up to 40 easy, up to 70 medium,"
            " else hard"
        ),
        examples=["easy"],
    )


settings = cached_settings(ExerciseGenerationSettings)
app = rest_app()


@cache
def engine() -> TutorEngine:
    return tutor_engine_for(settings, settings, lambda: sandbox_for(settings))


@app.post(
    "/api/v1/exercises/generate",
    operation_id="generate_exercise",
    summary="Get a new exercise on a topic",
    description=(
        "A student asks for a new exercise on a topic; other roles are 403. Without a difficulty, their"
        " mastery of the topic sets it. The exercise comes from the bank (one they have not passed and,"
        " if possible, were never given), or, with an LLM configured, is written by the LLM and checked"
        " in the sandbox (its solution passes its tests, its starter code does not). It is stored,"
        " recorded as the student's and announced on exercise.generated, and comes without its solution."
        " A topic the curriculum does not have is 404, its `details` naming the closest topics (`{topic}`"
        " objects); one without exercises yet is 404 too."
    ),
    tags=[Tag.EXERCISES],
    responses={
        **success(
            GeneratedExerciseBody,
            "The new exercise, as the student sees it",
            status=201,
            example={
                "exercise": STUDENT_VIEW_EXAMPLE
                | {"slug": "bank-leap", "hints_revealed": [], "source": "offline"}
            },
            links={
                "GetExercise": link("get_exercise", "The exercise", exercise_id=GENERATED_EXERCISE_ID),
                "RevealNextHint": link(
                    "reveal_next_hint", "Reveal its first hint", exercise_id=GENERATED_EXERCISE_ID
                ),
                "SubmitSolution": link(
                    "submit_solution", "Submit a solution", exercise_id=GENERATED_EXERCISE_ID
                ),
            },
        ),
        **errors(400, 401, 403, 404, 413, 422, 429, 503),
    },
    security=SIGNED_IN,
)
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
    with spending_for(caller.user_id):
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
