"""Validated configuration: one settings object per function, composed from these parts."""

from functools import cache
from typing import Literal, TypeVar

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(RuntimeError):
    """A setting is missing or malformed; the message names each one."""


class _Base(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)


class DatabaseSettings(_Base):
    database_url: str = Field(min_length=1, description="libpq connection string of the system of record")
    database_pool_max: int = Field(default=4, ge=1, le=50)


class KafkaSettings(_Base):
    kafka_bootstrap_servers: str = Field(min_length=1)
    kafka_security: Literal["plaintext", "iam"] = "plaintext"
    aws_region: str = "us-east-1"


class TokenSettings(_Base):
    """How access tokens are verified; the key comes from Secrets Manager on AWS."""

    jwt_secret: str | None = Field(default=None, min_length=32)
    jwt_secret_arn: str | None = None
    jwt_issuer: str = "learnflow"
    jwt_audience: str = "learnflow-api"
    access_token_ttl_seconds: int = Field(default=900, ge=60, le=3600)
    refresh_token_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=3600)


class WebSocketSettings(_Base):
    websocket_management_endpoint: str = Field(min_length=1, description="the @connections API base URL")


S = TypeVar("S", bound=BaseSettings)


def load_settings(settings_type: type[S]) -> S:
    """Reads settings from the environment, or stops with the names of the bad ones."""
    try:
        return settings_type()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc']).upper()}: {issue['msg']}" for issue in error.errors()
        )
        raise SettingsError(f"{settings_type.__name__} is invalid: {problems}") from None


@cache
def cached_settings(settings_type: type[S]) -> S:
    """Settings read once per process (one Lambda execution environment)."""
    return load_settings(settings_type)
