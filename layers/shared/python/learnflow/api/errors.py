"""The contract's error body, and how domain and validation errors map to it."""

import json
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from learnflow.domain import errors

_STATUS_AND_CODE: dict[type[errors.DomainError], tuple[HTTPStatus, str]] = {
    errors.NotFoundError: (HTTPStatus.NOT_FOUND, "not_found"),
    errors.ConflictError: (HTTPStatus.CONFLICT, "conflict"),
    errors.PermissionDeniedError: (HTTPStatus.FORBIDDEN, "forbidden"),
    errors.InvalidInputError: (HTTPStatus.UNPROCESSABLE_ENTITY, "validation_error"),
    errors.AuthenticationError: (HTTPStatus.UNAUTHORIZED, "unauthorized"),
}


INVALID_FIELDS = "Some fields are missing or invalid; see details."


def error_body(code: str, message: str, details: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": list(details)}}


def error_response(
    status: HTTPStatus,
    code: str,
    message: str,
    details: Sequence[dict[str, Any]] = (),
    headers: dict[str, str] | None = None,
) -> Response[str]:
    return Response(
        status_code=status.value,
        content_type="application/json",
        body=json.dumps(error_body(code, message, details)),
        headers=headers,
    )


def from_domain_error(error: errors.DomainError) -> Response[str]:
    for error_type, (status, code) in _STATUS_AND_CODE.items():
        if isinstance(error, error_type):
            return error_response(status, code, error.message, error.details)
    raise error


def _field_path(location: Sequence[Any]) -> str:
    parts = [str(part) for part in location if part not in ("body",)]
    return ".".join(parts) or "body"


def from_validation_error(error: RequestValidationError) -> Response[str]:
    problems = list(error.errors())
    if any(problem.get("type") == "json_invalid" for problem in problems):
        return error_response(HTTPStatus.BAD_REQUEST, "malformed_json", "The request body is not valid JSON.")
    details = [
        {
            "field": _field_path(problem.get("loc", ())),
            "message": problem.get("msg", "is invalid"),
            "type": problem.get("type", "invalid"),
        }
        for problem in problems
    ]
    return invalid_fields(details)


def invalid_fields(details: Sequence[dict[str, Any]]) -> Response[str]:
    """422 validation_error naming each field and what is wrong with it."""
    return error_response(HTTPStatus.UNPROCESSABLE_ENTITY, "validation_error", INVALID_FIELDS, details)
