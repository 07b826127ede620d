"""Running programs and solving exercises through the local cloud: REST, sandbox, Kafka, WebSocket."""

import json
import uuid

import httpx
import pytest

from tests.cloud_process import Account, RunningCloud, sign_up
from tests.e2e.leap_exercise import LEAP_SOLUTION, LEAP_TESTS, leap_exercise
from tests.e2e.websocket_client import next_message, open_socket
from tests.kafka_reading import read_topic

pytestmark = pytest.mark.cloud


async def test_a_program_runs_and_its_result_also_arrives_on_the_websocket(
    cloud: RunningCloud, api: httpx.Client, student: Account
) -> None:
    async with await open_socket(cloud.websocket_url, student.access_token) as socket:
        response = api.post(
            "/api/v1/execute",
            headers=student.headers,
            json={"code": "name = input()\nprint(f'hello {name}')", "stdin": "Ada\n"},
        )
        assert response.status_code == 200, response.text
        body = response.json()
        pushed = await next_message(socket, "execution")

    assert body["status"] == "ok" and body["stdout"] == "hello Ada\n" and body["exit_code"] == 0
    assert body["truncated"] is False and body["message"] is None and body["duration_ms"] >= 0
    assert pushed["execution_id"] == body["execution_id"]
    assert pushed["stdout"] == "hello Ada\n" and pushed["status"] == "ok"


def test_a_forbidden_import_is_refused_with_its_line(api: httpx.Client, student: Account) -> None:
    response = api.post("/api/v1/execute", headers=student.headers, json={"code": "print(1)\nimport socket"})
    body = response.json()
    assert response.status_code == 200 and body["status"] == "blocked"
    assert body["message"].startswith("Line 2: importing socket is not allowed")
    assert body["stdout"] == ""


def test_a_program_that_never_ends_is_stopped_after_five_seconds(api: httpx.Client, student: Account) -> None:
    body = api.post("/api/v1/execute", headers=student.headers, json={"code": "while True:\n    pass"}).json()
    assert body["status"] == "timeout" and "5 seconds" in body["message"]
    assert body["duration_ms"] >= 5000
    after = api.post("/api/v1/execute", headers=student.headers, json={"code": "print('still here')"}).json()
    assert after["stdout"] == "still here\n"


def test_execute_validates_its_body_and_needs_a_user(api: httpx.Client, student: Account) -> None:
    missing = api.post("/api/v1/execute", headers=student.headers, json={"stdin": "x"})
    assert missing.status_code == 422 and missing.json()["error"]["details"][0]["field"] == "code"
    too_long = api.post("/api/v1/execute", headers=student.headers, json={"code": "#" * 70_000})
    assert too_long.status_code == 422
    assert api.post("/api/v1/execute", json={"code": "print(1)"}).status_code == 401


def test_health_lists_the_sandbox_layers(api: httpx.Client) -> None:
    health = api.get("/health").json()
    assert health["checks"]["sandbox"] == "ok"
    layers = health["sandbox"]["layers"]
    assert {"static_check", "audit_hook", "rlimits", "seccomp", "non_dumpable"} <= set(layers)


def test_a_teacher_creates_an_exercise_and_a_student_sees_it_without_the_solution(
    api: httpx.Client, student: Account
) -> None:
    teacher = sign_up(api, "teacher")
    created = api.post("/api/v1/exercises", headers=teacher.headers, json=leap_exercise())
    assert created.status_code == 201, created.text
    exercise = created.json()["exercise"]
    assert exercise["solution"] == LEAP_SOLUTION and len(exercise["hints"]) == 3

    seen = api.get(f"/api/v1/exercises/{exercise['id']}", headers=student.headers)
    assert seen.status_code == 200
    shown = seen.json()["exercise"]
    assert "solution" not in shown and "hints" not in shown
    assert shown["hints_total"] == 3 and shown["hints_revealed"] == []
    assert shown["test_code"] == LEAP_TESTS and shown["module_name"] == "leap"

    first = api.post(f"/api/v1/exercises/{exercise['id']}/hints/next", headers=student.headers).json()
    assert first == {"hint": {"level": 1, "text": "Use the modulo operator %."}, "hints_left": 2}
    api.post(f"/api/v1/exercises/{exercise['id']}/hints/next", headers=student.headers)
    third = api.post(f"/api/v1/exercises/{exercise['id']}/hints/next", headers=student.headers).json()
    assert third["hint"]["level"] == 3 and third["hints_left"] == 0
    none_left = api.post(f"/api/v1/exercises/{exercise['id']}/hints/next", headers=student.headers)
    assert none_left.status_code == 409 and none_left.json()["error"]["code"] == "conflict"
    again = api.get(f"/api/v1/exercises/{exercise['id']}", headers=student.headers).json()["exercise"]
    assert [hint["level"] for hint in again["hints_revealed"]] == [1, 2, 3]


