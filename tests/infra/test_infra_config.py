"""Context handling, asset staging and the capability table, without a synth."""

from pathlib import Path
from typing import get_args

import pytest
from aws_cdk import App, Stack

from infra.app import build_app
from infra.assets import stage_functions_package
from infra.config import PLACEHOLDER_MSK_CLUSTER_ARN, ConfigError, MskCluster, StageConfig
from infra.constructs.capabilities import GRANTS
from infra.wiring import Capability


def config_from(context: dict[str, object]) -> StageConfig:
    return StageConfig.from_context(App(context=context).node)


def test_defaults_synthesize_offline() -> None:
    config = config_from({})
    assert config.stage == "dev"
    assert config.stack_name == "LearnFlow-dev"
    assert config.msk_cluster.arn == PLACEHOLDER_MSK_CLUSTER_ARN
    assert config.kafka_bootstrap_servers == ""


def test_context_chooses_the_stage_and_its_stack_name() -> None:
    config = config_from({"stage": "prod", "kafka_bootstrap_servers": "b-1.msk:9098", "log_level": "debug"})
    assert (config.stage, config.stack_name) == ("prod", "LearnFlow-prod")
    assert config.kafka_bootstrap_servers == "b-1.msk:9098"
    assert config.log_level == "DEBUG"


def test_the_app_names_its_stack_after_the_stage() -> None:
    app = build_app({"stage": "qa"})
    assert [child.node.id for child in app.node.children if isinstance(child, Stack)] == ["LearnFlow-qa"]
    (stack,) = (child for child in app.node.children if isinstance(child, Stack))
    assert stack.resolve(stack.account) == {"Ref": "AWS::AccountId"}  # no fixed environment


@pytest.mark.parametrize(
    ("context", "names"),
    [
        ({"stage": "Prod!"}, "stage"),
        ({"msk_cluster_arn": "arn:aws:s3:::bucket"}, "msk_cluster_arn"),
        ({"log_level": "LOUD"}, "log_level"),
        ({"throttling_rate_limit": "0"}, "throttling_rate_limit"),
    ],
)
def test_malformed_context_is_refused_by_name(context: dict[str, object], names: str) -> None:
    with pytest.raises(ConfigError, match=names):
        config_from(context)


def test_msk_resource_arns_derive_from_the_cluster_arn() -> None:
    cluster = MskCluster("arn:aws:kafka:eu-west-1:123456789012:cluster/main/abcd-1234-5")
    assert cluster.topic_arn("learning.requests") == (
        "arn:aws:kafka:eu-west-1:123456789012:topic/main/abcd-1234-5/learning.requests"
    )
    assert cluster.group_arn("g") == "arn:aws:kafka:eu-west-1:123456789012:group/main/abcd-1234-5/g"


def test_every_capability_has_its_grant() -> None:
    assert set(GRANTS) == set(get_args(Capability))


def test_functions_package_is_staged_alone_without_caches(tmp_path: Path) -> None:
    source = tmp_path / "functions"
    (source / "tutor_api" / "__pycache__").mkdir(parents=True)
    (source / "__init__.py").write_text("")
    (source / "tutor_api" / "handler.py").write_text("def lambda_handler(event, context): ...\n")
    (source / "tutor_api" / "__pycache__" / "handler.cpython-312.pyc").write_bytes(b"\0")
    staging = tmp_path / "staging"

    staged = stage_functions_package(source, staging)

    assert sorted(p.relative_to(staged).as_posix() for p in staged.rglob("*")) == [
        "functions",
        "functions/__init__.py",
        "functions/tutor_api",
        "functions/tutor_api/handler.py",
    ]
    assert stage_functions_package(source, staging) == staged  # same content, same folder
    (source / "tutor_api" / "handler.py").write_text("def lambda_handler(event, context): return 1\n")
    assert stage_functions_package(source, staging) != staged
