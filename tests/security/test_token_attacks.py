"""Forged, tampered, expired and misused tokens are refused by the authorizer on every authenticated route."""

import base64
import json
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest

from infra.wiring import FUNCTIONS
from tests.cloud_process import Account
from tests.security.conftest import GATEWAY_UNAUTHORIZED, assert_refused

pytestmark = pytest.mark.cloud

SOME_ID = str(uuid.UUID(int=7))


def _authenticated_routes() -> list[tuple[str, str]]:
    """Every route of the wiring that needs a user, today's and any added later, with ids filled in."""
    return sorted(
        (route.method, re.sub(r"\{[^}]+\}", SOME_ID, route.path))
        for spec in FUNCTIONS
        for route in spec.rest_routes
        if route.authorized
    )


AUTHENTICATED_ROUTES = _authenticated_routes()


def test_the_routes_under_attack_include_every_user_scoped_one() -> None:
    assert {
        ("GET", "/api/v1/auth/me"),
        ("POST", "/api/v1/auth/logout"),
        ("GET", f"/api/v1/requests/{SOME_ID}"),
        ("POST", "/api/v1/classes"),
        ("POST", "/api/v1/classes/join"),
        ("GET", f"/api/v1/classes/{SOME_ID}"),
    } <= set(AUTHENTICATED_ROUTES)


def _claims(user_id: str, **changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims = {
        "sub": user_id,
        "role": "admin",
        "typ": "access",
        "jti": str(uuid.uuid4()),
        "iss": "learnflow",
        "aud": "learnflow-api",
        "iat": now,
        "exp": now + timedelta(minutes=15),
    }
    return {key: value for key, value in (claims | changes).items() if value is not None}


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, default=str).encode()).rstrip(b"=").decode()


def _tampered(token: str, **changes: Any) -> str:
    """The real token with its payload edited and its real signature kept."""
    header, _, signature = token.split(".")
    payload = jwt.decode(token, options={"verify_signature": False}) | changes
    return f"{header}.{_b64(payload)}.{signature}"


Forge = Callable[[Account, str], str]  # the account and the cloud's signing key

FORGERIES: dict[str, Forge] = {
    "alg none": lambda user, _: jwt.encode(_claims(user.id), key=None, algorithm="none"),
    "alg none, no signature part": lambda user, _: (
        f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(user.id))}"
    ),
    "key guessed as 'secret'": lambda user, _: jwt.encode(_claims(user.id), "secret", algorithm="HS256"),
    "role tampered to admin": lambda user, _: _tampered(user.access_token, role="admin"),
    "subject tampered": lambda user, _: _tampered(user.access_token, sub=str(uuid.uuid4())),
    "expiry tampered": lambda user, _: _tampered(user.access_token, exp=4102444800),
    "signature stripped": lambda user, _: user.access_token.rpartition(".")[0] + ".",
    "refresh token as access token": lambda user, key: jwt.encode(
        _claims(user.id, role="student", typ="refresh", fam=str(uuid.uuid4())), key, algorithm="HS256"
    ),
    "expired, real key": lambda user, key: jwt.encode(
        _claims(user.id, role="student", exp=datetime.now(UTC) - timedelta(seconds=5)),
        key,
        algorithm="HS256",
    ),
    "other issuer, real key": lambda user, key: jwt.encode(
        _claims(user.id, role="student", iss="elsewhere"), key, algorithm="HS256"
    ),
    "other audience, real key": lambda user, key: jwt.encode(
        _claims(user.id, role="student", aud="another-api"), key, algorithm="HS256"
    ),
    "no type claim, real key": lambda user, key: jwt.encode(
        _claims(user.id, role="student", typ=None), key, algorithm="HS256"
    ),
    "unknown role, real key": lambda user, key: jwt.encode(
        _claims(user.id, role="superuser"), key, algorithm="HS256"
    ),
    "HS512, real key": lambda user, key: jwt.encode(_claims(user.id, role="student"), key, algorithm="HS512"),
    "garbage": lambda *_: "not-a-jwt",
}


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # the point of "secret"
@pytest.mark.parametrize("forgery", FORGERIES)
def test_a_forged_or_misused_token_is_refused_on_every_route(
    api: httpx.Client, student: Account, signing_key: str, forgery: str
) -> None:
    token = FORGERIES[forgery](student, signing_key)
    for method, path in AUTHENTICATED_ROUTES:
        response = api.request(method, path, json={}, headers={"Authorization": f"Bearer {token}"})
        assert_refused(response, 401, GATEWAY_UNAUTHORIZED)


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Token abc", "Basic dXNlcjpwYXNzd29yZA=="])
def test_no_token_or_another_scheme_is_refused(api: httpx.Client, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    for method, path in AUTHENTICATED_ROUTES:
        assert_refused(api.request(method, path, json={}, headers=headers), 401, GATEWAY_UNAUTHORIZED)


def test_the_genuine_token_is_accepted(api: httpx.Client, student: Account) -> None:
    me = api.get("/api/v1/auth/me", headers=student.headers)
    assert me.status_code == 200
    assert me.json()["user"]["role"] == "student"
