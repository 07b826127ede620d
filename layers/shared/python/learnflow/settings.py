"""Validated configuration: one settings object per function, composed from these parts."""

from datetime import timedelta
from functools import cache
from typing import ClassVar, Literal, Self

from psycopg import conninfo
from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from learnflow.domain.login_throttle import ThrottlePolicy
from learnflow.domain.struggle import StrugglePolicy


class SettingsError(RuntimeError):
    """A setting is missing or malformed; the message names each one."""


class _Base(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    #: pairs of settings of which at least one must be set, e.g. a local value or its AWS secret
    one_of: ClassVar[tuple[tuple[str, str], ...]] = ()

    @model_validator(mode="after")
    def _each_pair_has_one(self) -> Self:
        pairs = {pair for cls in type(self).__mro__ for pair in vars(cls).get("one_of", ())}
        missing = [
            f"{a.upper()} or {b.upper()}"
            for a, b in sorted(pairs)
            if not (getattr(self, a) or getattr(self, b))
        ]
        if missing:
            raise ValueError("set " + "; set ".join(missing))
        return self


class DatabaseSettings(_Base):
    """Where the system of record is: a URL locally, a Secrets Manager secret (RDS's JSON) on AWS."""

    database_url: str | None = Field(default=None, min_length=1)
    database_secret_arn: str | None = Field(default=None, min_length=1)
    #: on AWS, the RDS Proxy endpoint to connect through (the secret names the instance itself)
    database_host: str | None = Field(default=None, min_length=1)
    database_pool_max: int = Field(default=4, ge=1, le=50)

    one_of = (("database_url", "database_secret_arn"),)

    def resolved_url(self) -> str:
        if self.database_url:
            return self.database_url
        from aws_lambda_powertools.utilities.parameters import get_secret

        secret = get_secret(str(self.database_secret_arn), transform="json", max_age=300)
        assert isinstance(secret, dict)
        return conninfo.make_conninfo(
            host=self.database_host or secret["host"],
            port=secret.get("port", 5432),
            dbname=secret.get("dbname", "learnflow"),
            user=secret["username"],
            password=secret["password"],
            sslmode="require",
        )


class KafkaSettings(_Base):
    kafka_bootstrap_servers: str = Field(min_length=1)
    kafka_security: Literal["plaintext", "iam"] = "plaintext"
    kafka_publish_timeout_seconds: float = Field(default=2.0, gt=0, le=30)
    aws_region: str = "us-east-1"


class TokenSettings(_Base):
    """How access tokens are verified; the key comes from Secrets Manager on AWS."""

    jwt_secret: str | None = Field(default=None, min_length=32)
    jwt_secret_arn: str | None = Field(default=None, min_length=1)
    jwt_issuer: str = "learnflow"
    jwt_audience: str = "learnflow-api"
    access_token_ttl_seconds: int = Field(default=900, ge=60, le=3600)
    refresh_token_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=3600)

    one_of = (("jwt_secret", "jwt_secret_arn"),)

    def signing_key(self) -> str:
        if self.jwt_secret:
            return self.jwt_secret
        from aws_lambda_powertools.utilities.parameters import get_secret

        return str(get_secret(str(self.jwt_secret_arn), max_age=300))


class WebSocketSettings(_Base):
    websocket_management_endpoint: str = Field(min_length=1, description="the @connections API base URL")


class SandboxSettings(_Base):
    """`SANDBOX_FUNCTION_NAME` set (AWS): invoke that function; unset: run in this process's zygote."""

    sandbox_function_name: str | None = Field(default=None, min_length=1)


class StruggleSettings(_Base):
    """When repeated errors count as a struggle that a teacher is alerted to."""

    #: a struggle is more than this many occurrences of one error type...
    struggle_threshold: int = Field(default=3, ge=1, le=100)
    #: ...within this many minutes
    struggle_window_minutes: int = Field(default=10, ge=1, le=24 * 60)
    #: an episode ends after this many minutes without the error
    struggle_quiet_minutes: int = Field(default=10, ge=1, le=24 * 60)

    def struggle_policy(self) -> StrugglePolicy:
        return StrugglePolicy(
            threshold=self.struggle_threshold,
            window=timedelta(minutes=self.struggle_window_minutes),
            quiet_period=timedelta(minutes=self.struggle_quiet_minutes),
        )


class LoginThrottleSettings(_Base):
    """How many failed sign-ins, per account and per source address, before sign-in answers 429."""

    login_window_seconds: int = Field(default=900, ge=60, le=86_400)
    login_failures_per_account: int = Field(default=10, ge=3, le=1000)
    login_failures_per_source: int = Field(default=50, ge=3, le=100_000)

    def throttle_policy(self) -> ThrottlePolicy:
        return ThrottlePolicy(
            window=timedelta(seconds=self.login_window_seconds),
            failures_per_account=self.login_failures_per_account,
            failures_per_source=self.login_failures_per_source,
        )


class OutboxSettings(_Base):
    #: rows younger than this that no relay has tried yet are being sent by their own function
    outbox_settle_seconds: float = Field(default=10.0, ge=0, le=300)


class CorsSettings(_Base):
    """Browser origins allowed to read the REST API's responses, comma-separated; none by default."""

    learnflow_cors_origins: str = ""

    def origins(self) -> list[str]:
        return [origin.strip() for origin in self.learnflow_cors_origins.split(",") if origin.strip()]


def load_settings[S: BaseSettings](settings_type: type[S]) -> S:
    """Reads settings from the environment, or stops with the names of the bad ones."""
    try:
        return settings_type()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc']).upper() or 'settings'}: {issue['msg']}"
            for issue in error.errors()
        )
        raise SettingsError(f"{settings_type.__name__} is invalid: {problems}") from None


@cache
def cached_settings[S: BaseSettings](settings_type: type[S]) -> S:
    """Settings read once per process (one Lambda execution environment)."""
    return load_settings(settings_type)
