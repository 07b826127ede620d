"""Synthesizes the CDK app once for every infra test (cdk-nag included), as `make synth` does.

The jsii kernel reads its environment when it starts, so the variables are set before the
first `aws_cdk` import: the built-in CloudFormation validation would triple the synth time.
"""

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("CDK_VALIDATION", "false")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from aws_cdk import App, Stack
from aws_cdk.assertions import Template

from apispec.swagger_ui import SWAGGER_UI_ASSETS
from infra.app import build_app
from infra.constructs.functions import FUNCTION_TAG
from infra.layer_build import STAMP_NAME, requirements_text, runtime_requirements
from infra.stacks.learnflow_stack import LearnFlowStack
from tests.infra.site_reading import distribution_of, the_one
from tests.infra.template_reading import Resource, tag_value


@dataclass(frozen=True)
class Synthesized:
    app: App
    stack: LearnFlowStack
    out: Path
    #: why the synth failed (cdk-nag findings), or None
    failure: str | None

    @property
    def template_path(self) -> Path:
        return self.out / f"{self.stack.artifact_id}.template.json"

    def validation_report(self) -> dict[str, Any]:
        report: dict[str, Any] = json.loads((self.out / "validation-report.json").read_text())
        return report


def fake_dependencies_layer(folder: Path) -> Path:
    """A built dependencies layer as `make layer` leaves it, without downloading anything."""
    (folder / "python").mkdir(parents=True)
    (folder / "python" / "placeholder.py").write_text("")
    (folder / STAMP_NAME).write_text(requirements_text(runtime_requirements()))
    return folder


def fake_swagger_ui(folder: Path) -> Path:
    """swagger-ui-dist as `make install` leaves it (the files' names, made-up contents), plus a file the
    API docs do not need."""
    folder.mkdir(parents=True)
    for name in (*SWAGGER_UI_ASSETS, "swagger-ui-es-bundle.js"):
        (folder / name).write_text(f"/* {name} of swagger-ui-dist */\n")
    return folder


def fake_console(folder: Path) -> Path:
    """console/dist as `make console` leaves it: the page, a hashed script and Vite's manifest."""
    (folder / "assets").mkdir(parents=True)
    (folder / ".vite").mkdir()
    (folder / "index.html").write_text(
        '<!doctype html><html><head><script type="module" src="/assets/index-c0ffee.js"></script></head>'
        '<body><div id="app"></div></body></html>\n'
    )
    (folder / "assets" / "index-c0ffee.js").write_text("/* the console */\n")
    (folder / ".vite" / "manifest.json").write_text("{}\n")
    return folder


def synthesize(context: dict[str, Any], out: Path, **kwargs: Any) -> Synthesized:
    app = build_app(context, outdir=str(out), **kwargs)
    (stack,) = (node for node in app.node.children if isinstance(node, Stack))
    assert isinstance(stack, LearnFlowStack)
    try:
        app.synth()
    except RuntimeError as error:  # the template is written before the plugins validate it
        return Synthesized(app, stack, out, str(error))
    return Synthesized(app, stack, out, None)


@pytest.fixture(scope="session")
def cdk_out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("cdk.out")


@pytest.fixture(scope="session")
def swagger_ui_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fake_swagger_ui(tmp_path_factory.mktemp("node_modules") / "swagger-ui-dist")


@pytest.fixture(scope="session")
def console_dist_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fake_console(tmp_path_factory.mktemp("console") / "dist")


@pytest.fixture(scope="session")
def synthesized(
    cdk_out: Path, swagger_ui_dir: Path, console_dist_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Synthesized:
    layer = fake_dependencies_layer(tmp_path_factory.mktemp("layer") / "layer")
    context = {
        "dependencies_layer_dir": str(layer),
        "swagger_ui_dir": str(swagger_ui_dir),
        "console_dist_dir": str(console_dist_dir),
    }
    return synthesize(context, cdk_out)


@pytest.fixture(scope="session")
def stack(synthesized: Synthesized) -> LearnFlowStack:
    return synthesized.stack


@pytest.fixture(scope="session")
def template_json(synthesized: Synthesized) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(synthesized.template_path.read_text())
    return document


@pytest.fixture(scope="session")
def template(template_json: dict[str, Any]) -> Template:
    """The one synthesized template every test reads."""
    return Template.from_json(template_json)


@pytest.fixture(scope="session")
def functions(template: Template) -> dict[str, tuple[str, Resource]]:
    """(logical id, properties) of every function of the wiring, by spec name."""
    found: dict[str, tuple[str, Resource]] = {}
    for logical_id, resource in template.find_resources("AWS::Lambda::Function").items():
        name = tag_value(resource["Properties"], FUNCTION_TAG)
        if name is None:
            continue
        assert name not in found, f"two functions serve {name}"
        found[name] = (logical_id, resource["Properties"])
    return found


@pytest.fixture(scope="session")
def function_names(functions: dict[str, tuple[str, Resource]]) -> dict[str, str]:
    """Spec name by logical id."""
    return {logical_id: name for name, (logical_id, _props) in functions.items()}


@pytest.fixture(scope="session")
def rest_methods(template: Template) -> dict[tuple[str, str], Resource]:
    """Methods by (HTTP method, full path), paths rebuilt from the PathPart/ParentId chains.

    CORS preflights (OPTIONS answered by a mock integration) are left out: they are no route.
    """
    resources = template.find_resources("AWS::ApiGateway::Resource")

    def path_of(resource_ref: Any) -> str:
        if "Ref" not in resource_ref:  # Fn::GetAtt [api, RootResourceId]
            return ""
        props = resources[resource_ref["Ref"]]["Properties"]
        return f"{path_of(props['ParentId'])}/{props['PathPart']}"

    return {
        (props["HttpMethod"], path_of(props["ResourceId"]) or "/"): props
        for props in (m["Properties"] for m in template.find_resources("AWS::ApiGateway::Method").values())
        if not is_preflight(props)
    }


def is_preflight(method: Resource) -> bool:
    return bool(method["HttpMethod"] == "OPTIONS" and method["Integration"]["Type"] == "MOCK")


def preflights_of(template: Template) -> list[Resource]:
    """The properties of every CORS preflight method of the REST API."""
    return [
        method["Properties"]
        for method in template.find_resources("AWS::ApiGateway::Method").values()
        if is_preflight(method["Properties"])
    ]


@pytest.fixture(scope="module")
def distribution(template: Template) -> tuple[str, Resource]:
    """The web site's distribution: its logical id and its DistributionConfig."""
    return distribution_of(template)


@pytest.fixture(scope="module")
def api_origin(template: Template) -> str:
    """The REST API's origin, as the template writes it."""
    api_id, _api = the_one(template, "AWS::ApiGateway::RestApi")
    return f"https://${{{api_id}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}"
