"""The WebSocket API: $connect/$disconnect/route events to functions, and the @connections API."""

import asyncio
import base64
import json
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from aiohttp import WSMsgType, web

from learnflow.api.errors import error_body
from localcloud.authorizers import LambdaAuthorizer
from localcloud.events import websocket_authorizer_event, websocket_event
from localcloud.logs import gateway_log
from localcloud.runtime import FunctionRuntime, ThrottledError

MESSAGE_LIMIT = 128 * 1024
ROUTE_SELECTION_KEY = "action"


@dataclass
class _Connection:
    socket: web.WebSocketResponse
    connected_at: int
    source_ip: str
    user_agent: str | None
    authorizer: dict[str, Any] | None
    last_active_at: float = field(default_factory=time.time)
    outbox: asyncio.Lock = field(default_factory=asyncio.Lock)


def _connection_id() -> str:
    return base64.b64encode(secrets.token_bytes(10)).decode()


def _iso(epoch_seconds: float) -> str:
    return datetime.fromtimestamp(epoch_seconds, UTC).isoformat().replace("+00:00", "Z")


def _management_error(status: HTTPStatus, error_type: str, message: str) -> web.Response:
    return web.json_response(
        {"message": message}, status=status.value, headers={"x-amzn-ErrorType": error_type}
    )


