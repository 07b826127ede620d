"""The web site: a private bucket that only CloudFront reads, served over HTTPS with security headers,
publishing the REST API's documents at /api/docs/ and allowed by the API's CORS."""

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from aws_cdk import App, Stack
from aws_cdk.assertions import Annotations, Match, Template

from apispec import swagger_ui
from infra.config import StageConfig
from infra.constructs.api_docs import MISSING_SWAGGER_UI_WARNING, OPENAPI_DOCUMENT, ApiDocs
from infra.constructs.rest_api import BrowserOrigins
from infra.constructs.web_site import LearnFlowWebSite
from localcloud import api_docs
from tests.infra.conftest import preflights_of
from tests.infra.site_reading import (
    DOCS_PREFIX,
    behaviors,
    content_security_policy,
    deployment_at,
    directives,
    distribution_of,
    published_files,
    security_headers,
)
from tests.infra.template_reading import Resource, references, render

DEV_ORIGIN = "http://localhost:3000"
SWAGGER_UI_FILES = {f"assets/{name}" for name in swagger_ui.SWAGGER_UI_ASSETS}
ONE_YEAR_SECONDS = 365 * 24 * 3600


# --- reading the template ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_origin(distribution: tuple[str, Resource]) -> str:
    return f"https://${{{distribution[0]}.DomainName}}"


@pytest.fixture(scope="module")
def site_bucket(template: Template, distribution: tuple[str, Resource]) -> str:
    (origin,) = distribution[1]["Origins"]
    (bucket_id,) = references(origin["DomainName"])
    return bucket_id


@pytest.fixture(scope="module")
def deployment(template: Template) -> Resource:
    return deployment_at(template, DOCS_PREFIX)


@pytest.fixture(scope="module")
def published(deployment: Resource, cdk_out: Path) -> dict[str, str]:
    return published_files(deployment, cdk_out)


class PageElements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts.append(data)


# --- the bucket and the distribution ----------------------------------------------------------


