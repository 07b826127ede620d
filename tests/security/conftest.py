"""Attacking the running local cloud: exact error bodies, tokens minted with the cloud's own key,
and clients from their own loopback addresses so password-guessing tests throttle nobody else."""

import itertools
import socket
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from learnflow.security.tokens import TokenService
from tests.cloud_process import Account, RunningCloud, create_admin, sign_up

GATEWAY_UNAUTHORIZED = {
    "error": {
        "code": "unauthorized",
        "message": "Sign in first: send a valid access token as 'Authorization: Bearer <token>'.",
        "details": [],
    }
}
REFRESH_REFUSED = {
    "error": {
        "code": "unauthorized",
        "message": "The refresh token is not valid; sign in again.",
        "details": [],
    }
}
WRONG_CREDENTIALS = {
    "error": {"code": "unauthorized", "message": "The email or password is wrong.", "details": []}
}


def error(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def assert_refused(response: httpx.Response, status: int, body: dict[str, Any]) -> None:
    """The exact status and error body, as JSON, with nothing else (no stack trace)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == body


@pytest.fixture
def teacher(api: httpx.Client) -> Account:
    return sign_up(api, "teacher")


@pytest.fixture(scope="session")
def signing_key(cloud: RunningCloud) -> str:
    """The running cloud's own development key: to sign tokens whose claims are bad."""
    return (cloud.data_dir / "jwt-signing-key").read_text().strip()


@pytest.fixture(scope="session")
def cloud_tokens(signing_key: str) -> TokenService:
    return TokenService(
        signing_key,
        issuer="learnflow",
        audience="learnflow-api",
        access_ttl=timedelta(minutes=15),
        refresh_ttl=timedelta(days=7),
    )


def _loopback_usable(address: str) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((address, 0))
        except OSError:
            return False
    return True


_ADDRESSES = (f"127.0.{block}.{host}" for block, host in itertools.product(range(10, 250), range(2, 250)))


@pytest.fixture(scope="session")
def client_from(cloud: RunningCloud) -> Iterator[Callable[[], httpx.Client]]:
    """Makes a client with a source address of its own (the gateway's sourceIp) in 127.0.0.0/8."""
    clients: list[httpx.Client] = []

    def make() -> httpx.Client:
        address = next(_ADDRESSES)
        if not _loopback_usable(address):
            pytest.skip("needs the whole loopback range 127.0.0.0/8, as Linux has it")
        transport = httpx.HTTPTransport(local_address=address)
        client = httpx.Client(base_url=cloud.rest_url, timeout=30, transport=transport)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture(scope="session")
def admin(cloud: RunningCloud, api: httpx.Client) -> Account:
    return create_admin(cloud, api)
