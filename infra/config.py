"""The settings one deployment (a stage) is synthesized with, read from CDK context.

Every value has a default, so `cdk synth` works offline with no context at all; a deployment
overrides them with `-c key=value` (for example `-c stage=prod -c msk_cluster_arn=arn:...`).
"""

import re
from dataclasses import dataclass
from typing import Literal

from constructs import Node

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]

DEFAULT_STAGE = "dev"
# Obviously fake: synth works offline; a real deployment passes `-c msk_cluster_arn=...`.
PLACEHOLDER_MSK_CLUSTER_ARN = (
    "arn:aws:kafka:us-east-1:111111111111:cluster/learnflow/00000000-0000-0000-0000-000000000000-1"
)

_STAGE_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,20}$")
_MSK_CLUSTER_ARN_PATTERN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):kafka:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"cluster/(?P<name>[A-Za-z0-9-]+)/(?P<uuid>[A-Za-z0-9-]+)$"
)
_LOG_LEVELS: tuple[LogLevel, ...] = ("DEBUG", "INFO", "WARNING", "ERROR")


class ConfigError(ValueError):
    """A context value is malformed; the message names the context key."""


@dataclass(frozen=True)
class MskCluster:
    """An MSK cluster, and the ARNs of its topics and consumer groups that IAM policies name."""

    arn: str

    def __post_init__(self) -> None:
        if not _MSK_CLUSTER_ARN_PATTERN.match(self.arn):
            raise ConfigError(
                f"msk_cluster_arn: {self.arn!r} is not an MSK cluster ARN "
                "(arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid>)"
            )

    def _resource_arn(self, kind: str, name: str) -> str:
        match = _MSK_CLUSTER_ARN_PATTERN.match(self.arn)
        assert match is not None  # checked in __post_init__
        fields = match.groupdict()
        return (
            f"arn:{fields['partition']}:kafka:{fields['region']}:{fields['account']}:"
            f"{kind}/{fields['name']}/{fields['uuid']}/{name}"
        )

    def topic_arn(self, topic: str) -> str:
        return self._resource_arn("topic", topic)

    def group_arn(self, group: str) -> str:
        return self._resource_arn("group", group)


@dataclass(frozen=True)
class StageConfig:
    stage: str = DEFAULT_STAGE
    stack_name: str = f"LearnFlow-{DEFAULT_STAGE}"
    msk_cluster: MskCluster = MskCluster(PLACEHOLDER_MSK_CLUSTER_ARN)
    kafka_bootstrap_servers: str = ""
    log_level: LogLevel = "INFO"
    throttling_rate_limit: int = 50
    throttling_burst_limit: int = 100

    @classmethod
    def from_context(cls, node: Node) -> "StageConfig":
        stage = _text(node, "stage", DEFAULT_STAGE)
        if not _STAGE_PATTERN.match(stage):
            raise ConfigError(f"stage: {stage!r} must be lowercase letters, digits and '-', at most 21")
        log_level = _text(node, "log_level", "INFO").upper()
        if log_level not in _LOG_LEVELS:
            raise ConfigError(f"log_level: {log_level!r} is not one of {', '.join(_LOG_LEVELS)}")
        return cls(
            stage=stage,
            stack_name=_text(node, "stack_name", f"LearnFlow-{stage}"),
            msk_cluster=MskCluster(_text(node, "msk_cluster_arn", PLACEHOLDER_MSK_CLUSTER_ARN)),
            kafka_bootstrap_servers=_text(node, "kafka_bootstrap_servers", ""),
            log_level=log_level,
            throttling_rate_limit=_positive_int(node, "throttling_rate_limit", cls.throttling_rate_limit),
            throttling_burst_limit=_positive_int(node, "throttling_burst_limit", cls.throttling_burst_limit),
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
