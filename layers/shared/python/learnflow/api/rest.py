"""A REST resolver wired with the contract's error handling, shared by every REST function."""

import base64
import json
from http import HTTPStatus
from typing import Any

import psycopg
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.utilities.typing import LambdaContext
from psycopg_pool import PoolTimeout

from learnflow.api.errors import (
    error_body,
    error_response,
    from_domain_error,
    from_validation_error,
    invalid_fields,
)
from learnflow.api.nul_text import nul_details
from learnflow.domain.errors import DomainError, SandboxUnavailableError
from learnflow.observability import CORRELATION_HEADER, bind_correlation_id, logger
from learnflow.settings import CorsSettings, load_settings


def _correlate(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
    correlation_id = correlation_id_of(app)
    bind_correlation_id(correlation_id)
    response = next_middleware(app)
    response.headers[CORRELATION_HEADER] = correlation_id
    return response


def _refuse_nul_text(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """A body whose text holds NUL is refused whole: the database could store none of it."""
    body = app.current_event.body
    if body and "\\u0000" in body:
        details = nul_details(json.loads(body))
        if details:
            return invalid_fields(details)
    return next_middleware(app)


def cors_config() -> CORSConfig | None:
    """Browser origins allowed to read responses (API Gateway answers the preflights)."""
    origins = load_settings(CorsSettings).origins()
    if not origins:
        return None
    return CORSConfig(
        allow_origin=origins[0],
        extra_origins=origins[1:],
        allow_headers=["Authorization", "Content-Type", CORRELATION_HEADER],
        expose_headers=["Retry-After", CORRELATION_HEADER],
        max_age=600,
    )


def rest_app() -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(enable_validation=True, cors=cors_config())
    app.use(middlewares=[_correlate, _refuse_nul_text])

    app.exception_handler(RequestValidationError)(from_validation_error)
    app.exception_handler(DomainError)(from_domain_error)
    app.exception_handler([psycopg.OperationalError, PoolTimeout])(_database_down)
    app.exception_handler(SandboxUnavailableError)(_sandbox_down)
    app.not_found(_unknown_route)
    app.exception_handler(Exception)(_unexpected)
    return app


def _unexpected(error: Exception) -> Response[str]:
    """Logs the failure with the request's correlation id; the gateway answers 502, as API Gateway does."""
    logger.exception("the handler failed", extra={"error_type": type(error).__name__})
    raise error


def _database_down(error: Exception) -> Response[str]:
    logger.error("the database is unreachable", extra={"error": str(error)})
    return error_response(
        HTTPStatus.SERVICE_UNAVAILABLE,
        "service_unavailable",
        "The service is briefly unavailable; please try again shortly.",
        headers={"Retry-After": "5"},
    )


def _sandbox_down(error: SandboxUnavailableError) -> Response[str]:
    logger.error("the sandbox is unavailable", extra={"error": str(error)})
    return error_response(
        HTTPStatus.SERVICE_UNAVAILABLE,
        "service_unavailable",
        "The code runner is briefly unavailable; please try again shortly.",
        headers={"Retry-After": "5"},
    )


def _unknown_route(_: Exception) -> Response[str]:
    return error_response(HTTPStatus.NOT_FOUND, "not_found", "No such route.")


def resolve(app: APIGatewayRestResolver, event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Routes one proxy event. Bodies are JSON whatever Content-Type the client sent (curl's -d says form)."""
    if event.get("isBase64Encoded") and event.get("body"):
        try:
            event["body"] = base64.b64decode(event["body"]).decode("utf-8")
            event["isBase64Encoded"] = False
        except (ValueError, UnicodeDecodeError):
            body = error_body("malformed_json", "The request body is not UTF-8 encoded JSON.")
            return {
                "statusCode": HTTPStatus.BAD_REQUEST.value,
                "headers": {"Content-Type": "application/json"},
                "body": json.dumps(body),
                "isBase64Encoded": False,
            }
    if event.get("body"):
        for field in ("headers", "multiValueHeaders"):
            headers = event.get(field) or {}
            for name in [name for name in headers if name.lower() == "content-type"]:
                del headers[name]
        event["headers"] = (event.get("headers") or {}) | {"Content-Type": "application/json"}
        if event.get("multiValueHeaders") is not None:
            event["multiValueHeaders"]["Content-Type"] = ["application/json"]
    return app.resolve(event, context)


def correlation_id_of(app: APIGatewayRestResolver) -> str:
    """The caller's correlation id if it sent one, else the gateway's request id."""
    event = app.current_event
    return event.headers.get(CORRELATION_HEADER) or event.request_context.request_id
