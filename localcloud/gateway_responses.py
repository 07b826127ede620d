"""Gateway responses: what API Gateway answers by itself, in the contract's error body."""

import json
from http import HTTPStatus

from aiohttp import web

from learnflow.api.errors import error_body

_MESSAGES = {
    HTTPStatus.BAD_REQUEST: ("bad_request", "The request could not be read."),
    HTTPStatus.UNAUTHORIZED: (
        "unauthorized",
        "Sign in first: send a valid access token as 'Authorization: Bearer <token>'.",
    ),
    HTTPStatus.FORBIDDEN: ("forbidden", "You are not allowed to do this."),
    HTTPStatus.NOT_FOUND: ("not_found", "No such route."),
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE: ("payload_too_large", "The request body is larger than 1 MiB."),
    HTTPStatus.TOO_MANY_REQUESTS: (
        "throttled",
        "Too many requests; slow down and retry after the delay given.",
    ),
    HTTPStatus.INTERNAL_SERVER_ERROR: (
        "internal_error",
        "Something went wrong on our side; it has been logged.",
    ),
    HTTPStatus.BAD_GATEWAY: ("bad_gateway", "The service failed to answer; it has been logged."),
    HTTPStatus.GATEWAY_TIMEOUT: ("gateway_timeout", "The service took too long to answer."),
    HTTPStatus.SERVICE_UNAVAILABLE: ("service_unavailable", "The service is unavailable; retry later."),
}


def gateway_response(
    status: HTTPStatus, *, headers: dict[str, str] | None = None, message: str | None = None
) -> web.Response:
    code, default_message = _MESSAGES[status]
    return web.Response(
        status=status.value,
        body=json.dumps(error_body(code, message or default_message)),
        content_type="application/json",
        headers=headers,
    )
