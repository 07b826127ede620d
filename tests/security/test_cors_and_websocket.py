"""CORS from configuration only, and the WebSocket handshake refused without a valid access token."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.cloud_process import Account, RunningCloud
from tests.e2e.websocket_client import next_message, open_socket
from tests.security.conftest import GATEWAY_UNAUTHORIZED, assert_refused, error

pytestmark = pytest.mark.cloud

ALLOWED_ORIGIN = "http://localhost:3000"  # the default of LEARNFLOW_CORS_ORIGINS
HANDSHAKE_REFUSED = error("unauthorized", "A valid access token is required as ?token=.")


def test_the_configured_origin_is_allowed_and_an_unknown_one_gets_no_allow_header(
    api: httpx.Client, student: Account
) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    allowed = api.options("/api/v1/classes", headers=preflight | {"Origin": ALLOWED_ORIGIN})
    assert allowed.status_code == 204
    assert allowed.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert "POST" in allowed.headers["Access-Control-Allow-Methods"]

    for origin in ("https://evil.example", "http://localhost:3000.evil.example", "null"):
        refused = api.options("/api/v1/classes", headers=preflight | {"Origin": origin})
        assert "Access-Control-Allow-Origin" not in refused.headers
        me = api.get("/api/v1/auth/me", headers=student.headers | {"Origin": origin})
        assert me.status_code == 200
        assert "Access-Control-Allow-Origin" not in me.headers

    # errors carry the header too, so the frontend can read the error body
    denied = api.get("/api/v1/auth/me", headers={"Origin": ALLOWED_ORIGIN})
    assert_refused(denied, 401, GATEWAY_UNAUTHORIZED)
    assert denied.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
async def test_a_websocket_handshake_without_a_valid_access_token_is_refused(
    cloud: RunningCloud, student: Account, signing_key: str, api: httpx.Client
) -> None:
    now = datetime.now(UTC)
    claims = {
        "sub": student.id,
        "role": "student",
        "typ": "access",
        "jti": str(uuid.uuid4()),
        "iss": "learnflow",
        "aud": "learnflow-api",
        "iat": now - timedelta(minutes=20),
        "exp": now - timedelta(minutes=5),
    }
    login = api.post("/api/v1/auth/login", json={"email": student.email, "password": student.password})
    refresh_token = login.json()["refresh_token"]
    attempts = [
        f"{cloud.websocket_url}/",  # no token at all
        f"{cloud.websocket_url}/?token=",  # an empty one
        *(
            f"{cloud.websocket_url}/?token={token}"
            for token in (
                "not-a-jwt",
                jwt.encode(
                    claims, signing_key, algorithm="HS256"
                ),  # expired, though signed with the real key
                jwt.encode(claims | {"exp": now + timedelta(minutes=5)}, "secret", algorithm="HS256"),
                jwt.encode(claims | {"exp": now + timedelta(minutes=5)}, key=None, algorithm="none"),
                refresh_token,  # the wrong type
            )
        ),
    ]
    for url in attempts:
        with pytest.raises(InvalidStatus) as refused:
            await connect(url, open_timeout=10)
        assert refused.value.response.status_code == 401
        assert json.loads(refused.value.response.body or b"null") == HANDSHAKE_REFUSED

    socket = await open_socket(cloud.websocket_url, student.access_token)
    try:
        await socket.send('{"action": "ping"}')
        assert await next_message(socket, "pong") == {"type": "pong"}
    finally:
        await socket.close()
