"""API Gateway's REST behaviour in the local cloud, with test functions behind a real HTTP server."""

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer

from infra.wiring import FunctionSpec, RestRoute
from localcloud.authorizers import LambdaAuthorizer
from localcloud.rest_gateway import RestGateway
from localcloud.routing import RouteTable
from localcloud.runtime import FunctionRuntime

HANDLERS = "tests.localcloud.handlers.http"
AUTHORIZER = FunctionSpec("test_authorizer", f"{HANDLERS}.authorizer", "", timeout_seconds=5)
SPECS = (
    AUTHORIZER,
    FunctionSpec(
        "echo",
        f"{HANDLERS}.echo",
        "",
        rest_routes=(
            RestRoute("GET", "/items/{item_id}"),
            RestRoute("POST", "/items/{item_id}"),
            RestRoute("GET", "/open", authorized=False),
        ),
    ),
    FunctionSpec(
        "crash", f"{HANDLERS}.crash", "", rest_routes=(RestRoute("GET", "/crash", authorized=False),)
    ),
    FunctionSpec(
        "sleep",
        f"{HANDLERS}.sleep",
        "",
        timeout_seconds=1,
        rest_routes=(RestRoute("POST", "/sleep", authorized=False),),
    ),
    FunctionSpec(
        "single",
        f"{HANDLERS}.sleep",
        "",
        timeout_seconds=5,
        reserved_concurrency=1,
        rest_routes=(RestRoute("POST", "/single", authorized=False),),
    ),
    FunctionSpec(
        "malformed",
        f"{HANDLERS}.malformed",
        "",
        rest_routes=(RestRoute("GET", "/malformed", authorized=False),),
    ),
)


Client = TestClient[web.Request, web.Application]


@pytest.fixture
def record_dir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
async def client(record_dir: Path) -> AsyncIterator[Client]:
    runtime = FunctionRuntime(
        SPECS, lambda spec: {"RECORD_DIR": str(record_dir), "PATH": "/usr/bin:/bin"}, record_dir / "logs"
    )
    gateway = RestGateway(
        runtime,
        RouteTable(SPECS),
        LambdaAuthorizer(runtime, AUTHORIZER.name),
        throttle_rate=5,
        throttle_burst=5,
        cors_origins=("http://localhost:3000",),
    )
    async with TestClient(TestServer(gateway.app())) as test_client:
        yield test_client
    await runtime.close()


def recorded(record_dir: Path, name: str) -> list[dict[str, object]]:
    path = record_dir / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


async def error_code(response: ClientResponse) -> str:
    body = await response.json()
    assert set(body["error"]) == {"code", "message", "details"}
    return str(body["error"]["code"])


async def test_an_allowed_request_reaches_the_function_with_the_authorizer_context(
    client: Client, record_dir: Path
) -> None:
    response = await client.get("/items/42", headers={"Authorization": "Bearer good"})
    assert response.status == 200
    assert response.headers.getall("Set-Cookie") == ["a=1", "b=2"]
    body = await response.json()
    assert body == {"path": "/items/42", "authorizer": {"principalId": "user-1", "role": "student"}}
    (event,) = recorded(record_dir, "echo")
    assert event["pathParameters"] == {"item_id": "42"} and event["resource"] == "/items/{item_id}"


async def test_authorizer_results_are_cached_per_token(client: Client, record_dir: Path) -> None:
    for _ in range(3):
        assert (await client.get("/items/1", headers={"Authorization": "Bearer good"})).status == 200
    assert (await client.get("/items/2", headers={"Authorization": "Bearer bad"})).status == 401
    assert (await client.get("/items/2", headers={"Authorization": "Bearer bad"})).status == 401
    assert len(recorded(record_dir, "authorizer")) == 2


async def test_a_policy_that_does_not_cover_the_method_is_403(client: Client) -> None:
    headers = {"Authorization": "Bearer readonly"}
    assert (await client.get("/items/1", headers=headers)).status == 200
    denied = await client.post("/items/1", headers=headers, json={})
    assert denied.status == 403 and await error_code(denied) == "forbidden"


async def test_no_token_is_401_and_a_failing_authorizer_is_500(client: Client) -> None:
    missing = await client.get("/items/1")
    assert missing.status == 401 and await error_code(missing) == "unauthorized"
    broken = await client.get("/items/1", headers={"Authorization": "Bearer broken"})
    assert broken.status == 500 and await error_code(broken) == "internal_error"


async def test_a_crashing_function_is_502_and_the_next_call_still_works(client: Client) -> None:
    crashed = await client.get("/crash")
    assert crashed.status == 502 and await error_code(crashed) == "bad_gateway"
    assert "the handler broke" not in await crashed.text()
    assert (await client.get("/open")).status == 200


async def test_a_function_past_its_timeout_is_killed_and_answered_502(client: Client) -> None:
    slow = await client.post("/sleep", json={"seconds": 3})
    assert slow.status == 502
    quick = await client.post("/sleep", json={"seconds": 0})
    assert quick.status == 200


async def test_a_function_throttled_at_its_reserved_concurrency_is_500_as_api_gateway_answers(
    client: Client,
) -> None:
    busy = asyncio.create_task(client.post("/single", json={"seconds": 1}))
    await asyncio.sleep(0.5)
    throttled = await client.post("/single", json={"seconds": 0})
    assert throttled.status == 500 and await error_code(throttled) == "internal_error"
    assert (await busy).status == 200


async def test_a_malformed_proxy_response_is_502(client: Client) -> None:
    assert (await client.get("/malformed")).status == 502


async def test_unknown_routes_are_404_and_big_bodies_413(client: Client) -> None:
    unknown = await client.get("/nowhere")
    assert unknown.status == 404 and await error_code(unknown) == "not_found"
    with_a_newline = await client.get("/nowhere/%0A")
    assert with_a_newline.status == 404 and await error_code(with_a_newline) == "not_found"
    big = await client.post(
        "/items/1", headers={"Authorization": "Bearer good"}, data=b"x" * (1024 * 1024 + 1)
    )
    assert big.status == 413 and await error_code(big) == "payload_too_large"


async def test_bursts_past_the_stage_limit_are_429_with_retry_after(client: Client) -> None:
    statuses = [(await client.get("/open")).status for _ in range(12)]
    assert statuses[:5] == [200] * 5
    throttled = await client.get("/open")
    assert throttled.status == 429
    assert throttled.headers["Retry-After"] == "1"
    assert await error_code(throttled) == "throttled"


async def test_cors_preflight_and_allowed_origins(client: Client) -> None:
    preflight = await client.options(
        "/items/1", headers={"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status == 204
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    stranger = await client.get("/open", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in stranger.headers


async def test_the_gateway_serves_the_openapi_document_and_swagger_ui_beside_the_api(client: Client) -> None:
    document = await client.get("/api/v1/openapi.json")
    assert document.status == 200
    assert (await document.json())["info"]["title"] == "LearnFlow API"
    page = await client.get("/api/v1/docs")
    assert page.status == 200
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in await page.text()
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    bundle = await client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert bundle.status == 200
    assert "SwaggerUIBundle" in await bundle.text()
