"""Messages students send over the WebSocket, routed by their `action`: query, ping, anything else."""

import json
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from learnflow.api.bodies import QuestionBody
from learnflow.api.errors import INVALID_FIELDS, error_body
from learnflow.api.nul_text import nul_details
from learnflow.api.websocket import connection_id_of, identity_of, ok
from learnflow.dependencies import database, pusher, triage_second_opinion
from learnflow.domain import tutoring
from learnflow.domain.triage import Triage, cached_context
from learnflow.llm.budget import spending_for
from learnflow.llm.settings import LlmSettings
from learnflow.observability import bind_correlation_id, count, logger, observe
from learnflow.settings import DatabaseSettings, KafkaSettings, WebSocketSettings, cached_settings


class WebSocketMessagesSettings(DatabaseSettings, KafkaSettings, WebSocketSettings, LlmSettings):
    pass


settings = cached_settings(WebSocketMessagesSettings)


def _reply(event: dict[str, Any], message: dict[str, Any]) -> None:
    pusher(settings).push(connection_id_of(event), message)


def _error(
    event: dict[str, Any], code: str, message: str, details: list[dict[str, Any]] | None = None
) -> None:
    _reply(event, {"type": "error", **error_body(code, message, details or [])})


def _llm_triage(student: str, question: QuestionBody, correlation_id: str) -> Triage | None:
    """The LLM's routing when the offline triage is unsure; outside any transaction (an LLM's time)."""
    second_opinion = triage_second_opinion(settings, settings)
    if second_opinion is None:
        return None
    with database(settings).transaction(correlation_id, relay_events=False) as uow:
        context = cached_context(uow.student_context, student)
    with spending_for(student):
        return tutoring.route(
            question.question,
            question.code,
            question.error,
            context,
            second_opinion,
            settings.llm_triage_below,
        )


def _query(event: dict[str, Any], body: dict[str, Any]) -> None:
    identity = identity_of(event)
    try:
        question = QuestionBody.model_validate({key: value for key, value in body.items() if key != "action"})
    except ValidationError as invalid:
        details = [
            {"field": ".".join(str(p) for p in problem["loc"]), "message": problem["msg"]}
            for problem in invalid.errors()
        ]
        _error(event, "validation_error", INVALID_FIELDS, details)
        return
    holding_nul = nul_details(body)
    if holding_nul:
        _error(event, "validation_error", INVALID_FIELDS, holding_nul)
        return
    if identity.role != "student":
        _error(event, "forbidden", "Only students can ask the tutor.")
        return
    db = database(settings)
    triage = _llm_triage(identity.user_id, question, event["requestContext"]["requestId"])
    with db.transaction(event["requestContext"]["requestId"], relay_events=False) as uow:
        request = tutoring.ask(
            uow,
            user_id=identity.user_id,
            question=question.question,
            code=question.code,
            error=question.error,
            context_source=uow.student_context,
            triage=triage,
        )
        published = uow.published
    count("QuestionsAsked", intent=request.intent, channel="websocket")
    observe("TriageConfidence", request.confidence, intent=request.intent)
    _reply(event, {"type": "ack", "request_id": request.id})
    db.relay(published)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    bind_correlation_id(event["requestContext"]["requestId"])
    try:
        body = json.loads(event.get("body") or "")
    except json.JSONDecodeError:
        body = None
    if not isinstance(body, dict):
        _error(event, "malformed_json", 'Send a JSON object such as {"action": "ping"}.')
        return ok()
    match body.get("action"):
        case "query":
            _query(event, body)
        case "ping":
            _reply(event, {"type": "pong"})
        case other:
            _error(event, "unknown_action", f'Unknown action {other!r}; use "query" or "ping".')
    return ok()