def test_the_bucket_is_private_and_only_cloudfront_reads_it(
    template: Template, site_bucket: str, distribution: tuple[str, Resource]
) -> None:
    bucket = template.find_resources("AWS::S3::Bucket")[site_bucket]["Properties"]
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    (encryption,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert "WebsiteConfiguration" not in bucket, "no public website endpoint"
    assert "LoggingConfiguration" in bucket

    (policy,) = (
        p["Properties"]["PolicyDocument"]
        for p in template.find_resources("AWS::S3::BucketPolicy").values()
        if references(p["Properties"]["Bucket"]) == {site_bucket}
    )
    statements = policy["Statement"]
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for s in statements
    ), "TLS only"
    readers = [s for s in statements if s["Effect"] == "Allow" and "s3:GetObject" in str(s["Action"])]
    (reader,) = readers
    assert reader["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    (source,) = reader["Condition"]["StringEquals"].values()
    assert render(source) == (
        f"arn:${{AWS::Partition}}:cloudfront::${{AWS::AccountId}}:distribution/${{{distribution[0]}}}"
    ), "this distribution only"

    (origin,) = distribution[1]["Origins"]
    (control_id,) = references(origin["OriginAccessControlId"])
    control = template.find_resources("AWS::CloudFront::OriginAccessControl")[control_id]["Properties"]
    assert control["OriginAccessControlConfig"]["SigningBehavior"] == "always"
    assert control["OriginAccessControlConfig"]["OriginAccessControlOriginType"] == "s3"


def test_the_distribution_and_the_bucket_log_to_the_log_bucket(
    template: Template, site_bucket: str, distribution: tuple[str, Resource]
) -> None:
    buckets = template.find_resources("AWS::S3::Bucket")
    (log_bucket,) = references(distribution[1]["Logging"]["Bucket"])
    assert log_bucket != site_bucket
    assert references(
        buckets[site_bucket]["Properties"]["LoggingConfiguration"]["DestinationBucketName"]
    ) == {log_bucket}
    assert set(buckets[log_bucket]["Properties"]["PublicAccessBlockConfiguration"].values()) == {True}


def test_viewers_are_sent_to_https_and_every_answer_has_the_security_headers(
    template: Template, distribution: tuple[str, Resource]
) -> None:
    for pattern, behavior in behaviors(distribution[1]).items():
        assert behavior["ViewerProtocolPolicy"] == "redirect-to-https", pattern
        assert behavior["AllowedMethods"] == ["GET", "HEAD"], pattern
        headers = security_headers(template, behavior)
        assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= ONE_YEAR_SECONDS, pattern
        assert "ContentTypeOptions" in headers, pattern  # nosniff
        assert headers["FrameOptions"]["FrameOption"] == "DENY", pattern
        assert headers["ReferrerPolicy"]["ReferrerPolicy"] == "no-referrer", pattern
        assert "ContentSecurityPolicy" in headers, pattern
        assert all(header["Override"] for header in headers.values()), pattern


def test_the_api_docs_may_load_from_the_site_only_and_call_the_api(
    template: Template, distribution: tuple[str, Resource], api_origin: str
) -> None:
    docs = behaviors(distribution[1])[f"/{DOCS_PREFIX}*"]
    policy = content_security_policy(template, docs)
    assert "unsafe-eval" not in policy
    found = directives(policy)
    assert found["default-src"] == ["'self'"]
    assert found["script-src"] == ["'self'"]
    assert found["style-src"] == ["'self'", "'unsafe-inline'"]
    assert found["img-src"] == ["'self'", "data:"]
    assert found["connect-src"] == ["'self'", api_origin]
    assert found["frame-ancestors"] == ["'none'"]


def test_a_site_with_nothing_published_at_its_root_lets_nothing_load_there(tmp_path: Path) -> None:
    stack = Stack(App(outdir=str(tmp_path / "cdk.out")), "Site")
    LearnFlowWebSite(stack, "WebSite", config=StageConfig())
    template = Template.from_stack(stack)
    policy = content_security_policy(template, behaviors(distribution_of(template)[1])["*"])
    assert directives(policy)["default-src"] == ["'none'"]


# --- what is published ------------------------------------------------------------------------


def test_the_api_docs_are_published_under_api_docs_and_refreshed_at_each_deploy(
    deployment: Resource, site_bucket: str, distribution: tuple[str, Resource], published: dict[str, str]
) -> None:
    assert references(deployment["DestinationBucketName"]) == {site_bucket}
    assert deployment["DestinationBucketKeyPrefix"] == DOCS_PREFIX
    assert deployment["Prune"] is True, "files dropped from the docs are deleted from the site"
    assert references(deployment["DistributionId"]) == {distribution[0]}
    assert deployment["DistributionPaths"] == [f"/{DOCS_PREFIX}*"]
    assert set(published) == {"openapi.json", "index.html", swagger_ui.START_SCRIPT, *SWAGGER_UI_FILES}


def test_the_published_document_is_the_committed_one_pointed_at_this_api(
    template: Template, published: dict[str, str], api_origin: str
) -> None:
    (stage_id,) = template.find_resources("AWS::ApiGateway::Stage")
    document = json.loads(published["openapi.json"])
    assert document["servers"] == [
        {"url": f"{api_origin}/${{{stage_id}}}", "description": "The REST API of learnflow-dev"}
    ]
    committed = json.loads(OPENAPI_DOCUMENT.read_text())
    assert {**document, "servers": None} == {**committed, "servers": None}


def test_the_published_page_starts_swagger_ui_on_the_document_beside_it(
    published: dict[str, str], swagger_ui_dir: Path
) -> None:
    page = PageElements()
    page.feed(published["index.html"])
    assert page.inline_scripts == [], "the CSP allows no inline script"
    assert set(page.urls) == {f"./{swagger_ui.START_SCRIPT}", *(f"./{name}" for name in SWAGGER_UI_FILES)}
    assert 'url: "openapi.json"' in published[swagger_ui.START_SCRIPT]
    for name in swagger_ui.SWAGGER_UI_ASSETS:
        assert published[f"assets/{name}"] == (swagger_ui_dir / name).read_text(), (
            "copied from swagger-ui-dist"
        )


def test_without_swagger_ui_the_synth_warns_and_publishes_the_document_alone(tmp_path: Path) -> None:
    stack = Stack(App(outdir=str(tmp_path / "cdk.out")), "Docs")
    config = StageConfig(swagger_ui_dir=tmp_path / "not-installed")
    site = LearnFlowWebSite(stack, "WebSite", config=config)
    ApiDocs(
        stack,
        "ApiDocs",
        site=site,
        api_origin="https://api.test",
        api_url="https://api.test/dev",
        config=config,
    )
    Annotations.from_stack(stack).has_warning(
        "*", Match.string_like_regexp(f".*make install.*\\[ack: {MISSING_SWAGGER_UI_WARNING}\\]")
    )
    (deployment,) = Template.from_stack(stack).find_resources("Custom::CDKBucketDeployment").values()
    assert len(deployment["Properties"]["SourceObjectKeys"]) == 1, "openapi.json alone"


async def test_the_local_cloud_serves_the_page_the_stack_publishes(
    published: dict[str, str], swagger_ui_dir: Path, tmp_path: Path
) -> None:
    """Both are apispec/swagger_ui.py's page: the local one at absolute URLs, the published one relative."""
    app = web.Application()
    api_docs.add_routes(app, document=tmp_path / "openapi.json", swagger_ui=swagger_ui_dir)
    async with TestClient(TestServer(app)) as client:
        local_page = await (await client.get(api_docs.DOCS_PATH)).text()
        local_start = await (await client.get(f"{api_docs.DOCS_PATH}/{swagger_ui.START_SCRIPT}")).text()
    assert published["index.html"].replace('="./', f'="{api_docs.DOCS_PATH}/') == local_page
    assert (
        published[swagger_ui.START_SCRIPT].replace('"openapi.json"', f'"{api_docs.OPENAPI_PATH}"')
        == local_start
    )


# --- the API allows the site ------------------------------------------------------------------


def test_the_rest_functions_answer_browsers_on_the_site(
    functions: dict[str, tuple[str, Resource]], site_origin: str
) -> None:
    origins = {
        render(props["Environment"]["Variables"]["LEARNFLOW_CORS_ORIGINS"])
        for _id, props in functions.values()
        if "LEARNFLOW_CORS_ORIGINS" in props["Environment"]["Variables"]
    }
    assert origins == {f"{DEV_ORIGIN},{site_origin}"}


def test_preflights_allow_the_site(template: Template, site_origin: str) -> None:
    preflights = preflights_of(template)
    assert preflights
    for props in preflights:
        (response,) = props["Integration"]["IntegrationResponses"]
        answer = render(response["ResponseTemplates"]["application/json"])
        assert site_origin.removeprefix("https://") in answer, (
            "the origin a preflight from the site gets back"
        )


@pytest.mark.parametrize(
    ("configured", "of_gateway_errors"),
    [
        ((), "https://site"),
        (("https://app",), "https://app"),
        (("https://app", "https://admin"), None),
    ],
)
def test_api_gateways_own_errors_name_the_one_origin_they_can(
    configured: tuple[str, ...], of_gateway_errors: str | None
) -> None:
    origins = BrowserOrigins(configured=configured, web_site="https://site")
    assert origins.all == (*configured, "https://site")
    assert origins.of_gateway_errors == of_gateway_errors


# --- outputs ----------------------------------------------------------------------------------


def test_the_outputs_lead_to_the_site_and_the_api_docs(
    template_json: dict[str, Any], site_origin: str
) -> None:
    outputs = template_json["Outputs"]
    assert render(outputs["WebSiteUrl"]["Value"]) == f"{site_origin}/"
    assert render(outputs["ApiDocsUrl"]["Value"]) == f"{site_origin}/{DOCS_PREFIX}index.html"
