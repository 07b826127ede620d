"""The console's own checks (tsc, Vitest), its first-load budget, and how the local cloud serves it."""

import os
import subprocess

import httpx
import pytest

from infra.console_page import content_security_policy
from tests.browser.console_browser import CONSOLE_DIR

pytestmark = pytest.mark.timeout(300)


def npm_run(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["npm", "run", "--silent", script],
        cwd=CONSOLE_DIR,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        env=os.environ | {"CI": "true", "NO_COLOR": "1"},
    )


def test_the_consoles_type_check_and_unit_tests_pass() -> None:
    ran = npm_run("test")
    assert ran.returncode == 0, ran.stdout[-4000:] + ran.stderr[-4000:]


def test_the_first_load_stays_under_300_kb_gzipped_without_mermaid() -> None:
    ran = npm_run("size")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    print(ran.stdout.strip())


def test_the_local_cloud_serves_the_console_beside_the_untouched_api(console_url: str) -> None:
    with httpx.Client(base_url=console_url, timeout=10) as client:
        page = client.get("/exercises/some-id", headers={"Accept": "text/html"})
        assert page.status_code == 200 and '<div id="app">' in page.text
        config = client.get("/config.json").json()
        assert config["websocket_url"].startswith("ws://127.0.0.1:")
        # the deployed site's policy, with this cloud's two origins
        assert page.headers["Content-Security-Policy"] == content_security_policy(
            api_origin=console_url.rstrip("/"), websocket_origin=config["websocket_url"]
        )
        unknown = client.get("/no-such-route")
        assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
        api = client.get("/api/v1/auth/me", headers={"Accept": "text/html"})
        assert api.status_code == 401 and api.json()["error"]["code"] == "unauthorized"