def test_an_exercise_whose_solution_fails_its_own_tests_is_refused(api: httpx.Client) -> None:
    teacher = sign_up(api, "teacher")
    wrong = leap_exercise(solution="def leap_year(year):\n    return year % 4 == 0\n")
    refused = api.post("/api/v1/exercises", headers=teacher.headers, json=wrong)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "validation_error"
    assert any("test_year_divisible_by_100" in detail["message"] for detail in error["details"])


def test_only_teachers_create_exercises_and_slugs_are_unique(api: httpx.Client, student: Account) -> None:
    assert api.post("/api/v1/exercises", headers=student.headers, json=leap_exercise()).status_code == 403
    teacher = sign_up(api, "teacher")
    exercise = leap_exercise()
    assert api.post("/api/v1/exercises", headers=teacher.headers, json=exercise).status_code == 201
    assert api.post("/api/v1/exercises", headers=teacher.headers, json=exercise).status_code == 409
    assert api.get(f"/api/v1/exercises/{uuid.uuid4()}", headers=teacher.headers).status_code == 404
    assert api.get("/api/v1/exercises/not-an-id", headers=teacher.headers).status_code == 404


async def test_a_submission_is_graded_test_by_test_and_recorded_as_progress(
    cloud: RunningCloud, api: httpx.Client, student: Account
) -> None:
    teacher = sign_up(api, "teacher")
    exercise = api.post("/api/v1/exercises", headers=teacher.headers, json=leap_exercise()).json()["exercise"]
    submit = f"/api/v1/exercises/{exercise['id']}/submit"

    wrong = api.post(
        submit, headers=student.headers, json={"code": "def leap_year(year):\n    return year % 4 == 0\n"}
    )
    assert wrong.status_code == 200, wrong.text
    graded = wrong.json()
    assert graded["status"] == "failed" and graded["score"] == 75
    assert [test["name"] for test in graded["tests"]] == [
        "LeapTest.test_year_not_divisible_by_4_in_common_year",
        "LeapTest.test_year_divisible_by_100_not_by_400_in_common_year",
        "LeapTest.test_year_divisible_by_400_is_leap_year",
        "test_year_divisible_by_4_not_by_100_is_leap_year",
    ]
    assert [test["status"] for test in graded["tests"]] == ["pass", "fail", "pass", "pass"]
    assert "True is not False" in graded["tests"][1]["message"]
    assert graded["tests"][3]["output"] == "checking 1996\n"
    uuid.UUID(graded["submission_id"])

    right = api.post(submit, headers=student.headers, json={"code": LEAP_SOLUTION}).json()
    assert right["status"] == "passed" and right["score"] == 100

    records = await read_topic(
        cloud.state()["kafka_bootstrap_servers"], "progress.events", expect=1000, within_seconds=3
    )
    mine = [json.loads(record.value) for record in records if record.key == student.id.encode()]
    scores = [event["data"]["score"] for event in mine if event["data"]["kind"] == "exercise_submitted"]
    assert scores == [75, 100]
    assert all(event["data"]["topic"] == "conditionals" for event in mine)


def test_a_hostile_or_hanging_submission_is_an_error_not_an_outage(
    api: httpx.Client, student: Account
) -> None:
    teacher = sign_up(api, "teacher")
    exercise = api.post("/api/v1/exercises", headers=teacher.headers, json=leap_exercise()).json()["exercise"]
    submit = f"/api/v1/exercises/{exercise['id']}/submit"

    hostile = api.post(
        submit, headers=student.headers, json={"code": "import os\nos.system('reboot')"}
    ).json()
    assert hostile["status"] == "error" and hostile["score"] == 0
    assert hostile["message"].startswith("Line 1: importing os is not allowed")
    assert all(test["status"] == "error" for test in hostile["tests"])

    hanging = (
        "def leap_year(year):\n    while year == 2000:\n        pass\n"
        "    return year % 4 == 0 and year % 100 != 0\n"
    )
    stuck = api.post(submit, headers=student.headers, json={"code": hanging}).json()
    assert stuck["status"] == "error" and "5 seconds" in stuck["message"]
    assert [test["status"] for test in stuck["tests"]] == ["pass", "pass", "error", "error"]
    assert (
        api.post("/api/v1/execute", headers=student.headers, json={"code": "print(2)"}).json()["stdout"]
        == "2\n"
    )
