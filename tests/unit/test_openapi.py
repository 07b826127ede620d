"""docs/openapi.json: generated from the handlers, committed, valid, and true to the wiring."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from apispec.openapi import openapi_document, rest_functions
from learnflow.api.openapi import BEARER_SCHEME

REPO_ROOT = Path(__file__).resolve().parents[2]
COMMITTED = REPO_ROOT / "docs" / "openapi.json"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorBody"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi_document()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def unnamed(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_the_committed_document_is_what_the_code_generates(document: dict[str, Any]) -> None:
    committed = json.loads(COMMITTED.read_text())
    assert committed == document, "docs/openapi.json is out of date: run `make openapi` and commit it"


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_the_document_has_exactly_the_wiring_s_routes(document: dict[str, Any]) -> None:
    documented = {(method, unnamed(path)) for method, path, _ in operations(document)}
    wired = {(route.method, unnamed(route.path)) for spec in rest_functions() for route in spec.rest_routes}
    assert documented == wired


def test_every_operation_is_described_for_people_and_programs(document: dict[str, Any]) -> None:
    undescribed = [
        f"{method} {path}"
        for method, path, operation in operations(document)
        if not all(operation.get(key) for key in ("operationId", "summary", "description", "tags"))
    ]
    assert undescribed == []
    ids = [operation["operationId"] for _, _, operation in operations(document)]
    assert len(ids) == len(set(ids))


def test_signed_in_routes_ask_for_the_bearer_token_and_say_401(document: dict[str, Any]) -> None:
    signed_in = {
        (route.method, unnamed(route.path))
        for spec in rest_functions()
        for route in spec.rest_routes
        if route.authorized
    }
    for method, path, operation in operations(document):
        if (method, unnamed(path)) in signed_in:
            assert operation.get("security") == [{BEARER_SCHEME: []}], f"{method} {path}"
            assert "401" in operation["responses"], f"{method} {path}"
        else:
            assert operation["security"] == [], f"{method} {path} is public and must say so"


def has_the_error_body(schema: dict[str, Any], document: dict[str, Any]) -> bool:
    """The contract's ErrorBody, or a body that adds fields to it (health's degraded report)."""
    if schema == ERROR_SCHEMA:
        return True
    name = schema.get("$ref", "").rsplit("/", 1)[-1]
    extended = document["components"]["schemas"].get(name, {})
    return bool(extended.get("properties", {}).get("error") == {"$ref": "#/components/schemas/ErrorContent"})


def test_every_error_response_has_the_contract_s_error_body(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                schema = response["content"]["application/json"]["schema"]
                assert has_the_error_body(schema, document), f"{method} {path} {status}"


def test_every_success_response_with_a_body_has_a_schema(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        successes = {status: r for status, r in operation["responses"].items() if int(status) < 400}
        assert successes, f"{method} {path} documents no success"
        for status, response in successes.items():
            if status != "204":
                assert response["content"]["application/json"]["schema"], f"{method} {path} {status}"
