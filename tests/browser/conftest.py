"""The browser tier: the console, built by `make console`, served by a local cloud as `make dev` runs it."""

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.console_browser import CHROMIUM_ARGS, CONSOLE_DIR, SCREENSHOTS, chromium_path, new_context
from tests.cloud_process import RunningCloud


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for the browser tier, stopped with its last test: Playwright's sync API holds an
    event loop while it runs, which the tiers after it (asyncio.run) must not find."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
    print(f"\nconsole screenshots: {SCREENSHOTS}")


@pytest.fixture(scope="session")
def console_url(cloud: RunningCloud) -> str:
    if not (CONSOLE_DIR / "dist" / "index.html").is_file():
        pytest.fail("the console is not built: run `make console`")
    return cloud.rest_url


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Opens pages, each in a browser context of its own (a person on their own device)."""
    contexts = []

    def open_one(width: int = 1100, height: int = 760) -> Page:
        context = new_context(browser, width=width, height=height)
        contexts.append(context)
        return context.new_page()

    yield open_one
    for context in contexts:
        context.close()
