"""The web console at the web site's root: the built console and a config.json naming this stage's APIs,
a Content-Security-Policy that lets it call those APIs only, page paths answered with index.html, and
the REST API's CORS allowing the site it is served from."""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk.assertions import Annotations, Match, Template

from infra.config import StageConfig
from infra.constructs.web_console import MISSING_CONSOLE_WARNING, WebConsole
from infra.constructs.web_site import LearnFlowWebSite
from tests.infra.conftest import preflights_of
from tests.infra.site_reading import (
    DOCS_PREFIX,
    behaviors,
    content_security_policy,
    deployment_at,
    directives,
    published_files,
    the_one,
)
from tests.infra.template_reading import Resource, references, render

ROOT_PREFIX = "root/"


@pytest.fixture(scope="module")
def console_origin(template_json: dict[str, Any]) -> str:
    """The origin of the page the WebSiteUrl output leads to."""
    return render(template_json["Outputs"]["WebSiteUrl"]["Value"]).removesuffix("/")


@pytest.fixture(scope="module")
def websocket_origin(template: Template) -> str:
    api_id, _api = the_one(template, "AWS::ApiGatewayV2::Api")
    return f"wss://${{{api_id}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}"


@pytest.fixture(scope="module")
def root(template: Template) -> Resource:
    return deployment_at(template, ROOT_PREFIX)


@pytest.fixture(scope="module")
def published(root: Resource, cdk_out: Path) -> dict[str, str]:
    return published_files(root, cdk_out)


def test_the_console_is_the_sites_root_and_its_only_connections_are_the_two_apis(
    template: Template, distribution: tuple[str, Resource], api_origin: str, websocket_origin: str
) -> None:
    policy = content_security_policy(template, behaviors(distribution[1])["*"])
    assert "unsafe-eval" not in policy
    found = directives(policy)
    assert found["default-src"] == ["'self'"]
    assert found["script-src"] == ["'self'"], "no inline script, no eval, no other site"
    assert found["connect-src"] == ["'self'", api_origin, websocket_origin]
    assert found["img-src"] == ["'self'", "data:"]
    assert found["object-src"] == ["'none'"]
    assert found["frame-ancestors"] == ["'none'"]
    assert found["base-uri"] == ["'self'"]


def test_config_json_names_this_stages_rest_and_websocket_apis(
    template: Template, published: dict[str, str], api_origin: str, websocket_origin: str
) -> None:
    (rest_stage,) = template.find_resources("AWS::ApiGateway::Stage")
    _id, websocket_stage = the_one(template, "AWS::ApiGatewayV2::Stage")
    assert json.loads(published["config.json"]) == {
        "api_url": f"{api_origin}/${{{rest_stage}}}",
        "websocket_url": f"{websocket_origin}/{websocket_stage['Properties']['StageName']}",
    }


def test_the_built_console_is_published_beside_it_and_refreshed_at_each_deploy(
    root: Resource, published: dict[str, str], console_dist_dir: Path, distribution: tuple[str, Resource]
) -> None:
    built = {
        path.relative_to(console_dist_dir).as_posix()
        for path in console_dist_dir.rglob("*")
        if path.is_file() and ".vite" not in path.parts
    }
    assert set(published) == {*built, "config.json"}, "Vite's manifest stays behind"
    assert published["index.html"] == (console_dist_dir / "index.html").read_text()
    assert root["Prune"] is True, "files dropped from the console are deleted from the site"
    assert references(root["DistributionId"]) == {distribution[0]}
    assert root["DistributionPaths"] == ["/*"]


def run_root_paths_function(code: str, uris: list[str]) -> list[str]:
    """The URIs the CloudFront Function sends to the bucket, run in Node.js (CloudFront's own runtime is
    a subset of ECMAScript that Node.js runs unchanged)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is missing: run `make install`")
    rewrite = "(uri) => handler({request: {uri}}).uri"
    script = f"{code}\nconsole.log(JSON.stringify({json.dumps(uris)}.map({rewrite})));"
    ran = subprocess.run([node, "-e", script], capture_output=True, text=True, timeout=30, check=False)
    assert ran.returncode == 0, ran.stderr
    rewritten: list[str] = json.loads(ran.stdout)
    return rewritten


def test_the_consoles_own_paths_get_its_page_and_its_files_come_from_its_folder(
    template: Template, distribution: tuple[str, Resource]
) -> None:
    default = behaviors(distribution[1])["*"]
    (association,) = default["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    functions = template.find_resources("AWS::CloudFront::Function")
    (function_id,) = references(association["FunctionARN"])
    code = functions[function_id]["Properties"]["FunctionCode"]

    pages = ["/", "/tutor", "/signin", "/exercises/7d0c1f52-2b1e-4c5e-9d43-1f2a3b4c5d6e", "/teacher/x/"]
    files = ["/config.json", "/assets/index-c0ffee.js", "/favicon.ico"]
    assert run_root_paths_function(code, pages + files) == [
        *(f"/{ROOT_PREFIX}index.html" for _ in pages),
        *(f"/{ROOT_PREFIX.rstrip('/')}{file}" for file in files),
    ]


def test_the_api_docs_keep_their_own_behavior_untouched_by_the_consoles_paths(
    template: Template, distribution: tuple[str, Resource]
) -> None:
    docs = behaviors(distribution[1])[f"/{DOCS_PREFIX}*"]
    assert "FunctionAssociations" not in docs, "openapi.json and Swagger UI are served as they are"
    assert "ErrorResponses" not in distribution[1], "no error page stands in for a missing document"
    assert deployment_at(template, DOCS_PREFIX)["DistributionPaths"] == [f"/{DOCS_PREFIX}*"]


def test_the_rest_api_answers_browsers_on_the_consoles_origin(
    template: Template, functions: dict[str, tuple[str, Resource]], console_origin: str
) -> None:
    rest_functions = [
        props["Environment"]["Variables"]
        for _id, props in functions.values()
        if "LEARNFLOW_CORS_ORIGINS" in props["Environment"]["Variables"]
    ]
    assert rest_functions
    for variables in rest_functions:
        allowed = render(variables["LEARNFLOW_CORS_ORIGINS"]).split(",")
        assert console_origin in allowed
    preflights = preflights_of(template)
    assert preflights
    for props in preflights:
        (response,) = props["Integration"]["IntegrationResponses"]
        answer = render(response["ResponseTemplates"]["application/json"])
        assert console_origin.removeprefix("https://") in answer, "the origin a preflight from it gets back"


def test_without_a_built_console_the_synth_warns_and_publishes_config_json_alone(tmp_path: Path) -> None:
    stack = Stack(App(outdir=str(tmp_path / "cdk.out")), "Console")
    config = StageConfig(console_dist_dir=tmp_path / "not-built")
    site = LearnFlowWebSite(stack, "WebSite", config=config)
    WebConsole(
        stack,
        "WebConsole",
        site=site,
        api_origin="https://api.test",
        api_url="https://api.test/dev",
        websocket_origin="wss://ws.test",
        websocket_url="wss://ws.test/dev",
        config=config,
    )
    Annotations.from_stack(stack).has_warning(
        "*", Match.string_like_regexp(f".*make console.*\\[ack: {MISSING_CONSOLE_WARNING}\\]")
    )
    (deployment,) = Template.from_stack(stack).find_resources("Custom::CDKBucketDeployment").values()
    assert len(deployment["Properties"]["SourceObjectKeys"]) == 1, "config.json alone"
