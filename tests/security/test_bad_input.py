"""Injection strings, wrong types, oversize fields or bodies, broken JSON: 4xx naming fields, never 500."""

import urllib.parse
import uuid
from collections.abc import Callable

import httpx
import pytest

from tests.cloud_process import Account
from tests.security.conftest import REFRESH_REFUSED, WRONG_CREDENTIALS, assert_refused, error

pytestmark = pytest.mark.cloud

INJECTIONS = [
    "' OR '1'='1",
    "'; DROP TABLE users; --",
    '" OR ""="',
    "1); DELETE FROM classes WHERE (1=1",
    "\\'; TRUNCATE refresh_tokens; --",
    "$$; DROP TABLE users; $$",
]
MALFORMED_JSON = error("malformed_json", "The request body is not valid JSON.")
NOT_UTF8 = error("malformed_json", "The request body is not UTF-8 encoded JSON.")
TOO_LARGE = error("payload_too_large", "The request body is larger than 1 MiB.")


def invalid(*details: tuple[str, str, str]) -> dict[str, object]:
    return error(
        "validation_error",
        "Some fields are missing or invalid; see details.",
        [{"field": field, "message": message, "type": kind} for field, message, kind in details],
    )


@pytest.mark.parametrize("injection", INJECTIONS)
def test_sql_injection_strings_are_only_ever_text(
    api: httpx.Client,
    client_from: Callable[[], httpx.Client],
    student: Account,
    teacher: Account,
    injection: str,
) -> None:
    # stored and given back verbatim
    email = f"inj-{uuid.uuid4().hex[:8]}@example.com"
    password = f"{injection} and then some"
    registered = api.post(
        "/api/v1/auth/register", json={"email": email, "password": password, "display_name": injection}
    )
    assert registered.status_code == 201, registered.text
    assert registered.json()["user"]["display_name"] == injection.strip()
    assert api.post("/api/v1/auth/login", json={"email": email, "password": password}).status_code == 200
    opened = api.post("/api/v1/classes", headers=teacher.headers, json={"name": injection})
    assert opened.status_code == 201, opened.text
    assert opened.json()["name"] == " ".join(injection.split())

    # refused as what they are: a wrong email, password, token or code (failures from their own address)
    attacker = client_from()
    for credentials in (
        {"email": injection, "password": "whatever it is"},
        {"email": email, "password": injection},
    ):
        assert_refused(attacker.post("/api/v1/auth/login", json=credentials), 401, WRONG_CREDENTIALS)
    assert_refused(api.post("/api/v1/auth/refresh", json={"refresh_token": injection}), 401, REFRESH_REFUSED)
    assert_refused(
        api.post("/api/v1/auth/logout", headers=student.headers, json={"refresh_token": injection}),
        401,
        REFRESH_REFUSED,
    )
    assert_refused(
        api.post("/api/v1/classes/join", headers=student.headers, json={"join_code": injection[:32]}),
        404,
        error("not_found", "No class has this join code; check it with your teacher."),
    )
    rejected_email = api.post(
        "/api/v1/auth/register", json={"email": injection, "password": password, "display_name": "x"}
    )
    assert rejected_email.status_code == 422
    assert [detail["field"] for detail in rejected_email.json()["error"]["details"]] == ["email"]

    # and nothing happened to the data
    assert api.get("/api/v1/auth/me", headers=student.headers).json()["user"]["id"] == student.id
    assert api.get("/health").status_code == 200


NO_SUCH_ROUTE = error("not_found", "No such route.")


@pytest.mark.parametrize(
    ("injection", "reaches_the_handler"),
    [
        ("' OR '1'='1", True),
        ("1; DROP TABLE users; --", True),
        ("admin'--", True),
        ('" OR ""="', False),  # a character no id may have: the route itself does not match
        ("\\'; TRUNCATE refresh_tokens; --", False),
    ],
)
def test_sql_injection_strings_in_path_ids_find_nothing(
    api: httpx.Client, student: Account, teacher: Account, injection: str, reaches_the_handler: bool
) -> None:
    quoted = urllib.parse.quote(injection, safe="")
    request = error("not_found", "No such request.") if reaches_the_handler else NO_SUCH_ROUTE
    school_class = error("not_found", "No such class.") if reaches_the_handler else NO_SUCH_ROUTE
    assert_refused(api.get(f"/api/v1/requests/{quoted}", headers=student.headers), 404, request)
    assert_refused(api.get(f"/api/v1/classes/{quoted}", headers=teacher.headers), 404, school_class)


