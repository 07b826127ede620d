"""Context handling, asset staging, the layer build and the capability table, without a synth."""

import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import cast, get_args

import pytest
from aws_cdk import App, RemovalPolicy, Stack

from infra.app import build_app
from infra.assets import migrations_digest, stage_functions_package
from infra.config import PROFILES, STAGES, ConfigError, StageConfig
from infra.constructs.capabilities import GRANTS, UnknownCapabilityError, check_capabilities
from infra.constructs.firewall import BODY_LIMIT_BYTES, CONTENT_LENGTH_OVER_LIMIT
from infra.layer_build import (
    PLATFORM,
    STAMP_NAME,
    LayerTooLargeError,
    check_size,
    is_current,
    pip_command,
    requirements_text,
    runtime_requirements,
)
from infra.wiring import AUTHORIZER, Capability


def config_from(context: dict[str, object]) -> StageConfig:
    return StageConfig.from_context(App(context=context).node)


def test_defaults_synthesize_a_dev_stage_offline() -> None:
    config = config_from({})
    assert (config.stage, config.stack_name, config.prefix) == ("dev", "LearnFlow-dev", "learnflow-dev")
    assert config.allowed_origins == ("http://localhost:3000",)
    assert config.alarm_email is None
    assert not config.require_dependencies_layer


def test_a_developer_gets_their_own_stack_and_names() -> None:
    config = config_from({"stage": "dev", "developer": "alice"})
    assert config.stack_name == "LearnFlow-dev-alice"
    assert config.name("websocket") == "learnflow-dev-alice-websocket"


def test_context_chooses_the_stage_and_its_settings() -> None:
    config = config_from(
        {
            "stage": "prod",
            "log_level": "debug",
            "cors_origins": "https://app.learnflow.dev, https://admin.learnflow.dev",
            "alarm_email": "ops@learnflow.dev",
            "require_dependencies_layer": "true",
        }
    )
    assert (config.stage, config.stack_name) == ("prod", "LearnFlow-prod")
    assert config.log_level == "DEBUG"
    assert config.allowed_origins == ("https://app.learnflow.dev", "https://admin.learnflow.dev")
    assert config.alarm_email == "ops@learnflow.dev"
    assert config.require_dependencies_layer


def test_prod_is_protected_and_redundant_dev_is_disposable() -> None:
    prod, dev = PROFILES["prod"], PROFILES["dev"]
    assert prod.database_deletion_protection and prod.database_multi_az
    assert prod.database_removal_policy == RemovalPolicy.SNAPSHOT
    assert prod.retained_data_policy == RemovalPolicy.RETAIN
    assert prod.default_cors_origins == ()  # production origins are always given explicitly
    assert not dev.database_deletion_protection
    assert dev.retained_data_policy == RemovalPolicy.DESTROY
    assert set(PROFILES) == set(STAGES)


def test_the_app_names_its_stack_after_the_stage_and_fixes_no_environment() -> None:
    app = build_app({"stage": "staging", "developer": "bob"})
    (stack,) = (child for child in app.node.children if isinstance(child, Stack))
    assert stack.node.id == "LearnFlow-staging-bob"
    assert stack.resolve(stack.account) == {"Ref": "AWS::AccountId"}


@pytest.mark.parametrize(
    ("context", "names"),
    [
        ({"stage": "qa"}, "stage"),
        ({"developer": "Alice!"}, "developer"),
        ({"stack_name": "bad name"}, "stack_name"),
        ({"log_level": "LOUD"}, "log_level"),
        ({"throttling_rate_limit": "0"}, "throttling_rate_limit"),
        ({"cors_origins": "*"}, "cors_origins"),
        ({"cors_origins": "app.example.com"}, "cors_origins"),
        ({"alarm_email": "not-an-address"}, "alarm_email"),
        ({"require_dependencies_layer": "maybe"}, "require_dependencies_layer"),
    ],
)
def test_malformed_context_is_refused_by_name(context: dict[str, object], names: str) -> None:
    with pytest.raises(ConfigError, match=names):
        config_from(context)


