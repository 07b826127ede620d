"""The REST API's documents on the local cloud: the OpenAPI document and Swagger UI to try it.

- `GET /api/v1/openapi.json`: `docs/openapi.json`, as `make openapi` generated and committed it;
- `GET /api/v1/docs`: Swagger UI from the npm package `swagger-ui-dist` (installed by
  `make install`), served from this machine: nothing is fetched from the internet. The page and its
  start script are the ones the deployed stack publishes (`apispec/swagger_ui.py`).
"""

import asyncio
from http import HTTPStatus
from pathlib import Path

from aiohttp import web

from apispec import swagger_ui as swagger
from localcloud.config import REPO_ROOT
from localcloud.gateway_responses import gateway_response

OPENAPI_PATH = "/api/v1/openapi.json"
DOCS_PATH = "/api/v1/docs"
OPENAPI_DOCUMENT = REPO_ROOT / "docs" / "openapi.json"

#: no inline script, nothing from another origin
_PAGE_HEADERS = {
    "Content-Security-Policy": swagger.content_security_policy(),
    "X-Content-Type-Options": "nosniff",
}


def add_routes(
    app: web.Application, *, document: Path = OPENAPI_DOCUMENT, swagger_ui: Path = swagger.SWAGGER_UI_DIST
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
        return web.Response(text=swagger.page(DOCS_PATH), content_type="text/html", headers=_PAGE_HEADERS)

    async def start(_: web.Request) -> web.StreamResponse:
        return web.Response(text=swagger.start_script(OPENAPI_PATH), content_type="text/javascript")

    async def to_page(_: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(DOCS_PATH)

    app.router.add_get(OPENAPI_PATH, openapi)
    app.router.add_get(DOCS_PATH, page)
    app.router.add_get(f"{DOCS_PATH}/", to_page)
    app.router.add_get(f"{DOCS_PATH}/{swagger.START_SCRIPT}", start)
    if swagger_ui.is_dir():
        app.router.add_static(f"{DOCS_PATH}/assets", swagger_ui, follow_symlinks=False)


def _missing(message: str) -> web.Response:
    return gateway_response(HTTPStatus.SERVICE_UNAVAILABLE, message=message)
