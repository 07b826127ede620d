"""The local cloud's API documents when something they need is missing: a clear error, no crash."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from localcloud import api_docs

Client = TestClient[web.Request, web.Application]


@pytest.fixture
async def bare_client(tmp_path: Path) -> AsyncIterator[Client]:
    app = web.Application()
    api_docs.add_routes(app, document=tmp_path / "openapi.json", swagger_ui=tmp_path / "swagger-ui-dist")
    async with TestClient(TestServer(app)) as client:
        yield client


async def test_a_missing_document_answers_503_saying_how_to_make_it(bare_client: Client) -> None:
    response = await bare_client.get(api_docs.OPENAPI_PATH)
    assert response.status == 503
    assert "make openapi" in (await response.json())["error"]["message"]


async def test_swagger_ui_not_installed_answers_503_saying_how_to_install_it(bare_client: Client) -> None:
    response = await bare_client.get(api_docs.DOCS_PATH)
    assert response.status == 503
    assert "make install" in (await response.json())["error"]["message"]


async def test_the_page_starts_swagger_ui_on_the_served_document(bare_client: Client) -> None:
    start = await bare_client.get(f"{api_docs.DOCS_PATH}/start.js")
    assert f'url: "{api_docs.OPENAPI_PATH}"' in await start.text()
    moved = await bare_client.get(f"{api_docs.DOCS_PATH}/", allow_redirects=False)
    assert moved.status == 302
    assert moved.headers["Location"] == api_docs.DOCS_PATH
