"""POST /query (ask a tutor) and GET /requests/{request_id} (its status and answer)."""

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext

from learnflow.api.bodies import QuestionBody
from learnflow.api.identity import Identity, identity_from_authorizer
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.dependencies import database
from learnflow.domain import tutoring
from learnflow.domain.models import TutorRequest
from learnflow.observability import count, logger, observe
from learnflow.settings import DatabaseSettings, KafkaSettings, cached_settings


class TutorApiSettings(DatabaseSettings, KafkaSettings):
    pass


settings = cached_settings(TutorApiSettings)
app = rest_app()


def _caller() -> Identity:
    return identity_from_authorizer(app.current_event.request_context.authorizer.raw_event)


def accepted(request: TutorRequest) -> dict[str, Any]:
    return {
        "request_id": request.id,
        "intent": request.intent,
        "confidence": request.confidence,
        "status": "queued",
    }


@app.post("/api/v1/query")
def ask(body: Annotated[QuestionBody, Body()]) -> Response[dict[str, Any]]:
    caller = _caller()
    caller.require_role("student")
    with database(settings).transaction(correlation_id_of(app)) as uow:
        request = tutoring.ask(
            uow,
            user_id=caller.user_id,
            question=body.question,
            code=body.code,
            error=body.error,
            context_source=uow.student_context,
        )
    count("QuestionsAsked", intent=request.intent, channel="rest")
    observe("TriageConfidence", request.confidence, intent=request.intent)
    logger.info(
        "question accepted",
        extra={"request_id": request.id, "intent": request.intent, "confidence": request.confidence},
    )
    return Response(HTTPStatus.ACCEPTED.value, content_types.APPLICATION_JSON, accepted(request))


@app.get("/api/v1/requests/<request_id>")
def status(request_id: str) -> dict[str, Any]:
    caller = _caller()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        request = tutoring.request_of(uow, user_id=caller.user_id, request_id=request_id)
    body: dict[str, Any] = {"request_id": request.id, "status": request.status, "intent": request.intent}
    if request.response is not None:
        body["response"] = request.response
    return body


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
