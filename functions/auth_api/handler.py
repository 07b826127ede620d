"""Accounts and sessions: POST /auth/register|login|refresh|logout, GET /auth/me."""

from datetime import timedelta
from http import HTTPStatus
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from learnflow.api.errors import error_response
from learnflow.api.identity import Identity, identity_from_authorizer
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.dependencies import database, token_service
from learnflow.domain import accounts, sessions
from learnflow.domain.errors import DomainError, NotFoundError
from learnflow.domain.login_throttle import LoginThrottledError, ThrottlePolicy
from learnflow.domain.models import User
from learnflow.observability import logger
from learnflow.security.passwords import password_hasher
from learnflow.settings import DatabaseSettings, TokenSettings, cached_settings

TOKEN_LIMIT = 4096


class AuthSettings(DatabaseSettings, TokenSettings):
    login_window_seconds: int = Field(default=900, ge=60, le=86_400)
    login_failures_per_account: int = Field(default=10, ge=3, le=1000)
    login_failures_per_source: int = Field(default=50, ge=3, le=100_000)

    def throttle_policy(self) -> ThrottlePolicy:
        return ThrottlePolicy(
            window=timedelta(seconds=self.login_window_seconds),
            failures_per_account=self.login_failures_per_account,
            failures_per_source=self.login_failures_per_source,
        )


settings = cached_settings(AuthSettings)
app = rest_app()


def _throttled(error: LoginThrottledError) -> Response[str]:
    return error_response(
        HTTPStatus.TOO_MANY_REQUESTS,
        "throttled",
        error.message,
        headers={"Retry-After": str(error.retry_after_seconds)},
    )


app.exception_handler(LoginThrottledError)(_throttled)


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


class RefreshTokenBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=TOKEN_LIMIT)


def _caller() -> Identity:
    return identity_from_authorizer(app.current_event.request_context.authorizer.raw_event)


def _source_ip() -> str:
    return app.current_event.request_context.identity.source_ip or "unknown"


@app.post("/api/v1/auth/register")
def register(body: Annotated[Registration, Body()]) -> Response[dict[str, Any]]:
    with database(settings).transaction(correlation_id_of(app)) as uow:
        user = accounts.register(
            uow,
            password_hasher,
            email=str(body.email),
            password=body.password,
            display_name=body.display_name,
            role=body.role,
        )
    return Response(HTTPStatus.CREATED.value, content_types.APPLICATION_JSON, {"user": user.public()})


def _sign_in(body: Credentials, source_ip: str) -> sessions.Session | DomainError:
    with database(settings).transaction(correlation_id_of(app)) as uow:
        outcome = accounts.sign_in(
            uow.users,
            uow.login_attempts,
            settings.throttle_policy(),
            password_hasher,
            email=body.email,
            password=body.password,
            source_ip=source_ip,
        )
        if not isinstance(outcome, User):
            return outcome  # the failure it recorded commits with the transaction
        logger.info("signed in", extra={"user_id": outcome.id})
        return sessions.start(uow.refresh_tokens, token_service(settings), outcome)


@app.post("/api/v1/auth/login")
def login(body: Annotated[Credentials, Body()]) -> dict[str, Any]:
    source_ip = _source_ip()
    outcome = _sign_in(body, source_ip)
    if isinstance(outcome, DomainError):
        logger.info("sign-in refused", extra={"reason": type(outcome).__name__, "source_ip": source_ip})
        raise outcome
    return outcome.body()


@app.post("/api/v1/auth/refresh")
def refresh(body: Annotated[RefreshTokenBody, Body()]) -> dict[str, Any]:
    with database(settings).transaction(correlation_id_of(app)) as uow:
        outcome = sessions.rotate(uow.refresh_tokens, uow.users, token_service(settings), body.refresh_token)
    if isinstance(outcome, sessions.RefreshRefusedError):
        if outcome.replayed:
            logger.warning(
                "a spent refresh token was used again: its whole session family is revoked",
                extra={"user_id": outcome.user_id, "source_ip": _source_ip()},
            )
        raise outcome
    return outcome.body()


@app.post("/api/v1/auth/logout")
def logout(body: Annotated[RefreshTokenBody, Body()]) -> Response[None]:
    caller = _caller()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        sessions.end(
            uow.refresh_tokens,
            token_service(settings),
            user_id=caller.user_id,
            refresh_token=body.refresh_token,
        )
    return Response(HTTPStatus.NO_CONTENT.value)


@app.get("/api/v1/auth/me")
def me() -> dict[str, Any]:
    caller = _caller()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        user = uow.users.by_id(caller.user_id)
    if user is None:
        raise NotFoundError("No such user.")
    return {"user": user.public()}


class ProfileChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(default=None, min_length=1, max_length=80)
    timezone: str | None = Field(default=None, min_length=1, max_length=64)


@app.patch("/api/v1/auth/me")
def change_me(body: Annotated[ProfileChange, Body()]) -> dict[str, Any]:
    caller = _caller()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        user = accounts.update_profile(
            uow, user_id=caller.user_id, display_name=body.display_name, timezone=body.timezone
        )
    return {"user": user.public(), "timezone": user.timezone}


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
