"""Attacking the running local cloud: exact error bodies, tokens minted with the cloud's own key,
and clients from their own loopback addresses so password-guessing tests throttle nobody else."""

import itertools
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from learnflow.security.tokens import TokenService
from localcloud.admin import PASSWORD_VARIABLE
from tests.cloud_process import Account, RunningCloud, sign_up
from tests.conftest import REPO_ROOT

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


def run_cli(cloud: RunningCloud, *arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """`learnflow ...` beside the running cloud (it finds the cloud's database through the data dir)."""
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", PASSWORD_VARIABLE)}
    return subprocess.run(
        [sys.executable, "-m", "localcloud.cli", *arguments],
        cwd=REPO_ROOT,
        env=env | {"LEARNFLOW_DATA_DIR": str(cloud.data_dir), "COLUMNS": "200"} | environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="session")
def admin(cloud: RunningCloud, api: httpx.Client) -> Account:
    email, password = f"admin-{uuid.uuid4().hex[:8]}@example.com", "an admin's long passphrase"
    created = run_cli(
        cloud,
        "admin",
        "create",
        "--email",
        email,
        "--display-name",
        "Operator",
        **{PASSWORD_VARIABLE: password},
    )
    assert created.returncode == 0, created.stderr
    login = api.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.text
    me = api.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"})
    return Account(me.json()["user"]["id"], email, password, login.json()["access_token"])
