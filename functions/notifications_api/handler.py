"""The notifications of a user (cursor pages, unread filter), marking one read, and sending one."""

from datetime import UTC, datetime
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.identity import Identity, identity_from_authorizer
from learnflow.api.rest import correlation_id_of, resolve, rest_app
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


@app.get("/api/v1/notifications/<user_id>")
def list_notifications(
    user_id: str,
    unread: Annotated[bool, Query()] = False,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=notifications.MAX_PAGE_SIZE)] = notifications.DEFAULT_PAGE_SIZE,
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


@app.post("/api/v1/notifications/<notification_id>/read")
def mark_read(notification_id: str) -> Response[str]:
    caller = _caller()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        notifications.mark_read(uow.notifications, caller, notification_id, datetime.now(UTC))
    return Response(HTTPStatus.NO_CONTENT.value, content_types.APPLICATION_JSON, "")


@app.post("/api/v1/notifications/send")
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
    try:
        with database(settings).transaction(correlation_id_of(app)) as uow:
            delivered = notifications.push(uow.connections, pusher(settings), [sent])
    except Exception:  # the notification is stored: the recipient sees it on their next read
        logger.exception("the live push failed; the notification is stored")
        delivered = 0
    count("NotificationsSent", kind="custom")  # a teacher's own kind: free text, so not a dimension
    logger.info("notification sent", extra={"kind": sent.kind, "connections": delivered})
    return Response(HTTPStatus.CREATED.value, content_types.APPLICATION_JSON, {"notification": sent.public()})


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
