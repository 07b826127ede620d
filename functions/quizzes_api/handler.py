"""GET /quizzes?topic= (questions without answers) and POST /quizzes/{quiz_id}/attempts (graded here)."""

from datetime import UTC, datetime
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.identity import Identity, identity_from_authorizer
from learnflow.api.rest import correlation_id_of, resolve, rest_app
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


@app.get("/api/v1/quizzes")
def list_quizzes(topic: Annotated[str | None, Query(max_length=100)] = None) -> dict[str, Any]:
    _caller()
    return {"items": [quiz.public() for quiz in quizzes.quizzes_on(topic)]}


@app.post("/api/v1/quizzes/<quiz_id>/attempts")
def attempt(quiz_id: str, body: Annotated[AttemptBody, Body()]) -> Response[dict[str, Any]]:
    caller = _caller()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        taken = quizzes.attempt(uow.quizzes, uow, caller, quiz_id, list(body.answers), datetime.now(UTC))
    logger.info("quiz attempted", extra={"quiz_id": taken.quiz.id, "score": taken.graded.score})
    return Response(HTTPStatus.CREATED.value, content_types.APPLICATION_JSON, taken.public())


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