BODY_ROUTES = [
    ("/api/v1/auth/register", False),
    ("/api/v1/auth/login", False),
    ("/api/v1/auth/refresh", False),
    ("/api/v1/auth/logout", True),
    ("/api/v1/classes", True),
    ("/api/v1/classes/join", True),
]


@pytest.mark.parametrize(("path", "authenticated"), BODY_ROUTES)
def test_broken_bodies_are_refused_with_the_contract_error(
    api: httpx.Client, teacher: Account, path: str, authenticated: bool
) -> None:
    headers = (teacher.headers if authenticated else {}) | {"Content-Type": "application/json"}
    assert_refused(api.post(path, headers=headers, content=b'{"email": '), 400, MALFORMED_JSON)
    assert_refused(api.post(path, headers=headers, content=b'{"name": "\xff\xfe"}'), 400, NOT_UTF8)
    two_mib = b'{"name": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    assert_refused(api.post(path, headers=headers, content=two_mib), 413, TOO_LARGE)
    array = api.post(path, headers=headers, json=["not", "an", "object"])
    assert array.status_code == 422
    assert array.json()["error"]["code"] == "validation_error"


def test_wrong_types_and_unknown_fields_name_the_fields(api: httpx.Client, teacher: Account) -> None:
    login = api.post("/api/v1/auth/login", json={"email": 5, "password": ["x"], "remember": True})
    assert_refused(
        login,
        422,
        invalid(
            ("email", "Input should be a valid string", "string_type"),
            ("password", "Input should be a valid string", "string_type"),
            ("remember", "Extra inputs are not permitted", "extra_forbidden"),
        ),
    )
    oversize = api.post("/api/v1/classes", headers=teacher.headers, json={"name": "x" * 121})
    assert_refused(
        oversize, 422, invalid(("name", "String should have at most 120 characters", "string_too_long"))
    )
    long_code = api.post("/api/v1/classes/join", headers=teacher.headers, json={"join_code": "A" * 33})
    assert_refused(
        long_code, 422, invalid(("join_code", "String should have at most 32 characters", "string_too_long"))
    )
    long_token = api.post("/api/v1/auth/refresh", json={"refresh_token": "x" * 4097})
    assert_refused(
        long_token,
        422,
        invalid(("refresh_token", "String should have at most 4096 characters", "string_too_long")),
    )
    blank_name = api.post("/api/v1/classes", headers=teacher.headers, json={"name": "   "})
    assert_refused(
        blank_name,
        422,
        error(
            "validation_error", "The class needs a name.", [{"field": "name", "message": "must not be blank"}]
        ),
    )


def test_a_weak_password_is_422_with_a_clear_message(api: httpx.Client) -> None:
    email = f"weak-{uuid.uuid4().hex[:8]}@example.com"
    for password, message, detail in (
        ("short", "The password must have at least 10 characters.", "at least 10 characters"),
        (email.upper(), "The password must not be your email address.", "must differ from the email"),
    ):
        response = api.post(
            "/api/v1/auth/register", json={"email": email, "password": password, "display_name": "Weak"}
        )
        assert_refused(
            response, 422, error("validation_error", message, [{"field": "password", "message": detail}])
        )


NUL_REFUSED = error(
    "validation_error",
    "Some fields are missing or invalid; see details.",
    [{"field": "display_name", "message": "must not contain the NUL character (U+0000)"}],
)


def test_text_holding_nul_is_refused_and_nothing_is_stored(api: httpx.Client, teacher: Account) -> None:
    email = f"nul-{uuid.uuid4().hex[:8]}@example.com"
    account = {"email": email, "password": "correct horse battery", "display_name": "Ada\x00"}

    assert_refused(api.post("/api/v1/auth/register", json=account), 422, NUL_REFUSED)
    registered = api.post("/api/v1/auth/register", json=account | {"display_name": "Ada"})
    assert registered.status_code == 201, "the refused registration must not have taken the email"

    renamed = api.patch("/api/v1/auth/me", headers=teacher.headers, json={"display_name": "\x00"})
    assert_refused(renamed, 422, NUL_REFUSED)
    opened = api.post("/api/v1/classes", headers=teacher.headers, json={"name": "Python\x00 101"})
    assert opened.status_code == 422
    assert opened.json()["error"]["details"] == [
        {"field": "name", "message": "must not contain the NUL character (U+0000)"}
    ]
    escaped = api.post("/api/v1/classes", headers=teacher.headers, json={"name": "Python \\u0000 101"})
    assert escaped.status_code == 201, "a backslash and u0000 typed as text are only text"
