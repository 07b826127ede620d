"""GET /progress/{user_id}: mastery, its components explained, streaks and recent history."""

from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.utilities.typing import LambdaContext

from learnflow.api.identity import identity_from_authorizer
from learnflow.api.openapi import SIGNED_IN, Tag, errors, success
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.api.schemas.progress import ProgressReport
from learnflow.dependencies import database
from learnflow.domain import progress
from learnflow.observability import logger
from learnflow.settings import DatabaseSettings, cached_settings


class ProgressApiSettings(DatabaseSettings):
    pass


settings = cached_settings(ProgressApiSettings)
app = rest_app()


#: ids are UUIDs; the document says so, and any other text reads as a missing student (404, not 422)
UUID = {"format": "uuid"}


@app.get(
    "/api/v1/progress/<user_id>",
    operation_id="get_progress",
    summary="Get a student's progress",
    description=(
        "The student themself, a teacher of one of their classes, or an admin reads the student's"
        " mastery (0-100) and level, its four components each explained in words, streaks, active days"
        " and per-topic figures, and the latest events. Anyone else reads the student as missing (404)."
        ' Changes also arrive on the WebSocket as `{"type": "progress", "data"}`.'
    ),
    tags=[Tag.PROGRESS],
    responses={**success(ProgressReport, "The student's progress"), **errors(401, 404, 429, 503)},
    security=SIGNED_IN,
)
def progress_of(
    user_id: Annotated[
        str, Path(description="The student's id (a UUID; any other text is 404)", json_schema_extra=UUID)
    ],
) -> dict[str, Any]:
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
