"""Exercises: teachers create them (checked against their own tests), students get hints and submit."""

from datetime import UTC, datetime
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.bodies import CODE_LIMIT
from learnflow.api.identity import Identity, identity_from_authorizer
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.dependencies import database, sandbox_for
from learnflow.domain import exercises
from learnflow.domain.struggle import record_passing_run
from learnflow.observability import count, logger
from learnflow.settings import DatabaseSettings, KafkaSettings, SandboxSettings, cached_settings


class ExercisesApiSettings(DatabaseSettings, KafkaSettings, SandboxSettings):
    pass


class SubmitBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=CODE_LIMIT)


settings = cached_settings(ExercisesApiSettings)
app = rest_app()


def _caller() -> Identity:
    return identity_from_authorizer(app.current_event.request_context.authorizer.raw_event)


@app.post("/api/v1/exercises")
def create(body: Annotated[exercises.ExerciseContent, Body()]) -> Response[dict[str, Any]]:
    caller = _caller()
    caller.require_role("teacher")
    correlation_id = correlation_id_of(app)
    with database(settings).transaction(correlation_id) as uow:
        exercises.ensure_slug_free(uow.exercises, body.slug)
    # the tests run outside any transaction: no connection is held while the sandbox works
    exercises.check_solution(sandbox_for(settings), body)
    exercise = exercises.new_exercise(body, author_id=caller.user_id)
    with database(settings).transaction(correlation_id) as uow:
        exercises.store_new(uow.exercises, exercise)
    logger.info("exercise created", extra={"exercise_id": exercise.id, "slug": exercise.slug})
    created = exercises.view(exercise, user_id=caller.user_id, role=caller.role, revealed=0)
    return Response(HTTPStatus.CREATED.value, content_types.APPLICATION_JSON, {"exercise": created})


@app.get("/api/v1/exercises/<exercise_id>")
def show(exercise_id: str) -> dict[str, Any]:
    caller = _caller()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        store = uow.exercises
        exercise = exercises.find(store, exercise_id)
        revealed = store.hints_revealed(exercise.id, caller.user_id)
    return {"exercise": exercises.view(exercise, user_id=caller.user_id, role=caller.role, revealed=revealed)}


@app.post("/api/v1/exercises/<exercise_id>/hints/next")
def next_hint(exercise_id: str) -> dict[str, Any]:
    caller = _caller()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        store = uow.exercises
        exercise = exercises.find(store, exercise_id)
        return exercises.next_hint(store, exercise, user_id=caller.user_id, role=caller.role)


@app.post("/api/v1/exercises/<exercise_id>/submit")
def submit(exercise_id: str, body: Annotated[SubmitBody, Body()]) -> dict[str, Any]:
    caller = _caller()
    caller.require_role("student")
    correlation_id = correlation_id_of(app)
    with database(settings).transaction(correlation_id) as uow:
        exercise = exercises.find(uow.exercises, exercise_id)
    submission = exercises.grade_submission(
        sandbox_for(settings), exercise, user_id=caller.user_id, code=body.code
    )
    with database(settings).transaction(correlation_id) as uow:
        exercises.record_submission(uow.exercises, uow, exercise, submission)
        struggle = uow.struggle
        if submission.result.status == "passed":  # passing the tests ends the student's struggle episodes
            record_passing_run(struggle, caller.user_id, datetime.now(UTC))
    count("SubmissionsGraded", result=submission.result.status)
    struggle.emit()
    logger.info(
        "submission graded",
        extra={"exercise_id": exercise.id, "submission_id": submission.id, "score": submission.result.score},
    )
    return exercises.submission_body(submission)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
