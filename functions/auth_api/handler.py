"""Registration, login and the current user (POST /auth/register, POST /auth/login, GET /auth/me)."""

from http import HTTPStatus
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from learnflow.api.identity import identity_from_authorizer
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.dependencies import database, token_service
from learnflow.domain import accounts
from learnflow.domain.errors import NotFoundError
from learnflow.observability import logger
from learnflow.settings import DatabaseSettings, TokenSettings, cached_settings


class AuthSettings(DatabaseSettings, TokenSettings):
    pass


settings = cached_settings(AuthSettings)
app = rest_app()


class Registration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr = Field(max_length=254)
    password: str = Field(max_length=256)
    display_name: str = Field(min_length=1, max_length=80)
    role: Literal["student", "teacher"] = "student"


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=256)


@app.post("/api/v1/auth/register")
def register(body: Annotated[Registration, Body()]) -> Response[dict[str, Any]]:
    with database(settings).transaction(correlation_id_of(app)) as uow:
        user = accounts.register(
            uow, email=str(body.email), password=body.password, display_name=body.display_name, role=body.role
        )
    return Response(HTTPStatus.CREATED.value, content_types.APPLICATION_JSON, {"user": user.public()})


@app.post("/api/v1/auth/login")
def login(body: Annotated[Credentials, Body()]) -> dict[str, Any]:
    with database(settings).transaction(correlation_id_of(app)) as uow:
        user = accounts.authenticate(uow, email=body.email, password=body.password)
    tokens = token_service(settings)
    access = tokens.issue(user.id, user.role, "access")
    refresh = tokens.issue(user.id, user.role, "refresh", family_id=access.token_id)
    return {
        "access_token": tokens.encode(access),
        "refresh_token": tokens.encode(refresh),
        "token_type": "Bearer",
        "expires_in": settings.access_token_ttl_seconds,
    }


@app.get("/api/v1/auth/me")
def me() -> dict[str, Any]:
    identity = identity_from_authorizer(app.current_event.request_context.authorizer.raw_event)
    with database(settings).transaction(correlation_id_of(app)) as uow:
        user = uow.users.by_id(identity.user_id)
    if user is None:
        raise NotFoundError("No such user.")
    return {"user": user.public()}


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
