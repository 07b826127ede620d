"""A REST resolver wired with the contract's error handling, shared by every REST function."""

from http import HTTPStatus
from typing import Any

import psycopg
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from psycopg_pool import PoolTimeout

from learnflow.api.errors import error_response, from_domain_error, from_validation_error
from learnflow.domain.errors import DomainError
from learnflow.observability import CORRELATION_HEADER, bind_correlation_id, logger


def _correlate(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
    correlation_id = correlation_id_of(app)
    bind_correlation_id(correlation_id)
    response = next_middleware(app)
    response.headers[CORRELATION_HEADER] = correlation_id
    return response


def rest_app() -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(enable_validation=True)
    app.use(middlewares=[_correlate])

    app.exception_handler(RequestValidationError)(from_validation_error)
    app.exception_handler(DomainError)(from_domain_error)
    app.exception_handler([psycopg.OperationalError, PoolTimeout])(_database_down)
    app.not_found(_unknown_route)
    return app


def _database_down(error: Exception) -> Response[str]:
    logger.error("the database is unreachable", extra={"error": str(error)})
    return error_response(
        HTTPStatus.SERVICE_UNAVAILABLE,
        "service_unavailable",
        "The service is briefly unavailable; please try again shortly.",
        headers={"Retry-After": "5"},
    )


def _unknown_route(_: Exception) -> Response[str]:
    return error_response(HTTPStatus.NOT_FOUND, "not_found", "No such route.")


def correlation_id_of(app: APIGatewayRestResolver) -> str:
    """The caller's correlation id if it sent one, else the gateway's request id."""
    event = app.current_event
    return event.headers.get(CORRELATION_HEADER) or event.request_context.request_id
