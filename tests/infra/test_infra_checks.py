"""cdk-nag and cfn-lint pass on the synthesized app; a prod synth with an image function passes too.

cdk-nag's AWS Solutions pack runs inside every synth (infra/app.py): a finding nobody
acknowledged fails it. cfn-lint checks the template CloudFormation will receive.
"""

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Annotations, Match, Template
from cfnlint.api import ManualArgs, lint_file  # type: ignore[import-untyped]

from infra.app import build_app
from infra.config import ConfigError
from infra.constructs.layers import MISSING_DEPENDENCIES_WARNING
from infra.wiring import ALL_FUNCTIONS, AUTHORIZER, FunctionSpec, RestRoute
from tests.infra.conftest import Synthesized, preflights_of, synthesize
from tests.infra.template_reading import Resource, assert_isolated_image_function, references

#: CloudFormation's limit is 500 resources a stack; past this budget, split the stack before it bites
RESOURCE_BUDGET = 450
#: W3005: CDK writes DependsOn next to a GetAtt of the same resource (harmless, and not ours to change)
IGNORED_LINT_CHECKS = ["W3005"]
PROD_ORIGIN = "https://app.learnflow.example"
SANDBOX_CLIENT = FunctionSpec(
    name="sandbox_client",
    handler="functions.health.handler.lambda_handler",
    description="A function made up for this test that runs code in the sandbox",
    capabilities=frozenset({"run_sandbox"}),
)


def nag_report(synthesized: Synthesized) -> dict[str, Any]:
    (report,) = (
        r for r in synthesized.validation_report()["pluginReports"] if r["pluginName"] == "AwsSolutions"
    )
    assert isinstance(report, dict)
    return report


def unacknowledged(report: dict[str, Any]) -> list[str]:
    return [
        f"{violation['ruleName']} at {construct['constructPath']}"
        for violation in report["violations"]
        for construct in violation["violatingConstructs"]
    ]


def lint(template_path: Path) -> list[str]:
    matches = lint_file(template_path, config=ManualArgs(ignore_checks=IGNORED_LINT_CHECKS))
    return [f"{match.rule.id} {match.message} ({match.path_string})" for match in matches]


# --- the default (dev) synth ------------------------------------------------------------------


def test_cdk_nag_finds_nothing_unacknowledged(synthesized: Synthesized) -> None:
    report = nag_report(synthesized)
    assert unacknowledged(report) == [], synthesized.failure
    assert synthesized.failure is None
    assert report["conclusion"] == "success"


def test_every_acknowledged_finding_has_a_written_reason(synthesized: Synthesized) -> None:
    suppressed = nag_report(synthesized)["suppressedViolations"]
    assert suppressed
    for violation in suppressed:
        assert len(violation["reason"].split()) >= 6, violation["ruleName"]


def test_cfn_lint_finds_nothing(synthesized: Synthesized) -> None:
    assert lint(synthesized.template_path) == []


def test_the_stack_stays_within_the_cloudformation_resource_limit(template_json: dict[str, Any]) -> None:
    count = len(template_json["Resources"])
    assert count < RESOURCE_BUDGET, (
        f"{count} resources: CloudFormation refuses more than 500 in one stack; "
        "move a concern (e.g. observability) into its own stack"
    )


def test_a_synth_that_must_ship_dependencies_refuses_to_run_without_them(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"require_dependencies_layer.*make layer"):
        build_app({"dependencies_layer_dir": str(tmp_path), "require_dependencies_layer": "true"})


# --- a prod synth, with a container-image function and no built dependencies ------------------


@pytest.fixture(scope="module")
def image_spec(tmp_path_factory: pytest.TempPathFactory) -> FunctionSpec:
    folder = tmp_path_factory.mktemp("synthetic_image")
    (folder / "Dockerfile").write_text("FROM public.ecr.aws/lambda/python:3.12\nCOPY runner.py ./\n")
    (folder / "runner.py").write_text("def lambda_handler(event, context):\n    return {}\n")
    return FunctionSpec(
        name="synthetic_runner",
        handler="runner.lambda_handler",
        description="A container-image function made up for this test",
        rest_routes=(RestRoute("POST", "/api/v1/synthetic-runs"),),
        image_directory=str(folder),  # absolute: taken as is, not under the repository
    )


@pytest.fixture(scope="module")
def prod(tmp_path_factory: pytest.TempPathFactory, image_spec: FunctionSpec) -> Synthesized:
    zip_specs = [spec for spec in ALL_FUNCTIONS if spec.image_directory is None]
    return synthesize(
        {
            "stage": "prod",
            "cors_origins": PROD_ORIGIN,
            "alarm_email": "ops@learnflow.example",
            "dependencies_layer_dir": str(tmp_path_factory.mktemp("no-layer")),
        },
        tmp_path_factory.mktemp("cdk.out.prod"),
        specs=[*zip_specs, replace(image_spec, reserved_concurrency=None), SANDBOX_CLIENT],
    )


