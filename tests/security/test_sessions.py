"""Refresh rotation, replay detection with family revocation, and logout, against the running cloud."""

from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest

from learnflow.security.tokens import TokenService
from tests.cloud_process import Account, sign_up
from tests.security.conftest import GATEWAY_UNAUTHORIZED, REFRESH_REFUSED, assert_refused

pytestmark = pytest.mark.cloud


def log_in(api: httpx.Client, account: Account) -> dict[str, Any]:
    response = api.post("/api/v1/auth/login", json={"email": account.email, "password": account.password})
    assert response.status_code == 200, response.text
    return dict(response.json())


def refresh(api: httpx.Client, refresh_token: str) -> httpx.Response:
    return api.post("/api/v1/auth/refresh", json={"refresh_token": refresh_token})


def bearer(session: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {session['access_token']}"}


def test_login_gives_a_short_lived_access_token_and_a_typed_refresh_token(
    api: httpx.Client, student: Account
) -> None:
    session = log_in(api, student)
    assert session["token_type"] == "Bearer"
    assert session["expires_in"] == 900
    access = jwt.decode(session["access_token"], options={"verify_signature": False})
    refresh_claims = jwt.decode(session["refresh_token"], options={"verify_signature": False})
    assert (access["typ"], refresh_claims["typ"]) == ("access", "refresh")
    assert access["exp"] - access["iat"] == 900
    assert refresh_claims["exp"] - refresh_claims["iat"] == 7 * 24 * 3600
    assert jwt.get_unverified_header(session["access_token"])["alg"] == "HS256"


def test_a_refresh_token_is_spent_and_replaying_it_revokes_its_whole_family(
    api: httpx.Client, student: Account
) -> None:
    first = log_in(api, student)
    other_device = log_in(api, student)

    second = refresh(api, first["refresh_token"])
    assert second.status_code == 200, second.text
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]
    assert api.get("/api/v1/auth/me", headers=bearer(rotated)).json()["user"]["id"] == student.id

    # someone replays the spent token: refused, and the token the rightful holder got is dead too
    assert_refused(refresh(api, first["refresh_token"]), 401, REFRESH_REFUSED)
    assert_refused(refresh(api, rotated["refresh_token"]), 401, REFRESH_REFUSED)
    # a separate sign-in is a separate family and keeps working
    assert refresh(api, other_device["refresh_token"]).status_code == 200


def test_logout_spends_the_refresh_token(api: httpx.Client, student: Account) -> None:
    session = log_in(api, student)
    logout = api.post(
        "/api/v1/auth/logout", headers=bearer(session), json={"refresh_token": session["refresh_token"]}
    )
    assert logout.status_code == 204, logout.text
    assert logout.content == b""
    assert_refused(refresh(api, session["refresh_token"]), 401, REFRESH_REFUSED)
    again = api.post(
        "/api/v1/auth/logout", headers=bearer(session), json={"refresh_token": session["refresh_token"]}
    )
    assert again.status_code == 204


def test_logout_needs_an_access_token(api: httpx.Client, student: Account) -> None:
    session = log_in(api, student)
    assert_refused(
        api.post("/api/v1/auth/logout", json={"refresh_token": session["refresh_token"]}),
        401,
        GATEWAY_UNAUTHORIZED,
    )
    assert refresh(api, session["refresh_token"]).status_code == 200


def test_no_one_can_log_out_someone_else(api: httpx.Client, student: Account) -> None:
    victim = log_in(api, sign_up(api, "student"))
    response = api.post(
        "/api/v1/auth/logout", headers=student.headers, json={"refresh_token": victim["refresh_token"]}
    )
    assert_refused(response, 401, REFRESH_REFUSED)
    assert refresh(api, victim["refresh_token"]).status_code == 200


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_refresh_refuses_anything_but_a_genuine_refresh_token(
    api: httpx.Client, student: Account, cloud_tokens: TokenService, signing_key: str
) -> None:
    session = log_in(api, student)
    claims = jwt.decode(session["refresh_token"], options={"verify_signature": False})
    never_issued = cloud_tokens.encode(cloud_tokens.issue(student.id, "student", "refresh", family_id="f"))
    expired = TokenService(
        signing_key,
        issuer="learnflow",
        audience="learnflow-api",
        access_ttl=timedelta(minutes=15),
        refresh_ttl=timedelta(seconds=-5),
    )
    for token in (
        session["access_token"],  # the other type
        jwt.encode(claims, "secret", algorithm="HS256"),
        jwt.encode(claims, key=None, algorithm="none"),
        never_issued,  # well signed, but not one the server handed out
        expired.encode(expired.issue(student.id, "student", "refresh", family_id="f")),
        "not-a-jwt",
    ):
        assert_refused(refresh(api, token), 401, REFRESH_REFUSED)
    assert refresh(api, session["refresh_token"]).status_code == 200
