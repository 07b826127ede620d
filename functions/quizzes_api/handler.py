"""GET /quizzes?topic= (questions without answers) and POST /quizzes/{quiz_id}/attempts (graded here)."""

from datetime import UTC, datetime
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.identity import Identity, identity_from_authorizer
from learnflow.api.openapi import SIGNED_IN, Tag, errors, link, success
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.api.schemas.quizzes import GradedAttempt, QuizList
from learnflow.dependencies import database
from learnflow.domain import quizzes
from learnflow.observability import logger
from learnflow.settings import DatabaseSettings, KafkaSettings, cached_settings


class QuizzesApiSettings(DatabaseSettings, KafkaSettings):
    pass


settings = cached_settings(QuizzesApiSettings)
app = rest_app()


class AttemptBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: one per question, in order: a choice index (multiple choice) or the printed text (predict the output)
    answers: list[Annotated[int, Field(strict=True)] | Annotated[str, Field(max_length=4096)] | None] = Field(
        max_length=50
    )


def _caller() -> Identity:
    return identity_from_authorizer(app.current_event.request_context.authorizer.raw_event)


#: ids are UUIDs; the document says so, and any other text reads as a missing quiz (404, not 422)
UUID = {"format": "uuid"}


@app.get(
    "/api/v1/quizzes",
    operation_id="list_quizzes",
    summary="List quizzes",
    description=(
        "Any signed-in user lists the quizzes of the offline bank, in curriculum order, optionally of one"
        " topic. Questions come without their answers: an attempt is graded on the server."
    ),
    tags=[Tag.QUIZZES],
    responses={
        **success(
            QuizList,
            "The quizzes, without answers",
            links={
                "AttemptFirstQuiz": link(
                    "attempt_quiz", "Answer the first quiz listed", quiz_id="$response.body#/items/0/id"
                )
            },
        ),
        **errors(401, 422, 429),
    },
    security=SIGNED_IN,
)
def list_quizzes(
    topic: Annotated[
        str | None,
        Query(
            max_length=100,
            description=(
                "A curriculum topic (control-flow), or a concept standing for its topic (for-loops);"
                " left out or blank: every quiz"
            ),
        ),
    ] = None,
) -> dict[str, Any]:
    _caller()
    return {"items": [quiz.public() for quiz in quizzes.quizzes_on(topic)]}


@app.post(
    "/api/v1/quizzes/<quiz_id>/attempts",
    operation_id="attempt_quiz",
    summary="Answer a quiz",
    description=(
        "A student sends one answer per question, in order: a choice's index for multiple choice, the"
        " printed text for predict-the-output, or null to skip (a skipped question is wrong). Other roles"
        " are 403. The attempt is graded, stored and counted toward the student's progress; only now are"
        " the right answers and their explanations shown. A wrong number of answers, or a text where an"
        " index is due, is 422."
    ),
    tags=[Tag.QUIZZES],
    responses={
        **success(GradedAttempt, "The graded attempt, with the right answers", status=201),
        **errors(400, 401, 403, 404, 413, 422, 429, 503),
    },
    security=SIGNED_IN,
)
def attempt(
    quiz_id: Annotated[
        str, Path(description="The quiz's id (a UUID; any other text is 404)", json_schema_extra=UUID)
    ],
    body: Annotated[AttemptBody, Body()],
) -> Response[dict[str, Any]]:
    caller = _caller()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        taken = quizzes.attempt(uow.quizzes, uow, caller, quiz_id, list(body.answers), datetime.now(UTC))
    logger.info("quiz attempted", extra={"quiz_id": taken.quiz.id, "score": taken.graded.score})
    return Response(HTTPStatus.CREATED.value, content_types.APPLICATION_JSON, taken.public())


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
