"""Password guessing is throttled per account and per source address, with 429 and Retry-After.

Each test guesses from loopback addresses of its own (127.x.y.z), so its failures throttle no other test.
"""

import uuid
from collections.abc import Callable

import httpx
import pytest

from tests.cloud_process import sign_up
from tests.security.conftest import WRONG_CREDENTIALS, assert_refused, error

pytestmark = pytest.mark.cloud

FAILURES_PER_ACCOUNT = 10  # the defaults of functions/auth_api (LOGIN_FAILURES_PER_ACCOUNT ...)
FAILURES_PER_SOURCE = 50
WINDOW_SECONDS = 900


def log_in(client: httpx.Client, email: str, password: str) -> httpx.Response:
    return client.post("/api/v1/auth/login", json={"email": email, "password": password})


def assert_throttled(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= WINDOW_SECONDS
    assert response.json() == error(
        "throttled", f"Too many failed sign-ins; try again in {retry_after} seconds."
    )


def test_guessing_one_accounts_password_is_throttled_but_its_owner_still_gets_in_from_home(
    api: httpx.Client, client_from: Callable[[], httpx.Client]
) -> None:
    victim = sign_up(api, "student")
    home, attacker, elsewhere = client_from(), client_from(), client_from()
    assert log_in(home, victim.email, victim.password).status_code == 200

    for guess in range(FAILURES_PER_ACCOUNT):
        assert_refused(log_in(attacker, victim.email, f"guess number {guess}"), 401, WRONG_CREDENTIALS)
    assert_throttled(log_in(attacker, victim.email, "guess number 99"))
    # no oracle: while throttled, even the right password is not checked
    assert_throttled(log_in(attacker, victim.email, victim.password))
    # the account is throttled from any address the owner never signed in from...
    assert_throttled(log_in(elsewhere, victim.email, victim.password))
    # ...but not where they did: an attacker cannot lock the owner out
    assert log_in(home, victim.email, victim.password).status_code == 200


def test_unknown_accounts_are_throttled_like_real_ones(client_from: Callable[[], httpx.Client]) -> None:
    attacker = client_from()
    email = f"nobody-{uuid.uuid4().hex[:8]}@example.com"
    for guess in range(FAILURES_PER_ACCOUNT):
        assert_refused(log_in(attacker, email, f"guess number {guess}"), 401, WRONG_CREDENTIALS)
    assert_throttled(log_in(attacker, email, "guess number 99"))


def test_one_source_guessing_many_accounts_is_throttled(
    api: httpx.Client, client_from: Callable[[], httpx.Client]
) -> None:
    stuffer, bystander = client_from(), client_from()
    account = sign_up(api, "student")
    for guess in range(FAILURES_PER_SOURCE):
        email = f"stuffed-{guess}-{uuid.uuid4().hex[:6]}@example.com"
        assert_refused(log_in(stuffer, email, "Summer2024!!"), 401, WRONG_CREDENTIALS)
    assert_throttled(log_in(stuffer, f"fresh-{uuid.uuid4().hex[:6]}@example.com", "Summer2024!!"))
    assert_throttled(log_in(stuffer, account.email, account.password))
    # other sources are not affected
    assert log_in(bystander, account.email, account.password).status_code == 200
