"""The web console (`console/`, built into `console/dist` by `make dev`) on the REST API's port.

- `GET /config.json`: where the console finds the WebSocket API (this host, `LEARNFLOW_WS_PORT`);
- `GET /<file>`: the built files, `index.html` at `/`;
- a page navigation (`Accept: text/html`) to any other path outside the API: `index.html`, so the
  console's own paths (`/tutor`, `/exercises/<id>`) load on a reload.

Everything under `/api/` and `/health`, and any request that is none of these, goes on to the API
unchanged (an unknown path answers the API's 404 error body).
"""

import asyncio
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from pathlib import Path

from aiohttp import web

from infra.console_page import content_security_policy
from localcloud.config import REPO_ROOT, CloudConfig
from localcloud.gateway_responses import gateway_response

CONSOLE_DIST = REPO_ROOT / "console" / "dist"
CONFIG_PATH = "/config.json"
API_PREFIXES = ("/api/", "/health")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def add_routes(app: web.Application, *, dist: Path = CONSOLE_DIST) -> None:
    """Serves the console beside the API; call before the gateway's catch-all route."""

    @web.middleware
    async def console(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method not in ("GET", "HEAD") or request.path.startswith(API_PREFIXES):
            return await handler(request)
        if request.path == CONFIG_PATH:
            return web.json_response({"websocket_url": _websocket_url(request)})
        file = await asyncio.to_thread(_built_file, dist, request.path)
        if file is not None:
            return _file_response(request, file)
        if "text/html" in request.headers.get("Accept", ""):
            return await _index(request, dist)
        return await handler(request)

    app.middlewares.append(console)


def _websocket_url(request: web.Request) -> str:
    host = request.url.host or "127.0.0.1"
    return f"ws://{host}:{CloudConfig.from_environment().ws_port}"


def _built_file(dist: Path, path: str) -> Path | None:
    """The built file a path names, never one outside `dist`; `/` is index.html."""
    relative = path.lstrip("/") or "index.html"
    candidate = (dist / relative).resolve()
    if not candidate.is_relative_to(dist.resolve()) or not candidate.is_file():
        return None
    return candidate


def _file_response(request: web.Request, file: Path) -> web.StreamResponse:
    headers = {"X-Content-Type-Options": "nosniff"}
    if file.name == "index.html":
        headers |= _page_headers(request)
    elif file.parent.name == "assets":
        headers["Cache-Control"] = "public, max-age=31536000, immutable"  # names carry a content hash
    return web.FileResponse(file, headers=headers)


def _page_headers(request: web.Request) -> dict[str, str]:
    return {
        # the deployed site's policy: here the REST API is the page's own origin
        "Content-Security-Policy": content_security_policy(
            api_origin=f"{request.scheme}://{request.host}", websocket_origin=_websocket_url(request)
        ),
        "Cache-Control": "no-cache",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
    }


async def _index(request: web.Request, dist: Path) -> web.StreamResponse:
    index = dist / "index.html"
    if not await asyncio.to_thread(index.is_file):
        return gateway_response(
            HTTPStatus.SERVICE_UNAVAILABLE,
            message="The console is not built: run `make dev` (or `make console`).",
        )
    return _file_response(request, index)