def test_every_capability_of_the_wiring_has_its_grant() -> None:
    assert set(GRANTS) == set(get_args(Capability))


def test_an_unknown_capability_stops_the_synth_naming_it() -> None:
    spec = replace(AUTHORIZER, capabilities=frozenset({cast(Capability, "teleport"), "database"}))
    with pytest.raises(
        UnknownCapabilityError, match=r"'authorizer'.*'teleport'.*infra/constructs/capabilities\.py"
    ):
        check_capabilities([spec])


@pytest.mark.parametrize(
    ("length", "refused"),
    [
        (0, False),
        (1024, False),
        (65_536, False),
        (BODY_LIMIT_BYTES - 1, False),
        (BODY_LIMIT_BYTES, False),
        (BODY_LIMIT_BYTES + 1, True),
        (1_048_599, True),
        (1_048_600, True),
        (1_049_999, True),
        (1_099_999, True),
        (1_999_999, True),
        (9_999_999, True),
        (10_485_760, True),
        (123_456_789_012, True),
    ],
)
def test_the_firewall_refuses_exactly_the_bodies_over_one_mib(length: int, refused: bool) -> None:
    assert bool(re.match(CONTENT_LENGTH_OVER_LIMIT, str(length))) is refused
    assert bool(re.match(CONTENT_LENGTH_OVER_LIMIT, f"00{length}")) is refused


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


def test_the_migrations_digest_follows_the_migration_files(tmp_path: Path) -> None:
    (tmp_path / "0001_initial.sql").write_text("CREATE TABLE a (id int);")
    before = migrations_digest(tmp_path)
    assert migrations_digest(tmp_path) == before
    (tmp_path / "0002_more.sql").write_text("ALTER TABLE a ADD COLUMN b int;")
    assert migrations_digest(tmp_path) != before


# --- the dependencies layer -------------------------------------------------------------------


def test_the_layer_holds_the_runtime_dependencies_not_the_dev_tools(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "x"\ndependencies = ["pydantic==2.0", "boto3==1.0"]\n'
        '[project.optional-dependencies]\ndev = ["pytest==9"]\n'
    )
    assert runtime_requirements(pyproject) == ["pydantic==2.0", "boto3==1.0"]
    assert "aws-cdk-lib" not in " ".join(runtime_requirements())


def test_the_layer_is_current_only_when_built_from_these_requirements(tmp_path: Path) -> None:
    requirements = ["pydantic==2.0"]
    assert not is_current(tmp_path, requirements)
    (tmp_path / "python").mkdir()
    assert not is_current(tmp_path, requirements), "no stamp: the build did not finish"
    (tmp_path / STAMP_NAME).write_text(requirements_text(requirements))
    assert is_current(tmp_path, requirements)
    assert not is_current(tmp_path, ["pydantic==2.1"])


def test_wheels_are_chosen_for_lambda_not_for_this_machine(tmp_path: Path) -> None:
    command = pip_command(tmp_path / "requirements.in", tmp_path / "python")
    assert command[:4] == [sys.executable, "-m", "pip", "install"]
    for flag, value in (
        ("--platform", PLATFORM),
        ("--python-version", "3.12"),
        ("--target", str(tmp_path / "python")),
    ):
        assert command[command.index(flag) + 1] == value
    assert "--only-binary=:all:" in command
    assert PLATFORM == "manylinux2014_x86_64"


def test_a_layer_too_large_for_lambda_is_refused_naming_the_largest_packages(tmp_path: Path) -> None:
    (tmp_path / "big").mkdir()
    (tmp_path / "big" / "blob.so").write_bytes(b"\0" * 3000)
    (tmp_path / "small.py").write_text("x = 1\n")
    assert check_size(tmp_path, limit=10_000) > 3000
    with pytest.raises(LayerTooLargeError, match=r"largest: big \(0 MiB\), small.py"):
        check_size(tmp_path, limit=1000)
