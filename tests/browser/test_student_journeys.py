"""A student's first minutes in the console, in real Chromium against the local cloud."""

import uuid
from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.console_browser import (
    assert_accessible,
    assert_no_xss,
    create_account,
    heading,
    open_page,
    screenshot,
    student_signed_in,
    type_code,
)
from tests.cloud_process import RunningCloud, create_admin, sign_up

pytestmark = pytest.mark.timeout(300)

ADDER_TESTS = """import unittest

from adder import add


class AddTest(unittest.TestCase):
    def test_small_numbers(self):
        self.assertEqual(add(2, 3), 5)

    def test_negative_numbers(self):
        self.assertEqual(add(-2, -3), -5)
"""
ADDER_SOLUTION = "def add(a, b):\n    return a + b\n"


def teachers_exercise(api: httpx.Client) -> str:
    teacher = sign_up(api, "teacher")
    created = api.post(
        "/api/v1/exercises",
        headers=teacher.headers,
        json={
            "slug": f"adder-{uuid.uuid4().hex[:8]}",
            "title": "Add two numbers",
            "description": "Write `add(a, b)` that returns the **sum** of its two arguments.",
            "topic": "functions",
            "difficulty": "easy",
            "module_name": "adder",
            "starter_code": "def add(a, b):\n    pass\n",
            "solution": ADDER_SOLUTION,
            "test_code": ADDER_TESTS,
            "hints": ["Use the + operator.", "Return the result instead of printing it."],
        },
    )
    assert created.status_code == 201, created.text
    return str(created.json()["exercise"]["id"])


def test_a_new_student_signs_up_asks_a_question_and_sees_the_answer_arrive(
    new_page: Callable[..., Page], console_url: str
) -> None:
    page = new_page()
    page.goto(console_url)
    heading(page, "Sign in")
    screenshot(page, "signin", readme=True)
    assert_accessible(page)
    page.get_by_role("link", name="Create an account").click()
    create_account(page, "Ada")
    heading(page, "Ask the tutor")
    expect(page.locator(".connection")).to_have_text("Live")

    page.get_by_label("Your question").fill("What is a list comprehension?")
    page.get_by_role("button", name="Ask").click()
    answer = page.locator(".tutor-bubble[data-state='answered']")
    expect(answer).to_contain_text("Comprehensions")
    expect(answer.get_by_role("button", name="Run example 1")).to_be_visible()
    answer.get_by_role("button", name="Run example 1").click()
    expect(answer.locator(".run-result")).to_contain_text("Status: ok")
    screenshot(page, "tutor", readme=True)
    assert_accessible(page)
    assert_no_xss(page)


def test_a_reload_keeps_the_session_and_a_replayed_one_returns_to_sign_in(
    new_page: Callable[..., Page], console_url: str, api: httpx.Client
) -> None:
    _student, page = student_signed_in(new_page, console_url, api)
    page.reload()
    heading(page, "Ask the tutor")
    expect(page.locator(".connection")).to_have_text("Live")
    spent = page.evaluate("sessionStorage.getItem('learnflow.refresh_token')")
    assert api.post("/api/v1/auth/refresh", json={"refresh_token": spent}).status_code == 200
    page.reload()  # the console's refresh token has now been used elsewhere: a replay
    heading(page, "Sign in")
    expect(page.get_by_role("alert")).to_contain_text("Your session has ended")
    assert page.evaluate("sessionStorage.getItem('learnflow.refresh_token')") is None


def test_a_student_runs_code_and_reads_what_went_wrong_in_plain_words(
    new_page: Callable[..., Page], console_url: str, api: httpx.Client
) -> None:
    _student, page = student_signed_in(new_page, console_url, api)
    open_page(page, "Run code")
    page.get_by_role("button", name="Run", exact=True).click()
    result = page.locator(".run-result")
    expect(result.get_by_test_id("stdout")).to_have_text("What is your name? Hello, Ada!")
    expect(result).to_contain_text("Status: ok")
    screenshot(page, "run", readme=True)
    assert_accessible(page)

    type_code(page, "Python program", "while True:\n    pass\n")
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page.locator(".run-result")).to_have_attribute("data-status", "timeout")
    expect(page.locator(".run-explanation")).to_contain_text("ran for too long")

    type_code(page, "Python program", "print(1 / 0)\n")
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page.locator(".run-result")).to_have_attribute("data-status", "error")
    expect(page.get_by_test_id("stderr")).to_contain_text("ZeroDivisionError")
    screenshot(page, "run-error")


def test_a_student_takes_a_hint_and_submits_a_wrong_then_a_right_solution(
    new_page: Callable[..., Page], console_url: str, api: httpx.Client
) -> None:
    exercise_id = teachers_exercise(api)
    _student, page = student_signed_in(new_page, console_url, api)
    page.goto(f"{console_url}/exercises/{exercise_id}")
    heading(page, "Add two numbers")
    page.get_by_role("button", name="Take a hint (2 left)").click()
    expect(page.locator(".hint-box li")).to_have_text("Hint 1: Use the + operator.")

    type_code(page, "Your solution (adder.py)", "def add(a, b):\n    return a - b\n")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".graded")).to_have_attribute("data-status", "failed")
    expect(page.locator(".test-fail").first).to_contain_text("failed")

    type_code(page, "Your solution (adder.py)", ADDER_SOLUTION)
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".graded")).to_have_attribute("data-status", "passed")
    expect(page.locator(".test-pass")).to_have_count(2)
    screenshot(page, "exercise", readme=True)
    assert_accessible(page)

    open_page(page, "Exercises")
    expect(page.get_by_role("link", name="Add two numbers")).to_be_visible()
    page.get_by_label("Topic").fill("for loops")
    page.get_by_role("button", name="Generate an exercise").click()
    expect(page.get_by_role("button", name="Submit")).to_be_visible()
    assert_accessible(page)


def test_a_student_sees_progress_change_and_a_notification_arrive_live(
    new_page: Callable[..., Page], console_url: str, api: httpx.Client, cloud: RunningCloud
) -> None:
    exercise_id = teachers_exercise(api)
    student, page = student_signed_in(new_page, console_url, api)
    open_page(page, "Progress")
    expect(page.get_by_test_id("mastery")).to_have_text("Mastery 0 / 100")

    submitted = api.post(
        f"/api/v1/exercises/{exercise_id}/submit", headers=student.headers, json={"code": ADDER_SOLUTION}
    )
    assert submitted.json()["status"] == "passed", submitted.text
    expect(page.get_by_test_id("mastery")).not_to_have_text("Mastery 0 / 100", timeout=30_000)
    expect(page.locator(".timeline li").first).to_contain_text("exercise submitted")

    admin = create_admin(cloud, api)
    sent = api.post(
        "/api/v1/notifications/send",
        headers=admin.headers,
        json={"user_id": student.id, "kind": "announcement", "message": "Office hours at four today."},
    )
    assert sent.status_code == 201, sent.text
    arrived = page.locator(".notification", has_text="Office hours at four today.")
    expect(arrived).to_have_attribute("data-read", "false")
    expect(page.locator(".badge")).to_have_text("Notifications: 1 unread")
    screenshot(page, "progress", readme=True)
    assert_accessible(page)
    arrived.get_by_role("button", name="Mark as read").click()
    expect(arrived).to_have_attribute("data-read", "true")
    expect(page.locator(".badge")).to_have_text("Notifications: 0 unread")
