"""Debian's Chromium driven by Playwright, and what every console journey checks on its pages."""

import os
import re
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.cloud_process import Account, sign_up
from tests.conftest import REPO_ROOT

CONSOLE_DIR = REPO_ROOT / "console"
AXE_SCRIPT = CONSOLE_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO_ROOT / "build" / "screenshots"
README_SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
#: set to 1 to rewrite docs/screenshots/ (the README's pictures) from the journeys
UPDATE_README_SCREENSHOTS = os.environ.get("LEARNFLOW_UPDATE_SCREENSHOTS") == "1"

#: as the machine's notes advise: no background connections to hosts this machine cannot reach
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: hostile content calls this; a console that renders it as text never does
XSS_CANARY = "window.__xssCalls = 0; window.__xss = () => { window.__xssCalls += 1; };"
PASSWORD = "correct horse battery"
#: how long a journey waits for what a person would wait for (an answer, a run that times out)
expect.set_options(timeout=30_000)


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise RuntimeError("Chromium is missing: run `make browser-tools` (Debian's chromium package)")
    return found


def new_context(browser: Browser, *, width: int = 1100, height: int = 760) -> BrowserContext:
    # CSP is bypassed so that axe-core can be injected and so that an XSS the console let through
    # would run and trip the canary: the tests prove the rendering, not only the policy
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    context.add_init_script(XSS_CANARY)
    context.set_default_timeout(20_000)
    return context


def assert_no_xss(page: Page) -> None:
    assert page.evaluate("window.__xssCalls") == 0, "hostile content ran in the page"
    hostile = page.locator("main img[onerror], main [onclick], main script, main a[href^='javascript:' i]")
    assert hostile.count() == 0, "hostile markup reached the page"


def assert_accessible(page: Page) -> None:
    """axe-core (from console/node_modules, not a CDN): no serious or critical violation."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    results: dict[str, Any] = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        f"{[node['target'] for node in violation['nodes']][:3]}"
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)


def screenshot(page: Page, name: str, *, readme: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if readme and UPDATE_README_SCREENSHOTS:
        README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(README_SCREENSHOTS / f"{name}.png"))
    return path


def create_account(page: Page, name: str, role: str = "student") -> str:
    """Fills in and sends the sign-up form the page shows; returns the new account's email."""
    email = f"{role}-{uuid.uuid4().hex[:8]}@example.com"
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label(role).check()
    page.get_by_role("button", name="Create account").click()
    return email


def sign_in(page: Page, console_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{console_url}/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".connection")).to_have_text("Live")


def student_signed_in(
    new_page: Callable[..., Page], console_url: str, api: httpx.Client
) -> tuple[Account, Page]:
    """A new student, registered through the API and signed in on a page of their own."""
    student = sign_up(api)
    page = new_page()
    sign_in(page, console_url, student.email)
    return student, page


def type_code(page: Page, label: str, code: str) -> None:
    """Replaces the text of the CodeMirror editor with this accessible name."""
    editor = page.get_by_role("textbox", name=label)
    editor.fill(code)
    expect(editor).to_contain_text(code.strip().splitlines()[-1].strip())


def open_page(page: Page, link: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=link).click()
    expect(page.get_by_role("link", name=link)).to_have_attribute("aria-current", "page")


def heading(page: Page, text: str | re.Pattern[str]) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)
