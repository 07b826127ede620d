"""The REST API: HTTP in, API Gateway proxy events to functions, proxy responses out."""

import asyncio
import base64
import json
import time
import uuid
from http import HTTPStatus
from typing import Any

from aiohttp import web
from aiolimiter import AsyncLimiter
from multidict import CIMultiDict

from learnflow.observability import CORRELATION_HEADER
from localcloud import api_docs, console_site
from localcloud.authorizers import LambdaAuthorizer
from localcloud.events import method_arn, rest_proxy_event, token_authorizer_event
from localcloud.gateway_responses import gateway_response
from localcloud.logs import gateway_log
from localcloud.metrics import status_class
from localcloud.routing import BoundRoute, RouteTable
from localcloud.runtime import FunctionRuntime, ThrottledError

BODY_LIMIT = 1024 * 1024
INTEGRATION_TIMEOUT_SECONDS = 29.0
CORS_ALLOWED_HEADERS = "Authorization,Content-Type,X-Correlation-Id"
#: the route's resource, for the metrics: requests answered before routing have "unmatched"
ROUTE = web.RequestKey("route", str)


class RestGateway:
    def __init__(
        self,
        runtime: FunctionRuntime,
        routes: RouteTable,
        authorizer: LambdaAuthorizer,
        *,
        throttle_rate: float,
        throttle_burst: int,
        cors_origins: tuple[str, ...],
    ) -> None:
        self._runtime = runtime
        self._routes = routes
        self._authorizer = authorizer
        self._limiter = AsyncLimiter(max_rate=throttle_burst, time_period=throttle_burst / throttle_rate)
        self._cors_origins = cors_origins

    def app(self) -> web.Application:
        app = web.Application(client_max_size=BODY_LIMIT * 4)
        api_docs.add_routes(app)
        console_site.add_routes(app)
        app.router.add_route("*", r"/{tail:[\s\S]*}", self.handle)  # newlines too
        return app

    async def handle(self, request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        response = await self._respond(request)
        self._add_cors(request, response)
        elapsed = time.perf_counter() - started
        gateway_log.info(
            "%s %s -> %s in %.1f ms (correlation %s)",
            request.method,
            request.path,
            response.status,
            elapsed * 1000,
            response.headers.get(CORRELATION_HEADER, "-"),
        )
        metrics, route = self._runtime.metrics, request.get(ROUTE, "unmatched")
        metrics.rest_requests.labels(request.method, route, status_class(response.status)).inc()
        metrics.rest_latency.labels(request.method, route).observe(elapsed)
        return response

    async def _respond(self, request: web.Request) -> web.StreamResponse:
        if request.method == "OPTIONS" and request.headers.get("Origin"):
            return self._preflight(request)
        if not self._limiter.has_capacity():
            return gateway_response(HTTPStatus.TOO_MANY_REQUESTS, headers={"Retry-After": "1"})
        await self._limiter.acquire()
        found = self._routes.resolve(request.method, request.path)
        if found is None:
            return gateway_response(HTTPStatus.NOT_FOUND)
        route, path_parameters = found
        request[ROUTE] = route.resource
        raw_body = await _body_within_limit(request)
        if raw_body is None:
            return gateway_response(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        return await self._invoke(request, route, path_parameters, raw_body)

    async def _invoke(
        self, request: web.Request, route: BoundRoute, path_parameters: dict[str, str], raw_body: bytes
    ) -> web.StreamResponse:
        authorizer_context = None
        if route.authorized:
            outcome = await self._authorize(request, route)
            if isinstance(outcome, web.Response):
                return outcome
            authorizer_context = outcome
        request_id = str(uuid.uuid4())
        event = rest_proxy_event(
            method=request.method,
            path=request.path,
            resource=route.resource,
            headers=request.headers,
            query=request.query,
            path_parameters=path_parameters,
            raw_body=raw_body,
            source_ip=request.remote or "127.0.0.1",
            authorizer=authorizer_context,
            request_id=request_id,
        )
        return await self._integrate(route, event, request_id)

    async def _authorize(self, request: web.Request, route: BoundRoute) -> dict[str, Any] | web.Response:
        header = request.headers.get("Authorization", "")
        arn = method_arn(route.method, route.resource)
        decision = await self._authorizer.decide(header, token_authorizer_event(header, arn))
        if decision.outcome == "unauthorized":
            return gateway_response(HTTPStatus.UNAUTHORIZED)
        if decision.outcome == "error":
            return gateway_response(HTTPStatus.INTERNAL_SERVER_ERROR)
        if not decision.allows(arn):
            return gateway_response(HTTPStatus.FORBIDDEN)
        return decision.request_context()

    async def _integrate(self, route: BoundRoute, event: dict[str, Any], request_id: str) -> web.Response:
        timeout = min(float(self._runtime.spec(route.function).timeout_seconds), INTEGRATION_TIMEOUT_SECONDS)
        try:
            invocation = await asyncio.wait_for(
                self._runtime.invoke(route.function, event), INTEGRATION_TIMEOUT_SECONDS + 1
            )
        except ThrottledError as throttled:
            # API Gateway answers a throttled Lambda proxy integration with a 500, not a 429
            gateway_log.warning("%s throttled on request %s: %s", route.function, request_id, throttled)
            return gateway_response(HTTPStatus.INTERNAL_SERVER_ERROR)
        except TimeoutError:
            return gateway_response(HTTPStatus.GATEWAY_TIMEOUT)
        if invocation.timed_out and timeout >= INTEGRATION_TIMEOUT_SECONDS:
            return gateway_response(HTTPStatus.GATEWAY_TIMEOUT)
        if invocation.error is not None:
            gateway_log.error(
                "%s failed on request %s: %s: %s",
                route.function,
                request_id,
                invocation.error.error_type,
                invocation.error.message,
            )
            return gateway_response(HTTPStatus.BAD_GATEWAY)
        return _proxy_response(invocation.result, route.function, request_id)

    def _preflight(self, request: web.Request) -> web.Response:
        methods = self._routes.allows_path(request.path)
        if not methods:
            return gateway_response(HTTPStatus.NOT_FOUND)
        return web.Response(
            status=204,
            headers={
                "Access-Control-Allow-Methods": ",".join([*methods, "OPTIONS"]),
                "Access-Control-Allow-Headers": CORS_ALLOWED_HEADERS,
                "Access-Control-Max-Age": "600",
            },
        )

    def _add_cors(self, request: web.Request, response: web.StreamResponse) -> None:
        """CORS on the gateway's own answers (functions add it to theirs, as on AWS)."""
        origin = request.headers.get("Origin")
        if origin and origin in self._cors_origins and "Access-Control-Allow-Origin" not in response.headers:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = f"Retry-After,{CORRELATION_HEADER}"
            response.headers["Vary"] = "Origin"


def _proxy_response(result: Any, function: str, request_id: str) -> web.Response:
    """Turns a Lambda proxy response into HTTP; a malformed one is a 502, as on AWS."""
    if not isinstance(result, dict) or not isinstance(result.get("statusCode"), int):
        gateway_log.error("%s returned a malformed proxy response on request %s", function, request_id)
        return gateway_response(HTTPStatus.BAD_GATEWAY)
    headers: CIMultiDict[str] = CIMultiDict()
    for name, values in (result.get("multiValueHeaders") or {}).items():
        for value in values:
            headers.add(name, str(value))
    for name, value in (result.get("headers") or {}).items():
        headers[name] = str(value)
    body = result.get("body") or ""
    if not isinstance(body, str):
        body = json.dumps(body)
    payload = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
    return web.Response(status=result["statusCode"], body=payload, headers=headers)


async def _body_within_limit(request: web.Request) -> bytes | None:
    """The request's body, or None when it is larger than API Gateway accepts."""
    if (request.content_length or 0) > BODY_LIMIT:
        return None
    try:
        raw_body = await request.read()
    except web.HTTPRequestEntityTooLarge:
        return None
    return raw_body if len(raw_body) <= BODY_LIMIT else None
