"""POST /review/analyze: findings, complexity, a 0-100 score and checked suggestions for some code."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.bodies import CODE_LIMIT
from learnflow.api.identity import identity_from_authorizer
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.dependencies import database, optional_sandbox
from learnflow.domain.ports import Sandbox
from learnflow.domain.review import review_code
from learnflow.domain.review.service import payload_of, record_quality
from learnflow.observability import logger
from learnflow.settings import DatabaseSettings, KafkaSettings, SandboxSettings, cached_settings


class ReviewApiSettings(DatabaseSettings, KafkaSettings, SandboxSettings):
    pass


settings = cached_settings(ReviewApiSettings)
app = rest_app()


class ReviewBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=CODE_LIMIT)


def runner() -> Sandbox | None:
    """The sandbox, to check that suggestions behave the same; reviews work without it."""
    return optional_sandbox(settings, without_it="suggestions are not checked on sample inputs")


@app.post("/api/v1/review/analyze")
def analyze_code(body: Annotated[ReviewBody, Body()]) -> dict[str, Any]:
    caller = identity_from_authorizer(app.current_event.request_context.authorizer.raw_event)
    review = review_code(body.code, runner())
    if caller.role == "student":
        with database(settings).transaction(correlation_id_of(app)) as uow:
            record_quality(uow, user_id=caller.user_id, review=review)
    logger.info("code reviewed", extra={"score": review.score, "issues": len(review.issues)})
    return payload_of(review)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
