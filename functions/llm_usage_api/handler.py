"""GET /admin/llm-usage: what the LLM cost on a day, per user and in all, for admins."""

from datetime import date
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from learnflow.api.identity import identity_from_authorizer
from learnflow.api.openapi import SIGNED_IN, Tag, errors, success
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.api.schemas.llm_usage import LlmUsageReport
from learnflow.dependencies import database
from learnflow.domain.errors import InvalidInputError
from learnflow.domain.llm_budget import today, usage_report
from learnflow.llm.settings import LlmSettings
from learnflow.observability import logger
from learnflow.settings import DatabaseSettings, cached_settings


class LlmUsageApiSettings(DatabaseSettings, LlmSettings):
    pass


settings = cached_settings(LlmUsageApiSettings)
app = rest_app()

MAX_USERS = 1000


@app.get(
    "/api/v1/admin/llm-usage",
    operation_id="get_llm_usage",
    summary="Read the LLM's token usage",
    description=(
        "An admin reads the LLM tokens spent on a UTC day (today by default): by everyone, and per user"
        " with the biggest spenders first, beside the daily budgets. Over a budget, students get offline"
        " answers with a note saying so. Other roles are 403."
    ),
    tags=[Tag.OPERATIONS],
    responses={**success(LlmUsageReport, "The day's usage"), **errors(401, 403, 422, 429, 503)},
    security=SIGNED_IN,
)
def llm_usage(
    day: Annotated[
        str | None,
        Query(
            pattern=r"^\d{4}-\d{2}-\d{2}$",
            description="A UTC day as YYYY-MM-DD; today when left out",
            json_schema_extra={"format": "date"},
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_USERS, description="Users listed at most")] = 100,
) -> dict[str, Any]:
    identity_from_authorizer(app.current_event.request_context.authorizer.raw_event).require_role("admin")
    on = _day(day) if day else today()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        users = uow.llm_usage.on_day(on, limit=limit)
        _, everyone = uow.llm_usage.spent(None, on)
    return usage_report(on, users, everyone, settings.token_budget())


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(
            "The day is not a date.",
            details=[{"field": "query.day", "message": "must be a date such as 2026-12-05"}],
        ) from None


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