class WebSocketGateway:
    def __init__(
        self, runtime: FunctionRuntime, routes: dict[str, str], authorizer: LambdaAuthorizer
    ) -> None:
        self._runtime = runtime
        self._routes = routes
        self._authorizer = authorizer
        self._connections: dict[str, _Connection] = {}

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MESSAGE_LIMIT * 2)
        app.router.add_get("/", self.connect)
        app.router.add_post("/@connections/{connection_id}", self.post_to_connection)
        app.router.add_get("/@connections/{connection_id}", self.get_connection)
        app.router.add_delete("/@connections/{connection_id}", self.delete_connection)
        return app

    async def connect(self, request: web.Request) -> web.StreamResponse:
        connection_id = _connection_id()
        connected_at = int(time.time() * 1000)
        source_ip = request.remote or "127.0.0.1"
        user_agent = request.headers.get("User-Agent")
        connect_event = websocket_event(
            event_type="CONNECT",
            route_key="$connect",
            connection_id=connection_id,
            connected_at=connected_at,
            source_ip=source_ip,
            user_agent=user_agent,
            authorizer=None,
            headers=request.headers,
            query=request.query,
        )
        decision = await self._authorizer.decide(
            request.query.get("token", ""), websocket_authorizer_event(connect_event)
        )
        metrics = self._runtime.metrics
        if not decision.allows(websocket_authorizer_event(connect_event)["methodArn"]):
            status = HTTPStatus.UNAUTHORIZED if decision.outcome == "unauthorized" else HTTPStatus.FORBIDDEN
            metrics.websocket_connects.labels(status.phrase.lower()).inc()
            return web.json_response(
                error_body(status.phrase.lower(), "A valid access token is required as ?token=."),
                status=status.value,
            )
        authorizer = decision.request_context()
        connect_event["requestContext"]["authorizer"] = authorizer
        if "$connect" in self._routes and not await self._route_accepts("$connect", connect_event):
            metrics.websocket_connects.labels("refused").inc()
            return web.json_response(error_body("forbidden", "The connection was refused."), status=403)
        socket = web.WebSocketResponse(max_msg_size=MESSAGE_LIMIT, heartbeat=30)
        await socket.prepare(request)
        connection = _Connection(socket, connected_at, source_ip, user_agent, authorizer)
        self._connections[connection_id] = connection
        metrics.websocket_connects.labels("accepted").inc()
        metrics.websocket_open.inc()
        gateway_log.info("websocket %s connected for %s", connection_id, authorizer.get("principalId"))
        try:
            async for frame in socket:
                if frame.type == WSMsgType.TEXT:
                    connection.last_active_at = time.time()
                    await self._on_message(connection_id, connection, frame.data)
                elif frame.type == WSMsgType.BINARY:
                    await self._send(
                        connection,
                        {"type": "error", **error_body("unsupported_frame", "Send JSON text frames.")},
                    )
        finally:
            metrics.websocket_open.dec()
            self._connections.pop(connection_id, None)
            await self._disconnect(connection_id, connection, socket)
        return socket

    async def _on_message(self, connection_id: str, connection: _Connection, text: str) -> None:
        route_key = self._select_route(text)
        self._runtime.metrics.websocket_in.labels(route_key or "unrouted").inc()
        if route_key is None:
            await self._send(
                connection, {"type": "error", **error_body("unknown_action", "No route for this message.")}
            )
            return
        event = websocket_event(
            event_type="MESSAGE",
            route_key=route_key,
            connection_id=connection_id,
            connected_at=connection.connected_at,
            source_ip=connection.source_ip,
            user_agent=connection.user_agent,
            authorizer=connection.authorizer,
            body=text,
        )
        # frames of one connection are handled one after another, in order, as they arrived
        if not await self._route_accepts(route_key, event):
            await self._send(
                connection,
                {
                    "type": "error",
                    **error_body("internal_error", "Something went wrong on our side; it has been logged."),
                },
            )

    def _select_route(self, text: str) -> str | None:
        try:
            body = json.loads(text)
        except json.JSONDecodeError:
            body = None
        action = body.get(ROUTE_SELECTION_KEY) if isinstance(body, dict) else None
        if isinstance(action, str) and action in self._routes and not action.startswith("$"):
            return action
        return "$default" if "$default" in self._routes else None

    async def _route_accepts(self, route_key: str, event: dict[str, Any]) -> bool:
        function = self._routes[route_key]
        try:
            invocation = await self._runtime.invoke(function, event)
        except ThrottledError:
            gateway_log.warning("%s throttled on route %s", function, route_key)
            return False
        if invocation.error is not None:
            gateway_log.error(
                "%s failed on route %s: %s: %s",
                function,
                route_key,
                invocation.error.error_type,
                invocation.error.message,
            )
            return False
        result = invocation.result
        status = result.get("statusCode", 200) if isinstance(result, dict) else 200
        return isinstance(status, int) and 200 <= status < 300

    async def _disconnect(
        self, connection_id: str, connection: _Connection, socket: web.WebSocketResponse
    ) -> None:
        if "$disconnect" not in self._routes:
            return
        event = websocket_event(
            event_type="DISCONNECT",
            route_key="$disconnect",
            connection_id=connection_id,
            connected_at=connection.connected_at,
            source_ip=connection.source_ip,
            user_agent=connection.user_agent,
            authorizer=connection.authorizer,
            headers=None,
            close=(socket.close_code or 1005, ""),
        )
        await self._route_accepts("$disconnect", event)
        gateway_log.info("websocket %s disconnected", connection_id)

    async def _send(self, connection: _Connection, message: dict[str, Any]) -> None:
        async with connection.outbox:
            await connection.socket.send_str(json.dumps(message))
        self._runtime.metrics.websocket_out.labels("gateway").inc()

    async def post_to_connection(self, request: web.Request) -> web.Response:
        metrics = self._runtime.metrics
        connection = self._connections.get(request.match_info["connection_id"])
        if connection is None or connection.socket.closed:
            metrics.connection_posts.labels("gone").inc()
            return _management_error(HTTPStatus.GONE, "GoneException", "The connection is gone.")
        data = await request.read()
        if len(data) > MESSAGE_LIMIT:
            metrics.connection_posts.labels("payload_too_large").inc()
            return _management_error(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                "PayloadTooLargeException",
                "The message is larger than 128 KiB.",
            )
        async with connection.outbox:
            await connection.socket.send_str(data.decode("utf-8", errors="replace"))
        metrics.connection_posts.labels("ok").inc()
        metrics.websocket_out.labels("connections_api").inc()
        return web.Response(status=200)

    async def get_connection(self, request: web.Request) -> web.Response:
        connection = self._connections.get(request.match_info["connection_id"])
        if connection is None:
            return _management_error(HTTPStatus.GONE, "GoneException", "The connection is gone.")
        return web.json_response(
            {
                "connectedAt": _iso(connection.connected_at / 1000),
                "identity": {"sourceIp": connection.source_ip, "userAgent": connection.user_agent},
                "lastActiveAt": _iso(connection.last_active_at),
            }
        )

    async def delete_connection(self, request: web.Request) -> web.Response:
        connection = self._connections.get(request.match_info["connection_id"])
        if connection is None:
            return _management_error(HTTPStatus.GONE, "GoneException", "The connection is gone.")
        await connection.socket.close(code=1000, message=b"closed by the service")
        return web.Response(status=204)

    async def close_all(self) -> None:
        for connection in list(self._connections.values()):
            await connection.socket.close(code=1001, message=b"the local cloud is stopping")
