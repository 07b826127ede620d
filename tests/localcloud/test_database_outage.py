"""A REST function whose database goes away answers the contract's 503 with Retry-After, and serves
again by itself once the database is back (its connection pool reconnects)."""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from multidict import CIMultiDict, MultiDict

from infra.wiring import ALL_FUNCTIONS
from learnflow.db.migrations import apply_migrations
from localcloud import events
from localcloud.embedded import EmbeddedPostgres
from localcloud.environment import Endpoints, function_environment
from localcloud.runtime import FunctionRuntime

SIGNING_KEY = "a-development-signing-key-of-at-least-32-characters"
(AUTH_API,) = (spec for spec in ALL_FUNCTIONS if spec.name == "auth_api")


def who_am_i(user_id: str) -> dict[str, Any]:
    return events.rest_proxy_event(
        method="GET",
        path="/api/v1/auth/me",
        resource="/api/v1/auth/me",
        headers=CIMultiDict(),
        query=MultiDict(),
        path_parameters={},
        raw_body=b"",
        source_ip="127.0.0.1",
        authorizer={"principalId": user_id, "role": "student"},
        request_id=f"req-{time.monotonic_ns()}",
    )


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[EmbeddedPostgres]:
    """A Postgres of this test's own, since the test stops it."""
    server = EmbeddedPostgres(tmp_path / "data")
    apply_migrations(await server.start())
    yield server
    await server.stop()


@pytest.fixture
async def runtime(database: EmbeddedPostgres, tmp_path: Path) -> AsyncIterator[FunctionRuntime]:
    endpoints = Endpoints(
        database_url=database.url,
        kafka_bootstrap_servers="127.0.0.1:1",
        connections_url="http://127.0.0.1:1",
        jwt_secret=SIGNING_KEY,
        data_dir=tmp_path,
    )
    runtime = FunctionRuntime(
        (AUTH_API,), lambda spec: function_environment(spec, endpoints), tmp_path / "logs"
    )
    yield runtime
    await runtime.close()


async def status_of(runtime: FunctionRuntime) -> tuple[int, dict[str, str], dict[str, Any]]:
    invocation = await runtime.invoke(AUTH_API.name, who_am_i("00000000-0000-4000-8000-000000000001"))
    assert invocation.error is None, invocation.error
    result = invocation.result
    headers = dict(result.get("headers") or {})
    headers |= {name: values[-1] for name, values in (result.get("multiValueHeaders") or {}).items()}
    return result["statusCode"], headers, json.loads(result["body"])


async def test_the_database_going_away_is_a_503_and_its_return_heals_the_function(
    database: EmbeddedPostgres, runtime: FunctionRuntime
) -> None:
    status, _, body = await status_of(runtime)
    assert (
        status == 404 and body["error"]["code"] == "not_found"
    )  # no such account, but the database answered

    await database.stop()
    # the warm environment's connection breaks; a second, new one cannot even open its pool
    for status, headers, body in await asyncio.gather(status_of(runtime), status_of(runtime)):
        assert status == 503
        assert body["error"]["code"] == "service_unavailable" and body["error"]["message"]
        assert int(headers["Retry-After"]) > 0

    await database.start()
    statuses = []
    for _ in range(100):  # 20 s at most
        statuses.append((await status_of(runtime))[0])
        if statuses[-1] != 503:
            break
        await asyncio.sleep(0.2)
    assert statuses[-1] == 404, statuses
