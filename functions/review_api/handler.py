"""POST /review/analyze: findings, complexity, a 0-100 score and checked suggestions for some code."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.bodies import CODE_LIMIT
from learnflow.api.identity import identity_from_authorizer
from learnflow.api.openapi import SIGNED_IN, Tag, errors, success
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.api.schemas.review import CODE_REVIEW_EXAMPLE, LOOP_BEFORE, CodeReview
from learnflow.dependencies import database, optional_sandbox, review_narrator
from learnflow.domain.ports import Sandbox
from learnflow.domain.review import review_code
from learnflow.domain.review.narrative import narrated
from learnflow.domain.review.service import payload_of, record_quality
from learnflow.llm.budget import spending_for
from learnflow.llm.settings import LlmSettings
from learnflow.observability import logger
from learnflow.settings import DatabaseSettings, KafkaSettings, SandboxSettings, cached_settings


class ReviewApiSettings(DatabaseSettings, KafkaSettings, SandboxSettings, LlmSettings):
    pass


settings = cached_settings(ReviewApiSettings)
app = rest_app()


class ReviewBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        min_length=1,
        max_length=CODE_LIMIT,
        description="The code to review; at most 64 KiB",
        examples=[LOOP_BEFORE],
    )


def runner() -> Sandbox | None:
    """The sandbox, to check that suggestions behave the same; reviews work without it."""
    return optional_sandbox(settings, without_it="suggestions are not checked on sample inputs")


@app.post(
    "/api/v1/review/analyze",
    operation_id="review_code",
    summary="Review code",
    description=(
        "Any signed-in user has code reviewed: ruff's and pylint's findings in words for beginners,"
        " complexity (cyclomatic, maintainability, an estimated big O per function), efficiency rules,"
        " a 0-100 score, and suggestions whose changed code parses and, checked on sample inputs in the"
        " sandbox when it is up, behaves the same. A student's score counts toward their code-quality"
        " mastery, unless the code does not parse."
    ),
    tags=[Tag.DEBUGGING],
    responses={
        **success(CodeReview, "The review", example=CODE_REVIEW_EXAMPLE),
        **errors(400, 401, 413, 422, 429, 503),
    },
    security=SIGNED_IN,
)
def analyze_code(body: Annotated[ReviewBody, Body()]) -> dict[str, Any]:
    caller = identity_from_authorizer(app.current_event.request_context.authorizer.raw_event)
    review = review_code(body.code, runner())
    narrator = review_narrator(settings, settings)
    if narrator is not None:
        with spending_for(caller.user_id):
            review = narrated(review, narrator, body.code)
    if caller.role == "student":
        with database(settings).transaction(correlation_id_of(app)) as uow:
            record_quality(uow, user_id=caller.user_id, review=review)
    logger.info("code reviewed", extra={"score": review.score, "issues": len(review.issues)})
    return payload_of(review)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
