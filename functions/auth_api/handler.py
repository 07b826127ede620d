"""Accounts and sessions: POST /auth/register|login|refresh|logout, GET and PATCH /auth/me."""

from http import HTTPStatus
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from learnflow.api.errors import error_response
from learnflow.api.identity import Identity, identity_from_authorizer
from learnflow.api.openapi import SIGNED_IN, Tag, errors, link, success
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.api.schemas.accounts import USER_EXAMPLE, ChangedProfile, SessionTokens, UserBody
from learnflow.dependencies import database, token_service
from learnflow.domain import accounts, sessions
from learnflow.domain.errors import DomainError, NotFoundError
from learnflow.domain.login_throttle import LoginThrottledError
from learnflow.domain.models import User
from learnflow.observability import logger
from learnflow.security.passwords import password_hasher
from learnflow.settings import DatabaseSettings, LoginThrottleSettings, TokenSettings, cached_settings

TOKEN_LIMIT = 4096


class AuthSettings(DatabaseSettings, TokenSettings, LoginThrottleSettings):
    pass


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
    #: the length rule is the domain's (with its own message); the document states it too
    password: str = Field(max_length=256, json_schema_extra={"minLength": accounts.MIN_PASSWORD_LENGTH})
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


SESSION_EXAMPLE = {
    "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI2YTFmM2MyZSJ9.c2lnbmF0dXJl",
    "refresh_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0eXBlIjoicmVmcmVzaCJ9.c2lnbmF0dXJl",
    "token_type": "Bearer",
    "expires_in": 900,
}


#: what a session's tokens open: the caller's profile with the access token, and the refresh token's uses
SESSION_LINKS = {
    "GetOwnProfile": link(
        "get_own_profile",
        "Use the access token",
        headers={"Authorization": "Bearer {$response.body#/access_token}"},
    ),
    "RefreshSession": link(
        "refresh_session",
        "Trade the refresh token for the next tokens",
        request_body={"refresh_token": "$response.body#/refresh_token"},
    ),
    "SignOut": link(
        "sign_out",
        "End this session",
        headers={"Authorization": "Bearer {$response.body#/access_token}"},
        request_body={"refresh_token": "$response.body#/refresh_token"},
    ),
}


@app.post(
    "/api/v1/auth/register",
    operation_id="register_user",
    summary="Register an account",
    description=(
        "Anyone, without a token, creates an account: a student (the default) or a teacher. Admins are"
        " never created through the API. The password needs at least 10 characters and must differ from"
        " the email; an email already registered is a conflict. Sign in afterwards with"
        " POST /api/v1/auth/login."
    ),
    tags=[Tag.ACCOUNTS],
    responses={
        **success(
            UserBody,
            "The new account",
            status=201,
            example={"user": USER_EXAMPLE},
            links={
                "SignIn": link(
                    "sign_in",
                    "Sign in with the credentials just registered",
                    request_body={"email": "$request.body#/email", "password": "$request.body#/password"},
                )
            },
        ),
        **errors(400, 409, 413, 422, 429, 503),
    },
)
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


@app.post(
    "/api/v1/auth/login",
    operation_id="sign_in",
    summary="Sign in",
    description=(
        "Anyone, without a token, trades an email and password for a session: an access token (15"
        " minutes) and a refresh token (7 days). Wrong credentials are 401; too many failed sign-ins of"
        " one account or from one address are 429 until `Retry-After` has passed."
    ),
    tags=[Tag.ACCOUNTS],
    responses={
        **success(SessionTokens, "A new session", example=SESSION_EXAMPLE, links=SESSION_LINKS),
        **errors(400, 401, 413, 422, 429, 503),
    },
)
def login(body: Annotated[Credentials, Body()]) -> dict[str, Any]:
    source_ip = _source_ip()
    outcome = _sign_in(body, source_ip)
    if isinstance(outcome, DomainError):
        logger.info("sign-in refused", extra={"reason": type(outcome).__name__, "source_ip": source_ip})
        raise outcome
    return outcome.body()


@app.post(
    "/api/v1/auth/refresh",
    operation_id="refresh_session",
    summary="Refresh the session's tokens",
    description=(
        "Anyone, without an access token, trades a refresh token for new tokens, as sign-in answers."
        " The refresh token given is spent; using a spent one again signs out every device of that"
        " sign-in (401)."
    ),
    tags=[Tag.ACCOUNTS],
    responses={
        **success(SessionTokens, "The session's next tokens", example=SESSION_EXAMPLE, links=SESSION_LINKS),
        **errors(400, 401, 413, 422, 429, 503),
    },
)
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


@app.post(
    "/api/v1/auth/logout",
    operation_id="sign_out",
    summary="Sign out",
    description=(
        "A signed-in user ends the session of one of their refresh tokens: every refresh token of that"
        " sign-in stops working. A refresh token that is not valid or not the caller's is 401."
    ),
    tags=[Tag.ACCOUNTS],
    responses={**success(None, "Signed out", status=204), **errors(400, 401, 413, 422, 429, 503)},
    security=SIGNED_IN,
)
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


@app.get(
    "/api/v1/auth/me",
    operation_id="get_own_profile",
    summary="Get the signed-in user",
    description="Any signed-in user reads their own account: id, email, display name and role.",
    tags=[Tag.ACCOUNTS],
    responses={
        **success(UserBody, "The caller's account", example={"user": USER_EXAMPLE}),
        **errors(401, 404, 429, 503),
    },
    security=SIGNED_IN,
)
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


@app.patch(
    "/api/v1/auth/me",
    operation_id="update_own_profile",
    summary="Change the signed-in user's name or time zone",
    description=(
        "Any signed-in user changes their display name, their time zone (an IANA name such as"
        " Europe/Berlin; streaks and active days are counted in it), or both. A field left out keeps"
        " its value; an unknown time zone is 422."
    ),
    tags=[Tag.ACCOUNTS],
    responses={
        **success(
            ChangedProfile,
            "The account as changed, and its time zone",
            example={"user": USER_EXAMPLE, "timezone": "Europe/Berlin"},
        ),
        **errors(400, 401, 404, 413, 422, 429, 503),
    },
    security=SIGNED_IN,
)
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
