"""The console on an origin of its own, as the stack's web site serves it, calling the local cloud's APIs
on another: allowed by LEARNFLOW_CORS_ORIGINS, it signs up, signs in and asks the tutor, within the
site's Content-Security-Policy (enforced here); from an origin not in the list the browser refuses the
API's answers and the page says LearnFlow cannot be reached."""

from collections.abc import Callable, Iterator

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.console_browser import CONSOLE_DIR, create_account, heading, screenshot
from tests.browser.static_console import StaticConsole, serving_console
from tests.cloud_process import RunningCloud, running_cloud, sign_up

pytestmark = pytest.mark.timeout(300)

#: what the page records of the policy's refusals (a securitypolicyviolation event each)
CSP_RECORDER = (
    "window.__refused = [];"
    "document.addEventListener('securitypolicyviolation',"
    " (event) => window.__refused.push(`${event.violatedDirective} ${event.blockedURI}`));"
)


@pytest.fixture(scope="module")
def sites() -> Iterator[tuple[StaticConsole, StaticConsole]]:
    """Two loopback origins serving the built console: the first allowed by the API's CORS, the other not."""
    dist = CONSOLE_DIR / "dist"
    if not (dist / "index.html").is_file():
        pytest.fail("the console is not built: run `make console`")
    with serving_console(dist) as allowed, serving_console(dist) as other:
        yield allowed, other


@pytest.fixture(scope="module")
def cors_cloud(
    sites: tuple[StaticConsole, StaticConsole], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningCloud]:
    allowed, _other = sites
    data_dir = tmp_path_factory.mktemp("learnflow-cors")
    with running_cloud(data_dir, LEARNFLOW_CORS_ORIGINS=allowed.origin) as cloud:
        for site in sites:
            site.point_at(api_url=cloud.rest_url, websocket_url=cloud.websocket_url)
        yield cloud


@pytest.fixture
def enforcing_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    """Pages whose Content-Security-Policy is enforced (the journeys bypass it to inject axe-core)."""
    contexts: list[BrowserContext] = []

    def open_one() -> Page:
        context = browser.new_context(viewport={"width": 1100, "height": 760})
        context.add_init_script(CSP_RECORDER)
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield open_one
    for context in contexts:
        context.close()


def test_from_an_allowed_origin_the_console_signs_up_signs_in_and_asks_the_tutor(
    sites: tuple[StaticConsole, StaticConsole], cors_cloud: RunningCloud, enforcing_page: Callable[[], Page]
) -> None:
    allowed, _other = sites
    page = enforcing_page()
    api_calls: list[str] = []
    page.on("request", lambda request: api_calls.append(request.url))

    page.goto(f"{allowed.origin}/signup")
    create_account(page, "Ada")
    heading(page, "Ask the tutor")
    expect(page.locator(".connection")).to_have_text("Live")
    assert f"{cors_cloud.rest_url}/api/v1/auth/register" in api_calls
    assert f"{cors_cloud.rest_url}/api/v1/auth/login" in api_calls

    page.get_by_label("Your question").fill("What is a list comprehension?")
    page.get_by_role("button", name="Ask").click()
    answer = page.locator(".tutor-bubble[data-state='answered']")
    expect(answer).to_contain_text("Comprehensions")
    expect(answer.locator("figure.diagram svg")).to_be_visible()  # Mermaid draws without eval
    screenshot(page, "cross-origin")
    assert page.evaluate("window.__refused") == [], "the site's CSP refused something the console needs"


def test_from_an_origin_not_allowed_the_browser_refuses_the_answers_and_the_page_says_so(
    sites: tuple[StaticConsole, StaticConsole], cors_cloud: RunningCloud, enforcing_page: Callable[[], Page]
) -> None:
    _allowed, other = sites
    with httpx.Client(base_url=cors_cloud.rest_url, timeout=30) as api:
        student = sign_up(api)
        preflight = api.options(
            "/api/v1/auth/login",
            headers={"Origin": other.origin, "Access-Control-Request-Method": "POST"},
        )
    assert "Access-Control-Allow-Origin" not in preflight.headers

    page = enforcing_page()
    page.goto(f"{other.origin}/signin")
    page.get_by_label("Email").fill(student.email)
    page.get_by_label("Password").fill(student.password)
    page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert")
    expect(alert).to_have_text("LearnFlow cannot be reached. Check your connection and try again.")
    heading(page, "Sign in")
    assert "{" not in page.locator("main").inner_text(), "no raw JSON on the page"
    screenshot(page, "cross-origin-refused")
    assert page.evaluate("window.__refused") == [], "refused by CORS, not by the page's own CSP"
