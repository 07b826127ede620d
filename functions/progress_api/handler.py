"""GET /progress/{user_id}: mastery, its components explained, streaks and recent history."""

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from learnflow.api.identity import identity_from_authorizer
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.dependencies import database
from learnflow.domain import progress
from learnflow.observability import logger
from learnflow.settings import DatabaseSettings, cached_settings


class ProgressApiSettings(DatabaseSettings):
    pass


settings = cached_settings(ProgressApiSettings)
app = rest_app()


@app.get("/api/v1/progress/<user_id>")
def progress_of(user_id: str) -> dict[str, Any]:
    caller = identity_from_authorizer(app.current_event.request_context.authorizer.raw_event)
    with database(settings).transaction(correlation_id_of(app)) as uow:
        return progress.progress_of(
            uow.users,
            uow.progress,
            uow.classes,
            caller,
            user_id,
            datetime.now(UTC),
        )


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
