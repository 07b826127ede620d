"""Hostile content planted through the API is shown as text: the canary `window.__xss` never runs."""

from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.console_browser import assert_no_xss, open_page, sign_in, student_signed_in, type_code
from tests.cloud_process import RunningCloud, create_admin, sign_up

pytestmark = pytest.mark.timeout(300)

HOSTILE = "<img src=x onerror=window.__xss()><script>window.__xss()</script>"
MARKDOWN_TRICK = "[a helpful link](javascript:window.__xss()) <a href='javascript:window.__xss()'>docs</a>"


def test_a_hostile_class_name_is_text_on_the_teachers_page(
    new_page: Callable[..., Page], console_url: str, api: httpx.Client
) -> None:
    teacher = sign_up(api, "teacher")
    opened = api.post("/api/v1/classes", headers=teacher.headers, json={"name": HOSTILE})
    assert opened.status_code == 201, opened.text
    page = new_page()
    sign_in(page, console_url, teacher.email)
    page.goto(f"{console_url}/teacher/classes/{opened.json()['id']}")
    expect(page.locator(".class-name")).to_have_text(HOSTILE)
    open_page(page, "Classes")
    expect(page.get_by_role("link", name=HOSTILE)).to_be_visible()
    assert_no_xss(page)


def test_hostile_program_output_is_text(
    new_page: Callable[..., Page], console_url: str, api: httpx.Client
) -> None:
    _student, page = student_signed_in(new_page, console_url, api)
    open_page(page, "Run code")
    program = f"print({HOSTILE!r})\nimport sys\nprint({MARKDOWN_TRICK!r}, file=sys.stderr)\n"
    type_code(page, "Python program", program)
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page.get_by_test_id("stdout")).to_have_text(HOSTILE)
    expect(page.get_by_test_id("stderr")).to_have_text(MARKDOWN_TRICK)
    assert_no_xss(page)


def test_a_hostile_notification_arrives_live_as_text(
    new_page: Callable[..., Page], console_url: str, api: httpx.Client, cloud: RunningCloud
) -> None:
    student, page = student_signed_in(new_page, console_url, api)
    open_page(page, "Progress")
    admin = create_admin(cloud, api)
    message = f"{HOSTILE} {MARKDOWN_TRICK}"
    sent = api.post(
        "/api/v1/notifications/send",
        headers=admin.headers,
        json={"user_id": student.id, "kind": "announcement", "message": message},
    )
    assert sent.status_code == 201, sent.text
    expect(page.locator(".notification .message")).to_have_text(message)
    assert_no_xss(page)


def test_a_hostile_question_and_the_tutors_answer_to_it_stay_inert(
    new_page: Callable[..., Page], console_url: str, api: httpx.Client
) -> None:
    _student, page = student_signed_in(new_page, console_url, api)
    question = f"What is {HOSTILE} {MARKDOWN_TRICK}?"
    page.get_by_label("Your question").fill(question)
    page.get_by_role("button", name="Ask").click()
    expect(page.locator(".student-bubble .question")).to_have_text(question)
    expect(page.locator(".tutor-bubble[data-state='answered']")).to_be_visible()
    assert_no_xss(page)
