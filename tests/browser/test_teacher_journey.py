"""A teacher follows a class live: a student who joins, then their struggle alert, arrive on the
teacher's page without a reload."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.console_browser import (
    assert_accessible,
    assert_no_xss,
    create_account,
    heading,
    open_page,
    screenshot,
    type_code,
)

pytestmark = pytest.mark.timeout(300)

BROKEN = "total = 0\nfor n in [1, 2, 3]:\n    total += m\nprint(total)\n"
ITS_ERROR = "NameError: name 'm' is not defined"


def sign_up_in_console(page: Page, console_url: str, name: str, role: str) -> str:
    page.goto(f"{console_url}/signup")
    email = create_account(page, name, role)
    expect(page.locator(".connection")).to_have_text("Live")
    return email


def test_a_teacher_sees_a_struggling_student_alert_live(
    new_page: Callable[..., Page], console_url: str
) -> None:
    teacher = new_page()
    sign_up_in_console(teacher, console_url, "Mr Knuth", "teacher")
    heading(teacher, "Your classes")
    teacher.get_by_label("Class name").fill("Python after school")
    teacher.get_by_role("button", name="Create class").click()
    join_code = teacher.get_by_test_id("join-code").inner_text()
    expect(teacher.locator(".class-name")).to_have_text("Python after school")

    student = new_page(width=360, height=740)
    sign_up_in_console(student, console_url, "Linus", "student")
    open_page(student, "Join a class")
    student.get_by_label("Join code (from your teacher)").fill(join_code)
    student.get_by_role("button", name="Join").click()
    expect(student.get_by_role("status").filter(has_text="joined")).to_be_visible()
    # the teacher's page, never reloaded, shows the student who just joined
    expect(teacher.locator(".roster")).to_contain_text("Linus")

    open_page(student, "Ask the tutor")
    student.get_by_text("Add your code and the error").click()
    for attempt in range(1, 5):
        student.get_by_label("Your question").fill("Why does my loop fail?")
        type_code(student, "Your code (optional)", BROKEN)
        student.get_by_label("The error you got").fill(ITS_ERROR)
        student.get_by_role("button", name="Ask").click()
        expect(student.locator(".tutor-bubble[data-state='answered']")).to_have_count(attempt)
    last = student.locator(".tutor-bubble").last
    expect(last).to_contain_text("NameError")
    last.get_by_role("button", name="Show hint 1").click()
    expect(last.locator(".hints li")).to_have_count(1)
    screenshot(student, "tutor-debugging-360px")
    assert_accessible(student)

    alert = teacher.locator(".alerts .notification", has_text="Linus ran into NameError")
    expect(alert).to_be_visible(timeout=30_000)
    expect(teacher.locator(".roster")).to_contain_text("Linus")
    expect(teacher.locator(".roster .level")).to_be_visible()
    screenshot(teacher, "teacher", readme=True)
    assert_accessible(teacher)
    assert_no_xss(teacher)

    teacher.get_by_role("link", name="Linus").click()
    heading(teacher, "A student's progress")
    expect(teacher.get_by_test_id("mastery")).to_be_visible()
    assert_accessible(teacher)
