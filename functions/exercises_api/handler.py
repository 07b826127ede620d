"""Exercises: teachers create them (checked against their own tests), students get hints and submit."""

from datetime import UTC, datetime
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.bodies import CODE_LIMIT
from learnflow.api.identity import Identity, identity_from_authorizer
from learnflow.api.openapi import SIGNED_IN, Tag, errors, link, success
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.api.schemas.exercises import (
    AUTHOR_VIEW_EXAMPLE,
    LEAP_HINTS_EXAMPLE,
    STUDENT_VIEW_EXAMPLE,
    ExerciseBody,
    GradedSubmission,
    RevealedHint,
)
from learnflow.dependencies import database, sandbox_for
from learnflow.domain import exercises
from learnflow.domain.struggle import record_passing_run
from learnflow.observability import count, logger
from learnflow.settings import DatabaseSettings, KafkaSettings, SandboxSettings, cached_settings


class ExercisesApiSettings(DatabaseSettings, KafkaSettings, SandboxSettings):
    pass


class SubmitBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        min_length=1,
        max_length=CODE_LIMIT,
        description="The student's module (saved as `<module_name>.py` beside the tests); at most 64 KiB",
        examples=[
            "def leap_year(year):\n    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)\n"
        ],
    )


settings = cached_settings(ExercisesApiSettings)
app = rest_app()


def _caller() -> Identity:
    return identity_from_authorizer(app.current_event.request_context.authorizer.raw_event)


#: ids are UUIDs; the document says so, and any other text reads as a missing exercise (404, not 422)
UUID = {"format": "uuid"}
EXERCISE_ID = Path(description="The exercise's id (a UUID; any other text is 404)", json_schema_extra=UUID)
#: the exercise in a response ({"exercise": {...}}), to the operations on it
RESPONSE_EXERCISE_ID = "$response.body#/exercise/id"


@app.post(
    "/api/v1/exercises",
    operation_id="create_exercise",
    summary="Create an exercise",
    description=(
        "A teacher writes an exercise: its description, starter code, reference solution, tests (unittest"
        " or pytest style, importing the student's code as `module_name`) and hints; other roles are 403."
        " The tests are first run against the solution in the sandbox: a solution that fails them is 422,"
        " with each failing test in `details`. A slug already taken is 409. The answer is the exercise as"
        " its author sees it, solution and every hint included."
    ),
    tags=[Tag.EXERCISES],
    responses={
        **success(
            ExerciseBody,
            "The new exercise, as its author sees it",
            status=201,
            example={"exercise": AUTHOR_VIEW_EXAMPLE},
            links={
                "GetExercise": link("get_exercise", "The exercise", exercise_id=RESPONSE_EXERCISE_ID),
                "RevealNextHint": link(
                    "reveal_next_hint", "A student reveals its first hint", exercise_id=RESPONSE_EXERCISE_ID
                ),
                "SubmitSolution": link(
                    "submit_solution", "A student submits a solution", exercise_id=RESPONSE_EXERCISE_ID
                ),
            },
        ),
        **errors(400, 401, 403, 409, 413, 422, 429, 503),
    },
    security=SIGNED_IN,
)
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


@app.get(
    "/api/v1/exercises/<exercise_id>",
    operation_id="get_exercise",
    summary="Get an exercise",
    description=(
        "Any signed-in user reads an exercise. Students get it without the solution and with the hints"
        " they revealed so far; its author and admins also get the solution and every hint."
    ),
    tags=[Tag.EXERCISES],
    responses={
        **success(
            ExerciseBody,
            "The exercise, as the caller may see it",
            example={"exercise": STUDENT_VIEW_EXAMPLE},
            links={
                "RevealNextHint": link(
                    "reveal_next_hint", "Reveal its next hint", exercise_id=RESPONSE_EXERCISE_ID
                ),
                "SubmitSolution": link(
                    "submit_solution", "Submit a solution", exercise_id=RESPONSE_EXERCISE_ID
                ),
            },
        ),
        **errors(401, 404, 429, 503),
    },
    security=SIGNED_IN,
)
def show(exercise_id: Annotated[str, EXERCISE_ID]) -> dict[str, Any]:
    caller = _caller()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        store = uow.exercises
        exercise = exercises.find(store, exercise_id)
        revealed = store.hints_revealed(exercise.id, caller.user_id)
    return {"exercise": exercises.view(exercise, user_id=caller.user_id, role=caller.role, revealed=revealed)}


@app.post(
    "/api/v1/exercises/<exercise_id>/hints/next",
    operation_id="reveal_next_hint",
    summary="Reveal the next hint",
    description=(
        "A student reveals the exercise's next hint; other roles are 403. Hints come one at a time, in"
        " order, and stay revealed for that student. When every hint is revealed, 409."
    ),
    tags=[Tag.EXERCISES],
    responses={
        **success(
            RevealedHint,
            "The hint just revealed",
            example={"hint": {"level": 1, "text": LEAP_HINTS_EXAMPLE[0]}, "hints_left": 2},
        ),
        **errors(401, 403, 404, 409, 429, 503),
    },
    security=SIGNED_IN,
)
def next_hint(exercise_id: Annotated[str, EXERCISE_ID]) -> dict[str, Any]:
    caller = _caller()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        store = uow.exercises
        exercise = exercises.find(store, exercise_id)
        return exercises.next_hint(store, exercise, user_id=caller.user_id, role=caller.role)


@app.post(
    "/api/v1/exercises/<exercise_id>/submit",
    operation_id="submit_solution",
    summary="Submit a solution",
    description=(
        "A student submits their code; other roles are 403. The exercise's tests run against it in the"
        " sandbox and each test's outcome comes back; code that fails is still a 200 (status failed, or"
        " error when it could not be tested). The submission is stored, its score counts toward the"
        " student's progress, and passing every test ends their struggle episodes."
    ),
    tags=[Tag.EXERCISES],
    responses={
        **success(
            GradedSubmission,
            "The submission, graded test by test",
            example={
                "submission_id": "0b9c8d7e-6f5a-4b3c-2d1e-0f9a8b7c6d5e",
                "score": 75,
                "status": "failed",
                "tests": [
                    {
                        "name": "LeapTest.test_year_not_divisible_by_4_in_common_year",
                        "status": "pass",
                        "message": "",
                        "output": "",
                    },
                    {
                        "name": "LeapTest.test_year_divisible_by_100_not_by_400_in_common_year",
                        "status": "fail",
                        "message": "AssertionError: True is not False",
                        "output": "",
                    },
                    {
                        "name": "LeapTest.test_year_divisible_by_400_is_leap_year",
                        "status": "pass",
                        "message": "",
                        "output": "",
                    },
                    {
                        "name": "test_year_divisible_by_4_not_by_100_is_leap_year",
                        "status": "pass",
                        "message": "",
                        "output": "checking 1996\n",
                    },
                ],
                "duration_ms": 183.4,
                "message": None,
            },
        ),
        **errors(400, 401, 403, 404, 413, 422, 429, 503),
    },
    security=SIGNED_IN,
)
def submit(exercise_id: Annotated[str, EXERCISE_ID], body: Annotated[SubmitBody, Body()]) -> dict[str, Any]:
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