@pytest.fixture(scope="module")
def prod_template(prod: Synthesized) -> Template:
    return Template.from_json(json.loads(prod.template_path.read_text()))


def test_prod_passes_cdk_nag(prod: Synthesized) -> None:
    """Prod acknowledges less (it is Multi-AZ and protected); cfn-lint runs on the dev template only."""
    assert unacknowledged(nag_report(prod)) == [], prod.failure
    assert prod.failure is None


def test_prod_data_is_protected_and_redundant(prod_template: Template) -> None:
    (instance,) = prod_template.find_resources("AWS::RDS::DBInstance").values()
    assert instance["Properties"]["DeletionProtection"] is True
    assert instance["Properties"]["MultiAZ"] is True
    assert instance["DeletionPolicy"] == "Snapshot"
    assert instance["Properties"]["BackupRetentionPeriod"] >= 7
    for queue in prod_template.find_resources("AWS::SQS::Queue").values():
        assert queue["DeletionPolicy"] == "Retain"


def test_an_image_function_is_built_from_its_folder_into_isolated_subnets(
    prod: Synthesized, prod_template: Template, image_spec: FunctionSpec
) -> None:
    (props,) = (
        resource["Properties"]
        for resource in prod_template.find_resources("AWS::Lambda::Function").values()
        if resource["Properties"].get("PackageType") == "Image"
    )
    assert props["ImageConfig"]["Command"] == [image_spec.handler]
    assert props["ReservedConcurrentExecutions"] >= 1, "a default cap when the spec sets none"
    assert "Layers" not in props
    assert_isolated_image_function(prod_template, props)
    assets = json.loads((prod.out / f"{prod.stack.artifact_id}.assets.json").read_text())
    (image,) = assets["dockerImages"].values()
    staged = prod.out / image["source"]["directory"]
    assert (staged / "Dockerfile").is_file(), "the image is built from the spec's folder at deploy time"


def test_without_built_dependencies_the_synth_warns_and_ships_the_package_alone(
    prod: Synthesized, prod_template: Template
) -> None:
    Annotations.from_stack(prod.stack).has_warning(
        "*", Match.string_like_regexp(f".*make layer.*\\[ack: {MISSING_DEPENDENCIES_WARNING}\\]")
    )
    for function in prod_template.find_resources("AWS::Lambda::Function").values():
        layers = function["Properties"].get("Layers", [])
        assert len(layers) <= 1


def test_prod_answers_its_own_origin_only(prod_template: Template) -> None:
    preflights = preflights_of(prod_template)
    assert preflights
    for props in preflights:
        (response,) = props["Integration"]["IntegrationResponses"]
        origin = response["ResponseParameters"]["method.response.header.Access-Control-Allow-Origin"]
        assert origin == f"'{PROD_ORIGIN}'"
    for response in prod_template.find_resources("AWS::ApiGateway::GatewayResponse").values():
        headers: Resource = response["Properties"]["ResponseParameters"]
        assert headers["gatewayresponse.header.Access-Control-Allow-Origin"] == f"'{PROD_ORIGIN}'"


def test_alarms_reach_the_configured_address(prod_template: Template) -> None:
    (subscription,) = prod_template.find_resources("AWS::SNS::Subscription").values()
    assert subscription["Properties"]["Protocol"] == "email"
    assert subscription["Properties"]["Endpoint"] == "ops@learnflow.example"


def test_the_authorizer_is_always_part_of_the_app() -> None:
    assert AUTHORIZER in ALL_FUNCTIONS


def test_run_sandbox_lets_a_function_invoke_the_image_function_by_name(prod_template: Template) -> None:
    lambdas = prod_template.find_resources("AWS::Lambda::Function")
    (image_id,) = (k for k, v in lambdas.items() if v["Properties"].get("PackageType") == "Image")
    ((_client_id, client),) = (
        (k, v)
        for k, v in lambdas.items()
        if v["Properties"].get("FunctionName") == "learnflow-prod-sandbox_client"
    )
    assert client["Properties"]["Environment"]["Variables"]["SANDBOX_FUNCTION_NAME"] == {"Ref": image_id}
    role = client["Properties"]["Role"]["Fn::GetAtt"][0]
    statements = [
        statement
        for policy in prod_template.find_resources("AWS::IAM::Policy").values()
        if {"Ref": role} in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]
    (invoke,) = (s for s in statements if s["Action"] == "lambda:InvokeFunction")
    assert references(invoke["Resource"]) == {image_id}
    assert invoke["Resource"] == {"Fn::GetAtt": [image_id, "Arn"]}, "the function itself, not `arn:*`"
