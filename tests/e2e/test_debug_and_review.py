"""Debugging help, code review and struggle detection through the running local cloud."""

import httpx
import pytest

from tests.cloud_process import Account, RunningCloud, sign_up
from tests.e2e.websocket_client import next_message, open_socket

pytestmark = pytest.mark.cloud

TYPO = "total = 10\nprint(totl)\n"


def test_debug_analyze_runs_code_alone_in_the_sandbox_and_answers_three_hints(
    api: httpx.Client, student: Account
) -> None:
    answered = api.post("/api/v1/debug/analyze", headers=student.headers, json={"code": TYPO})
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert (body["error_type"], body["line"], body["source"]) == ("NameError", 2, "offline")
    assert body["found_by"] == "sandbox"
    assert [hint["level"] for hint in body["hints"]] == [1, 2, 3]
    assert "print(total)" not in body["hints"][0]["text"] + body["hints"][1]["text"]
    assert body["hints"][2]["code"] == "total = 10\nprint(total)\n" and body["hints"][2]["verified"] is True


def test_debug_analyze_reads_a_pasted_traceback_and_reports_clean_code(
    api: httpx.Client, student: Account
) -> None:
    pasted = api.post(
        "/api/v1/debug/analyze",
        headers=student.headers,
        json={"code": "items = [1]\nprint(items[3])\n", "error": "IndexError: list index out of range"},
    ).json()
    assert (pasted["error_type"], pasted["line"], pasted["found_by"]) == ("IndexError", 2, "traceback")
    clean = api.post("/api/v1/debug/analyze", headers=student.headers, json={"code": "print(1 + 1)\n"}).json()
    assert clean["error_type"] is None and clean["hints"] == []


def test_debug_analyze_rejects_a_missing_code_field(api: httpx.Client, student: Account) -> None:
    refused = api.post("/api/v1/debug/analyze", headers=student.headers, json={"error": "NameError"})
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "code"


async def test_a_debug_question_is_answered_over_the_websocket(
    cloud: RunningCloud, api: httpx.Client, student: Account
) -> None:
    async with await open_socket(cloud.websocket_url, student.access_token) as socket:
        accepted = api.post(
            "/api/v1/query",
            headers=student.headers,
            json={
                "question": "I get an error when I run this, why?",
                "code": TYPO,
                "error": "NameError: name 'totl' is not defined",
            },
        )
        assert accepted.status_code == 202, accepted.text
        assert accepted.json()["intent"] == "debug"
        answer = await next_message(socket, "response", timeout=20)
    assert answer["request_id"] == accepted.json()["request_id"] and answer["intent"] == "debug"
    assert answer["data"]["error_type"] == "NameError" and len(answer["data"]["hints"]) == 3


def test_review_analyze_answers_score_issues_complexity_and_suggestions(
    api: httpx.Client, student: Account
) -> None:
    code = "def fib(n):\n    if n < 2:\n        return n\n    return fib(n-1) + fib(n-2)\n\nprint(fib(10))\n"
    reviewed = api.post("/api/v1/review/analyze", headers=student.headers, json={"code": code})
    assert reviewed.status_code == 200, reviewed.text
    body = reviewed.json()
    assert 0 <= body["score"] <= 100 and body["source"] == "offline"
    assert {"line", "column", "code", "message", "severity"} <= set(body["issues"][0])
    assert body["complexity"]["functions"][0]["big_o"] == "O(2^n)"
    memoized = next(s for s in body["suggestions"] if "functools.cache" in s["after"])
    assert {"title", "reason", "before", "after"} <= set(memoized) and memoized["checks"][
        "same_behaviour"
    ] is True


async def test_a_review_question_is_answered_and_counts_as_code_quality(
    cloud: RunningCloud, api: httpx.Client, student: Account
) -> None:
    async with await open_socket(cloud.websocket_url, student.access_token) as socket:
        accepted = api.post(
            "/api/v1/query",
            headers=student.headers,
            json={
                "question": "Can you review my code and tell me how to improve it?",
                "code": "x=1\nprint( x )\n",
            },
        )
        assert accepted.json()["intent"] == "code_review", accepted.text
        answer = await next_message(socket, "response", timeout=20)
        assert answer["intent"] == "code_review" and 0 <= answer["data"]["score"] <= 100
        await next_message(socket, "progress", timeout=20)
    progress = api.get(f"/api/v1/progress/{student.id}", headers=student.headers).json()
    assert progress["components"]["code_quality"] > 0


async def test_the_fourth_same_error_alerts_the_student_and_their_teacher_once(
    cloud: RunningCloud, api: httpx.Client
) -> None:
    teacher, student = sign_up(api, "teacher"), sign_up(api, "student")
    opened = api.post("/api/v1/classes", headers=teacher.headers, json={"name": "Debugging 101"})
    api.post("/api/v1/classes/join", headers=student.headers, json={"join_code": opened.json()["join_code"]})
    async with (
        await open_socket(cloud.websocket_url, student.access_token) as student_socket,
        await open_socket(cloud.websocket_url, teacher.access_token) as teacher_socket,
    ):
        for attempt in range(5):
            code = f"value = {attempt}\nprint(valeu)\n"
            assert (
                api.post("/api/v1/debug/analyze", headers=student.headers, json={"code": code}).status_code
                == 200
            )
        for_student = await next_message(student_socket, "notification", timeout=20)
        for_teacher = await next_message(teacher_socket, "notification", timeout=20)
        with pytest.raises(TimeoutError):  # one alert per episode, not one per error
            await next_message(teacher_socket, "notification", timeout=2)
    assert for_student["data"]["kind"] == "struggle_alert"
    assert for_teacher["data"]["kind"] == "student_struggling"
    assert for_teacher["data"]["data"]["error_type"] == "NameError"
    assert for_teacher["data"]["data"]["occurrences"] == 4


async def test_a_program_that_runs_cleanly_ends_the_episode_so_new_trouble_alerts_again(
    cloud: RunningCloud, api: httpx.Client
) -> None:
    student = sign_up(api, "student")

    def stumble(times: int) -> None:
        for attempt in range(times):
            code = f"total = {attempt}\nprint(totl)\n"
            api.post("/api/v1/debug/analyze", headers=student.headers, json={"code": code})

    async with await open_socket(cloud.websocket_url, student.access_token) as socket:
        stumble(4)
        first = await next_message(socket, "notification", timeout=20)
        ran = api.post("/api/v1/execute", headers=student.headers, json={"code": "print('fixed it')"})
        assert ran.json()["status"] == "ok"
        stumble(4)
        second = await next_message(socket, "notification", timeout=20)
    assert first["data"]["kind"] == second["data"]["kind"] == "struggle_alert"
    assert first["data"]["id"] != second["data"]["id"]
