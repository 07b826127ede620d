"""Accounts and sessions: the bodies of /auth/register, /auth/login, /auth/refresh and /auth/me."""

from typing import Literal

from pydantic import BaseModel, Field

from learnflow.domain.models import Role

USER_EXAMPLE = {
    "id": "6a1f3c2e-9b4d-4e8a-a7c5-2d3f4b5a6c7d",
    "email": "ada@example.com",
    "display_name": "Ada",
    "role": "student",
}


class PublicUser(BaseModel):
    """A user as LearnFlow shows them: never the password or its hash."""

    id: str = Field(description="The user's id (a UUID)", examples=[USER_EXAMPLE["id"]])
    email: str = Field(description="The address the user signs in with", examples=[USER_EXAMPLE["email"]])
    display_name: str = Field(description="The name shown to teachers and classmates", examples=["Ada"])
    role: Role = Field(
        description="student or teacher, chosen at registration; admin only for operators' accounts",
        examples=["student"],
    )


class UserBody(BaseModel):
    user: PublicUser


class ChangedProfile(BaseModel):
    user: PublicUser
    timezone: str = Field(
        description="The IANA time zone the user's streaks and active days are counted in",
        examples=["Europe/Berlin"],
    )


class SessionTokens(BaseModel):
    """A signed-in session: send the access token as `Authorization: Bearer <access_token>`."""

    access_token: str = Field(description="A JWT for `Authorization: Bearer`; it lives `expires_in` seconds")
    refresh_token: str = Field(
        description="Trade it for new tokens at /auth/refresh within 7 days; each one works once"
    )
    token_type: Literal["Bearer"]
    expires_in: int = Field(description="Seconds until the access token expires", examples=[900])
