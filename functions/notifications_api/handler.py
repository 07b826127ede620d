"""The notifications of a user (cursor pages, unread filter), marking one read, and sending one."""

from datetime import UTC, datetime
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.identity import Identity, identity_from_authorizer
from learnflow.api.live_notifications import pushed
from learnflow.api.openapi import SIGNED_IN, Tag, errors, link, success
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.api.schemas.notifications import NOTIFICATION_EXAMPLE, NotificationPage, SentNotification
from learnflow.dependencies import database, pusher
from learnflow.domain import notifications
from learnflow.observability import count, logger
from learnflow.settings import DatabaseSettings, WebSocketSettings, cached_settings


class NotificationsApiSettings(DatabaseSettings, WebSocketSettings):
    pass


settings = cached_settings(NotificationsApiSettings)
app = rest_app()


class SendBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: str = Field(min_length=1, max_length=64)
    kind: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    message: str = Field(min_length=1, max_length=2000)


def _caller() -> Identity:
    return identity_from_authorizer(app.current_event.request_context.authorizer.raw_event)


#: ids are UUIDs; the document says so, and any other text reads as missing (404, not 422)
UUID = {"format": "uuid"}


@app.get(
    "/api/v1/notifications/<user_id>",
    operation_id="list_notifications",
    summary="List a user's notifications",
    description=(
        "The user themself, or an admin, reads the user's notifications newest first, a page at a time:"
        " pass the page's `next_cursor` as `cursor` for the next one. Anyone else reads the user as"
        " missing (404). A cursor this API did not give out is 422."
    ),
    tags=[Tag.NOTIFICATIONS],
    responses={
        **success(
            NotificationPage,
            "A page of notifications",
            example={"items": [NOTIFICATION_EXAMPLE], "next_cursor": None},
            links={
                "MarkFirstRead": link(
                    "mark_notification_read",
                    "Mark the page's first notification read",
                    notification_id="$response.body#/items/0/id",
                ),
            },
        ),
        **errors(401, 404, 422, 429, 503),
    },
    security=SIGNED_IN,
)
def list_notifications(
    user_id: Annotated[
        str,
        Path(description="The recipient's user id (a UUID; any other text is 404)", json_schema_extra=UUID),
    ],
    unread: Annotated[bool, Query(description="Only the notifications not yet read")] = False,
    cursor: Annotated[
        str | None, Query(max_length=200, description="The `next_cursor` of the previous page")
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=notifications.MAX_PAGE_SIZE, description="Notifications per page")
    ] = notifications.DEFAULT_PAGE_SIZE,
) -> dict[str, Any]:
    caller = _caller()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        page = notifications.page_of(
            uow.notifications,
            caller,
            user_id,
            unread_only=unread,
            cursor=cursor,
            limit=limit,
        )
    return page.public()


@app.post(
    "/api/v1/notifications/<notification_id>/read",
    operation_id="mark_notification_read",
    summary="Mark a notification read",
    description=(
        "Its recipient marks a notification read; marking it again keeps the first time. Anyone else,"
        " admins included, reads it as missing (404)."
    ),
    tags=[Tag.NOTIFICATIONS],
    responses={**success(None, "Marked read", status=204), **errors(401, 404, 429, 503)},
    security=SIGNED_IN,
)
def mark_read(
    notification_id: Annotated[
        str,
        Path(description="The notification's id (a UUID; any other text is 404)", json_schema_extra=UUID),
    ],
) -> Response[str]:
    caller = _caller()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        notifications.mark_read(uow.notifications, caller, notification_id, datetime.now(UTC))
    return Response(HTTPStatus.NO_CONTENT.value, content_types.APPLICATION_JSON, "")


@app.post(
    "/api/v1/notifications/send",
    operation_id="send_notification",
    summary="Send a notification",
    description=(
        "A teacher writes to a student of one of their classes, an admin to anyone; students are 403."
        " A recipient outside the teacher's classes, or no such user, is 404. The kind is the sender's"
        " own (snake_case); LearnFlow's own kinds (level_up, streak_milestone, struggle_alert,"
        " student_struggling) are 422. The notification is stored, then pushed to the recipient's open"
        ' WebSockets as `{"type": "notification", "data"}`.'
    ),
    tags=[Tag.NOTIFICATIONS],
    responses={
        **success(
            SentNotification,
            "The stored notification",
            status=201,
            example={
                "notification": NOTIFICATION_EXAMPLE
                | {
                    "kind": "reminder",
                    "message": "Remember the quiz on loops before Friday.",
                    "data": {
                        "from": {
                            "id": "9d2b7c4e-1f3a-4b5c-8d6e-7f8a9b0c1d2e",
                            "display_name": "Ms Hopper",
                            "role": "teacher",
                        }
                    },
                }
            },
        ),
        **errors(400, 401, 403, 404, 413, 422, 429, 503),
    },
    security=SIGNED_IN,
)
def send(body: Annotated[SendBody, Body()]) -> Response[dict[str, Any]]:
    caller = _caller()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        sent = notifications.send(
            uow.notifications,
            uow.users,
            uow.classes,
            caller,
            user_id=body.user_id,
            kind=body.kind,
            message=body.message,
            now=datetime.now(UTC),
        )
    delivered = pushed(database(settings), pusher(settings), [sent], correlation_id_of(app))
    count("NotificationsSent", kind="custom")  # a teacher's own kind: free text, so not a dimension
    logger.info("notification sent", extra={"kind": sent.kind, "connections": delivered})
    return Response(HTTPStatus.CREATED.value, content_types.APPLICATION_JSON, {"notification": sent.public()})


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
