"""The REST API's documents on the local cloud: the OpenAPI document and Swagger UI to try it.

- `GET /api/v1/openapi.json`: `docs/openapi.json`, as `make openapi` generated and committed it;
- `GET /api/v1/docs`: Swagger UI from the npm package `swagger-ui-dist` (installed by
  `make install`), served from this machine: nothing is fetched from the internet.
"""

import asyncio
from http import HTTPStatus
from pathlib import Path

from aiohttp import web

from localcloud.config import REPO_ROOT
from localcloud.gateway_responses import gateway_response

OPENAPI_PATH = "/api/v1/openapi.json"
DOCS_PATH = "/api/v1/docs"
OPENAPI_DOCUMENT = REPO_ROOT / "docs" / "openapi.json"
SWAGGER_UI = REPO_ROOT / "node_modules" / "swagger-ui-dist"

_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>LearnFlow API</title>
  <link rel="stylesheet" href="{docs}/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{docs}/assets/swagger-ui-bundle.js"></script>
  <script src="{docs}/start.js"></script>
</body>
</html>
"""

_START = """window.ui = SwaggerUIBundle({{
  url: "{openapi}",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: false,
}});
"""

#: no inline script, nothing from another origin
_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
}


def add_routes(
    app: web.Application, *, document: Path = OPENAPI_DOCUMENT, swagger_ui: Path = SWAGGER_UI
) -> None:
    """Adds the documents' routes; call before the gateway's catch-all route."""

    async def openapi(_: web.Request) -> web.StreamResponse:
        if not await asyncio.to_thread(document.exists):
            return _missing(f"{document.name} is missing: run `make openapi`.")
        return web.FileResponse(document, headers={"Content-Type": "application/json"})

    async def page(_: web.Request) -> web.StreamResponse:
        if not await asyncio.to_thread((swagger_ui / "swagger-ui-bundle.js").exists):
            return _missing(
                "Swagger UI is not installed here: run `make install` (npm package swagger-ui-dist)."
            )
        return web.Response(
            text=_PAGE.format(docs=DOCS_PATH), content_type="text/html", headers=_PAGE_HEADERS
        )

    async def start(_: web.Request) -> web.StreamResponse:
        return web.Response(text=_START.format(openapi=OPENAPI_PATH), content_type="text/javascript")

    async def to_page(_: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(DOCS_PATH)

    app.router.add_get(OPENAPI_PATH, openapi)
    app.router.add_get(DOCS_PATH, page)
    app.router.add_get(f"{DOCS_PATH}/", to_page)
    app.router.add_get(f"{DOCS_PATH}/start.js", start)
    if swagger_ui.is_dir():
        app.router.add_static(f"{DOCS_PATH}/assets", swagger_ui, follow_symlinks=False)


def _missing(message: str) -> web.Response:
    return gateway_response(HTTPStatus.SERVICE_UNAVAILABLE, message=message)
