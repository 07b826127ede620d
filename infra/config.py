"""The settings one deployment is synthesized with, read from CDK context.

`-c stage=dev|staging|prod` picks an environment profile (sizes, retention, protection);
`-c developer=<name>` gives a developer their own copy of a stage (`LearnFlow-dev-alice`).
Every value has a default, so `cdk synth` works offline with no context at all.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from aws_cdk import RemovalPolicy
from aws_cdk import aws_logs as logs
from constructs import Node

from apispec.swagger_ui import SWAGGER_UI_DIST
from infra.assets import REPO_ROOT
from infra.layer_build import DEPENDENCIES_LAYER_DIR

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
Stage = Literal["dev", "staging", "prod"]

DEFAULT_STAGE: Stage = "dev"
STAGES: tuple[Stage, ...] = ("dev", "staging", "prod")
LOG_LEVELS: tuple[LogLevel, ...] = ("DEBUG", "INFO", "WARNING", "ERROR")

_DEVELOPER_PATTERN = re.compile(r"^[a-z][a-z0-9]{0,15}$")
_STACK_NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,127}$")
_ORIGIN_PATTERN = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$")
_EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CONSOLE_DIST = REPO_ROOT / "console" / "dist"


class ConfigError(ValueError):
    """A context value is malformed; the message names the context key."""


@dataclass(frozen=True)
class EnvironmentProfile:
    """What differs between dev, staging and prod: sizes, redundancy, retention, protection."""

    database_instance_type: str
    database_multi_az: bool
    database_deletion_protection: bool
    database_backup_days: int
    database_storage_gib: int
    database_max_storage_gib: int
    availability_zones: int
    nat_gateways: int
    log_retention: logs.RetentionDays
    #: what happens to the database when the stack is deleted (logs and queues follow: kept unless DESTROY)
    database_removal_policy: RemovalPolicy
    default_cors_origins: tuple[str, ...]
    topic_partitions: int

    @property
    def retained_data_policy(self) -> RemovalPolicy:
        """For logs and queues, which cannot be snapshotted: kept unless the database is destroyed too."""
        if self.database_removal_policy == RemovalPolicy.DESTROY:
            return RemovalPolicy.DESTROY
        return RemovalPolicy.RETAIN


PROFILES: dict[Stage, EnvironmentProfile] = {
    "dev": EnvironmentProfile(
        database_instance_type="t4g.micro",
        database_multi_az=False,
        database_deletion_protection=False,
        database_backup_days=1,
        database_storage_gib=20,
        database_max_storage_gib=50,
        availability_zones=2,
        nat_gateways=1,
        log_retention=logs.RetentionDays.TWO_WEEKS,
        database_removal_policy=RemovalPolicy.DESTROY,
        default_cors_origins=("http://localhost:3000",),
        topic_partitions=3,
    ),
    "staging": EnvironmentProfile(
        database_instance_type="t4g.small",
        database_multi_az=False,
        database_deletion_protection=False,
        database_backup_days=7,
        database_storage_gib=20,
        database_max_storage_gib=100,
        availability_zones=2,
        nat_gateways=1,
        log_retention=logs.RetentionDays.ONE_MONTH,
        database_removal_policy=RemovalPolicy.SNAPSHOT,
        default_cors_origins=(),
        topic_partitions=3,
    ),
    "prod": EnvironmentProfile(
        database_instance_type="m7g.large",
        database_multi_az=True,
        database_deletion_protection=True,
        database_backup_days=30,
        database_storage_gib=50,
        database_max_storage_gib=500,
        availability_zones=2,
        nat_gateways=2,
        log_retention=logs.RetentionDays.THREE_MONTHS,
        database_removal_policy=RemovalPolicy.SNAPSHOT,
        default_cors_origins=(),
        topic_partitions=6,
    ),
}


@dataclass(frozen=True)
class StageConfig:
    stage: Stage = DEFAULT_STAGE
    developer: str | None = None
    stack_name_override: str | None = None
    log_level: LogLevel = "INFO"
    throttling_rate_limit: int = 50
    throttling_burst_limit: int = 100
    #: requests one client address may send in five minutes before the firewall answers 429
    firewall_rate_limit: int = 2000
    cors_origins: tuple[str, ...] | None = None
    alarm_email: str | None = None
    dependencies_layer_dir: Path = DEPENDENCIES_LAYER_DIR
    #: refuse to synthesize without the dependencies layer (`make deploy` sets it)
    require_dependencies_layer: bool = False
    #: the npm package swagger-ui-dist, whose files the API docs publish (`make install`)
    swagger_ui_dir: Path = SWAGGER_UI_DIST
    #: the built web console the site publishes at its root (`make console`)
    console_dist_dir: Path = CONSOLE_DIST

    @property
    def profile(self) -> EnvironmentProfile:
        return PROFILES[self.stage]

    @property
    def allowed_origins(self) -> tuple[str, ...]:
        return self.profile.default_cors_origins if self.cors_origins is None else self.cors_origins

    @property
    def prefix(self) -> str:
        """`learnflow-dev` or `learnflow-dev-alice`: the start of every physical name."""
        return f"learnflow-{self.stage}" + (f"-{self.developer}" if self.developer else "")

    @property
    def stack_name(self) -> str:
        if self.stack_name_override:
            return self.stack_name_override
        return f"LearnFlow-{self.stage}" + (f"-{self.developer}" if self.developer else "")

    def name(self, suffix: str) -> str:
        """A physical resource name of this deployment, e.g. `learnflow-dev-alice-websocket`."""
        return f"{self.prefix}-{suffix}"

    @classmethod
    def from_context(cls, node: Node) -> "StageConfig":
        stage = _text(node, "stage", DEFAULT_STAGE)
        if stage not in STAGES:
            raise ConfigError(f"stage: {stage!r} is not one of {', '.join(STAGES)}")
        developer = _text(node, "developer", "") or None
        if developer is not None and not _DEVELOPER_PATTERN.match(developer):
            raise ConfigError(
                f"developer: {developer!r} must be lowercase letters and digits, at most 16, "
                "starting with a letter"
            )
        stack_name = _text(node, "stack_name", "") or None
        if stack_name is not None and not _STACK_NAME_PATTERN.match(stack_name):
            raise ConfigError(f"stack_name: {stack_name!r} is not a CloudFormation stack name")
        log_level = _text(node, "log_level", "INFO").upper()
        if log_level not in LOG_LEVELS:
            raise ConfigError(f"log_level: {log_level!r} is not one of {', '.join(LOG_LEVELS)}")
        return cls(
            stage=stage,
            developer=developer,
            stack_name_override=stack_name,
            log_level=log_level,
            throttling_rate_limit=_positive_int(node, "throttling_rate_limit", cls.throttling_rate_limit),
            throttling_burst_limit=_positive_int(node, "throttling_burst_limit", cls.throttling_burst_limit),
            firewall_rate_limit=_positive_int(node, "firewall_rate_limit", cls.firewall_rate_limit),
            cors_origins=_origins(node),
            alarm_email=_email(node),
            dependencies_layer_dir=Path(
                _text(node, "dependencies_layer_dir", str(DEPENDENCIES_LAYER_DIR))
            ).resolve(),
            require_dependencies_layer=_flag(node, "require_dependencies_layer"),
            swagger_ui_dir=Path(_text(node, "swagger_ui_dir", str(SWAGGER_UI_DIST))).resolve(),
            console_dist_dir=Path(_text(node, "console_dist_dir", str(CONSOLE_DIST))).resolve(),
        )


def _text(node: Node, key: str, default: str) -> str:
    value = node.try_get_context(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ConfigError(f"{key}: expected a string, got {value!r}")
    return value.strip()


def _positive_int(node: Node, key: str, default: int) -> int:
    value = node.try_get_context(key)
    if value is None:
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{key}: expected a positive integer, got {value!r}") from None
    if number < 1:
        raise ConfigError(f"{key}: expected a positive integer, got {value!r}")
    return number


def _flag(node: Node, key: str) -> bool:
    value = node.try_get_context(key)
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ConfigError(f"{key}: expected true or false, got {value!r}")


def _origins(node: Node) -> tuple[str, ...] | None:
    value = node.try_get_context("cors_origins")
    if value is None:
        return None
    items = value if isinstance(value, list) else str(value).split(",")
    origins = tuple(str(item).strip() for item in items if str(item).strip())
    for origin in origins:
        if origin == "*" or not _ORIGIN_PATTERN.match(origin):
            raise ConfigError(f"cors_origins: {origin!r} is not an origin like https://app.example.com")
    return origins


def _email(node: Node) -> str | None:
    email = _text(node, "alarm_email", "") or None
    if email is not None and not _EMAIL_PATTERN.match(email):
        raise ConfigError(f"alarm_email: {email!r} is not an email address")
    return email
