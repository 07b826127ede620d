"""POST /query (ask a tutor) and GET /requests/{request_id} (its status and answer)."""

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.utilities.typing import LambdaContext

from learnflow.api.bodies import QuestionBody
from learnflow.api.identity import Identity, identity_from_authorizer
from learnflow.api.openapi import SIGNED_IN, Tag, errors, link, success
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.api.schemas.concepts import CONCEPT_EXPLANATION_EXAMPLE
from learnflow.api.schemas.tutoring import REQUEST_ID_EXAMPLE, QueuedQuestion, TutorRequestState
from learnflow.dependencies import database, triage_second_opinion
from learnflow.domain import tutoring
from learnflow.domain.models import TutorRequest
from learnflow.domain.triage import Triage, cached_context
from learnflow.llm.budget import spending_for
from learnflow.llm.settings import LlmSettings
from learnflow.observability import count, logger, observe
from learnflow.settings import DatabaseSettings, KafkaSettings, cached_settings


class TutorApiSettings(DatabaseSettings, KafkaSettings, LlmSettings):
    pass


settings = cached_settings(TutorApiSettings)
app = rest_app()


def _caller() -> Identity:
    return identity_from_authorizer(app.current_event.request_context.authorizer.raw_event)


def _llm_triage(student: str, body: QuestionBody, correlation_id: str) -> Triage | None:
    """The LLM's routing when the offline triage is unsure; outside any transaction (an LLM's time)."""
    second_opinion = triage_second_opinion(settings, settings)
    if second_opinion is None:
        return None
    with database(settings).transaction(correlation_id) as uow:
        context = cached_context(uow.student_context, student)
    with spending_for(student):
        return tutoring.route(
            body.question, body.code, body.error, context, second_opinion, settings.llm_triage_below
        )


def accepted(request: TutorRequest) -> dict[str, Any]:
    return {
        "request_id": request.id,
        "intent": request.intent,
        "confidence": request.confidence,
        "status": "queued",
    }


#: ids are UUIDs; the document says so, and any other text reads as a missing request (404, not 422)
UUID = {"format": "uuid"}
QUEUED_EXAMPLE = {
    "request_id": REQUEST_ID_EXAMPLE,
    "intent": "debug",
    "confidence": 0.912,
    "status": "queued",
}


@app.post(
    "/api/v1/query",
    operation_id="ask_tutor",
    summary="Ask the AI tutor a question",
    description=(
        "A student asks a question, with the code and the error it is about when there are some; other"
        " roles are 403. The question is triaged to one tutor agent (concepts, debug, code_review, exercise"
        " or progress), stored and queued for it. The answer arrives on every WebSocket of the student as a"
        " `response` message, and at GET /requests/{request_id}. A question too vague to route gets a"
        " question back as its answer at once."
    ),
    tags=[Tag.TUTOR],
    responses={
        **success(
            QueuedQuestion,
            "The question, triaged and queued for its agent",
            status=202,
            example=QUEUED_EXAMPLE,
            links={
                "GetTutorRequest": link(
                    "get_tutor_request",
                    "The question's status, and its answer once there is one",
                    request_id="$response.body#/request_id",
                ),
            },
        ),
        **errors(400, 401, 403, 413, 422, 429, 503),
    },
    security=SIGNED_IN,
)
def ask(body: Annotated[QuestionBody, Body()]) -> Response[dict[str, Any]]:
    caller = _caller()
    caller.require_role("student")
    triage = _llm_triage(caller.user_id, body, correlation_id_of(app))
    with database(settings).transaction(correlation_id_of(app)) as uow:
        request = tutoring.ask(
            uow,
            user_id=caller.user_id,
            question=body.question,
            code=body.code,
            error=body.error,
            context_source=uow.student_context,
            triage=triage,
        )
    count("QuestionsAsked", intent=request.intent, channel="rest")
    observe("TriageConfidence", request.confidence, intent=request.intent)
    logger.info(
        "question accepted",
        extra={"request_id": request.id, "intent": request.intent, "confidence": request.confidence},
    )
    return Response(HTTPStatus.ACCEPTED.value, content_types.APPLICATION_JSON, accepted(request))


@app.get(
    "/api/v1/requests/<request_id>",
    operation_id="get_tutor_request",
    summary="Get a question's status and answer",
    description=(
        "The student who asked reads their question's status and, once an agent answered, the answer (the"
        " same data the WebSocket's `response` message carried). Anyone else's question, or an id that"
        " names none, is 404."
    ),
    tags=[Tag.TUTOR],
    responses={
        **success(
            TutorRequestState,
            "The question's status, with its answer once there is one",
            example={
                "request_id": REQUEST_ID_EXAMPLE,
                "status": "done",
                "intent": "concepts",
                "response": CONCEPT_EXPLANATION_EXAMPLE,
            },
        ),
        **errors(401, 404, 429, 503),
    },
    security=SIGNED_IN,
)
def status(
    request_id: Annotated[
        str,
        Path(
            description="The id POST /query answered (a UUID; any other text is 404)", json_schema_extra=UUID
        ),
    ],
) -> dict[str, Any]:
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
