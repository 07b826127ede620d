"""Synthesizes the CDK app once for every infra test.

The jsii kernel reads its environment when it starts, so the variables are set before the
first `aws_cdk` import: the built-in CloudFormation validation would triple the synth time.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("CDK_VALIDATION", "false")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from aws_cdk import Stack
from aws_cdk.assertions import Template

from infra.app import build_app
from tests.infra.template_reading import Resource


@pytest.fixture(scope="session")
def cdk_out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("cdk.out")


@pytest.fixture(scope="session")
def stack(cdk_out: Path) -> Stack:
    app = build_app(outdir=str(cdk_out))
    (child,) = (node for node in app.node.children if isinstance(node, Stack))
    return child


@pytest.fixture(scope="session")
def template(stack: Stack) -> Template:
    """Synthesizes the stack (once: every test reads this one template)."""
    return Template.from_stack(stack)


@pytest.fixture(scope="session")
def functions(template: Template) -> dict[str, tuple[str, Resource]]:
    """(logical id, properties) of every function, by spec name."""
    found: dict[str, tuple[str, Resource]] = {}
    for logical_id, resource in template.find_resources("AWS::Lambda::Function").items():
        name = resource["Properties"]["Environment"]["Variables"]["POWERTOOLS_SERVICE_NAME"]
        assert name not in found, f"two functions serve {name}"
        found[name] = (logical_id, resource["Properties"])
    return found


@pytest.fixture(scope="session")
def function_names(functions: dict[str, tuple[str, Resource]]) -> dict[str, str]:
    """Spec name by logical id."""
    return {logical_id: name for name, (logical_id, _props) in functions.items()}


@pytest.fixture(scope="session")
def rest_methods(template: Template, function_names: dict[str, str]) -> dict[tuple[str, str], Resource]:
    """Methods by (HTTP method, full path), paths rebuilt from the PathPart/ParentId chains."""
    resources = template.find_resources("AWS::ApiGateway::Resource")

    def path_of(resource_ref: Any) -> str:
        if "Ref" not in resource_ref:  # Fn::GetAtt [api, RootResourceId]
            return ""
        props = resources[resource_ref["Ref"]]["Properties"]
        return f"{path_of(props['ParentId'])}/{props['PathPart']}"

    return {
        (props["HttpMethod"], path_of(props["ResourceId"]) or "/"): props
        for props in (m["Properties"] for m in template.find_resources("AWS::ApiGateway::Method").values())
    }
