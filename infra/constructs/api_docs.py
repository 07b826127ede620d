"""The REST API's documents on the web site, at /api/docs/: the OpenAPI document and Swagger UI over it.

`openapi.json` is `docs/openapi.json` (`make openapi`) with its servers replaced by this deployment's
REST API, whose URL CloudFormation fills in at deploy time. `index.html`, `start.js` and Swagger UI's
files under `assets/` are the page the local cloud serves at /api/v1/docs (`apispec/swagger_ui.py`).
"""

import json
from pathlib import Path
from typing import Any

from aws_cdk import Annotations
from aws_cdk import aws_s3_deployment as s3_deployment
from constructs import Construct

from apispec import swagger_ui
from infra.assets import REPO_ROOT, STAGING_DIR, stage_tree
from infra.config import StageConfig
from infra.constructs.web_site import LearnFlowWebSite

PATH = "api/docs"
OPENAPI_DOCUMENT = REPO_ROOT / "docs" / "openapi.json"
MISSING_SWAGGER_UI_WARNING = "learnflow:noSwaggerUi"


def deployed_document(document: Path, *, api_url: str, description: str) -> str:
    """The OpenAPI document, written as `make openapi` writes it, whose only server is the deployed REST API.

    It is handed to CDK as text: an object would lose its null values on the way to CDK's JavaScript.
    """
    openapi: dict[str, Any] = json.loads(document.read_text())
    openapi["servers"] = [{"url": api_url, "description": description}]
    return json.dumps(openapi, indent=2, ensure_ascii=False) + "\n"


class ApiDocs(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        site: LearnFlowWebSite,
        api_origin: str,
        api_url: str,
        config: StageConfig,
        document: Path = OPENAPI_DOCUMENT,
    ) -> None:
        """`api_url` is the REST API's stage URL (no trailing slash), `api_origin` the origin it is on."""
        super().__init__(scope, construct_id)
        openapi = deployed_document(document, api_url=api_url, description=f"The REST API of {config.prefix}")
        sources = [s3_deployment.Source.data("openapi.json", openapi), *self._swagger_ui(config)]
        self.deployment = site.publish(
            PATH,
            sources=sources,
            content_security_policy=swagger_ui.content_security_policy([api_origin]),
        )
        self.url = site.url_of(f"{PATH}/index.html")

    def _swagger_ui(self, config: StageConfig) -> list[s3_deployment.ISource]:
        installed = config.swagger_ui_dir
        missing = [name for name in swagger_ui.SWAGGER_UI_ASSETS if not (installed / name).is_file()]
        if missing:
            Annotations.of(self).add_warning_v2(
                MISSING_SWAGGER_UI_WARNING,
                f"Swagger UI is not installed in {installed} (missing {', '.join(missing)}; npm package "
                "swagger-ui-dist, `make install`): the API docs publish openapi.json without its page",
            )
            return []
        assets = stage_tree(
            {f"assets/{name}": installed / name for name in swagger_ui.SWAGGER_UI_ASSETS},
            STAGING_DIR,
            label="swagger-ui",
        )
        return [
            s3_deployment.Source.data("index.html", swagger_ui.page(".")),
            s3_deployment.Source.data(swagger_ui.START_SCRIPT, swagger_ui.start_script("openapi.json")),
            s3_deployment.Source.asset(str(assets)),
        ]
