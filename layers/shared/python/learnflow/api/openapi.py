"""What every route declares for the OpenAPI document: its success body, its errors, its security.

Tags group the routes in the document and in Swagger UI: `Tag` names them.

A route's decorator reads like this:

    @app.post(
        "/api/v1/execute",
        operation_id="execute_program",
        summary="Run a program in the sandbox",
        description="...",
        tags=[Tag.CODE],
        responses={**success(ExecutionBody, "The program's run"), **errors(400, 401, 413, 422, 429, 503)},
        security=SIGNED_IN,
    )

`apispec.openapi` merges every function's resolver into one document (`make openapi`).
"""

from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler.openapi.types import (
    OpenAPIResponse,
    OpenAPIResponseContentModel,
    OpenAPIResponseHeader,
)
from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.errors import INVALID_FIELDS


class Tag:
    ACCOUNTS = "Accounts"
    CLASSES = "Classes"
    TUTOR = "Tutor"
    CONCEPTS = "Concepts"
    CODE = "Running code"
    EXERCISES = "Exercises"
    QUIZZES = "Quizzes"
    DEBUGGING = "Debugging and review"
    PROGRESS = "Progress"
    NOTIFICATIONS = "Notifications"
    OPERATIONS = "Operations"


#: the bearer scheme's name in the document's components
BEARER_SCHEME = "bearerAuth"
#: routes that need `Authorization: Bearer <access token>`
SIGNED_IN: list[dict[str, list[str]]] = [{BEARER_SCHEME: []}]


class ErrorDetail(BaseModel):
    """One problem: for `validation_error`, the field, what is wrong and pydantic's error type."""

    model_config = ConfigDict(extra="allow")

    field: str | None = Field(default=None, examples=["email"])
    message: str | None = Field(default=None, examples=["value is not a valid email address"])
    type: str | None = Field(default=None, examples=["value_error"])


class ErrorContent(BaseModel):
    code: str = Field(description="For programs: stable, snake_case", examples=["validation_error"])
    message: str = Field(description="For people: one or two sentences")
    details: list[ErrorDetail] = Field(description="Empty when there is nothing to add")


class ErrorBody(BaseModel):
    """Every error LearnFlow answers, whoever answers it (a function or the gateway)."""

    error: ErrorContent


#: status -> (code, when, example message), as docs/contract.md's error table says
_ERRORS: dict[int, tuple[str, str, str]] = {
    400: ("malformed_json", "The body is not JSON (or not UTF-8).", "The request body is not valid JSON."),
    401: (
        "unauthorized",
        "No token, a bad or expired one, or wrong credentials.",
        "The access token is missing or invalid.",
    ),
    403: (
        "forbidden",
        "The caller's role or relation to the resource does not allow this.",
        "Only teachers can do this.",
    ),
    404: (
        "not_found",
        "No such resource for this caller (others' resources read as missing).",
        "No such exercise.",
    ),
    409: ("conflict", "The request clashes with the current state.", "That email is already registered."),
    413: ("payload_too_large", "The body is over 1 MiB.", "The request body is too large."),
    422: (
        "validation_error",
        "Fields are missing or invalid (text holding U+0000 included); `details` names them.",
        INVALID_FIELDS,
    ),
    429: (
        "throttled",
        "Too many requests, or too many failed sign-ins; `Retry-After` says when to retry.",
        "Too many requests; retry later.",
    ),
    503: (
        "service_unavailable",
        "A dependency (the database, the sandbox) is down; `Retry-After` is set.",
        "The service is unavailable; retry later.",
    ),
}

_RETRY_AFTER: dict[str, OpenAPIResponseHeader] = {
    "Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}},
}


def errors(*statuses: int) -> dict[int, OpenAPIResponse]:
    """The error responses a route can give, each in the contract's error shape with an example."""
    responses: dict[int, OpenAPIResponse] = {}
    for status in statuses:
        code, when, message = _ERRORS[status]
        example = {"error": {"code": code, "message": message, "details": []}}
        response: OpenAPIResponse = {
            "description": f"{HTTPStatus(status).phrase}: {when}",
            "content": {"application/json": {"model": ErrorBody, "examples": {code: {"value": example}}}},
        }
        if status in (429, 503):
            response["headers"] = _RETRY_AFTER
        responses[status] = response
    return responses


def success(
    model: type[BaseModel] | None,
    description: str,
    *,
    status: int = 200,
    example: dict[str, Any] | None = None,
    links: dict[str, Any] | None = None,
) -> dict[int, OpenAPIResponse]:
    """The route's success response: `model` is its JSON body (None for an empty body, as a 204)."""
    response: OpenAPIResponse = {"description": description}
    if model is not None:
        content: OpenAPIResponseContentModel = {"model": model}
        if example is not None:
            content["examples"] = {"example": {"value": example}}
        response["content"] = {"application/json": content}
    if links:
        response["links"] = links
    return {status: response}


def link(
    operation_id: str,
    description: str,
    *,
    request_body: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    **parameters: str,
) -> dict[str, Any]:
    """An OpenAPI link: values of this exchange (`$response.body#/id`, `$request.body#/email`) feed the
    next operation's parameters, headers (`Bearer {$response.body#/access_token}`) or body."""
    described: dict[str, Any] = {"operationId": operation_id, "description": description}
    every_parameter = parameters | {f"header.{name}": value for name, value in (headers or {}).items()}
    if every_parameter:
        described["parameters"] = every_parameter
    if request_body is not None:
        described["requestBody"] = request_body
    return described
