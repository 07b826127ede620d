"""The tutor engines end to end: exercises generated for a student, and every intent answered on the
WebSocket (exercise and progress by the learning agent), with the offline engine."""

import json

import httpx
import pytest

from learnflow.domain.exercise_bank import by_slug
from tests.cloud_process import Account, RunningCloud, sign_up
from tests.e2e.websocket_client import next_message, open_socket
from tests.kafka_reading import read_topic

pytestmark = pytest.mark.cloud


def generate(api: httpx.Client, student: Account, **body: str) -> httpx.Response:
    return api.post("/api/v1/exercises/generate", headers=student.headers, json=body)


def test_a_new_student_gets_an_easy_exercise_without_its_solution(
    api: httpx.Client, student: Account
) -> None:
    created = generate(api, student, topic="list comps")

    assert created.status_code == 201, created.text
    exercise = created.json()["exercise"]
    assert (exercise["topic"], exercise["difficulty"], exercise["source"]) == (
        "comprehensions",
        "easy",
        "offline",
    )
    assert exercise["hints_total"] == 3 and exercise["hints_revealed"] == []
    assert "solution" not in exercise and "hints" not in exercise
    assert f"from {exercise['module_name']} import" in exercise["test_code"]
    stored = api.get(f"/api/v1/exercises/{exercise['id']}", headers=student.headers)
    assert stored.status_code == 200 and stored.json()["exercise"]["title"] == exercise["title"]


async def test_a_generated_exercise_is_announced_once_on_exercise_generated(
    cloud: RunningCloud, api: httpx.Client, student: Account
) -> None:
    exercise = generate(api, student, topic="recursion").json()["exercise"]

    records = await read_topic(
        cloud.state()["kafka_bootstrap_servers"], "exercise.generated", expect=1000, within_seconds=3
    )
    mine = [json.loads(record.value) for record in records if record.key == student.id.encode()]
    assert len(mine) == 1
    (event,) = mine
    assert event["type"] == "com.learnflow.exercise.generated" and event["subject"] == student.id
    assert event["data"]["exercise_id"] == exercise["id"]
    assert (event["data"]["topic"], event["data"]["difficulty"]) == ("recursion", exercise["difficulty"])


def test_an_asked_difficulty_wins_over_mastery(api: httpx.Client, student: Account) -> None:
    exercise = generate(api, student, topic="recursion", difficulty="hard").json()["exercise"]
    assert (exercise["topic"], exercise["difficulty"]) == ("recursion", "hard")


def test_a_passed_exercise_is_not_handed_out_again(api: httpx.Client, student: Account) -> None:
    first = generate(api, student, topic="strings", difficulty="easy").json()["exercise"]
    solution = by_slug(first["slug"].removeprefix("bank-"))
    assert solution is not None
    submitted = api.post(
        f"/api/v1/exercises/{first['id']}/submit", headers=student.headers, json={"code": solution.solution}
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "passed", submitted.text

    second = generate(api, student, topic="strings", difficulty="easy").json()["exercise"]
    assert second["id"] != first["id"] and second["topic"] == "strings"


def test_unknown_topics_bad_difficulties_and_teachers_are_refused(
    api: httpx.Client, student: Account
) -> None:
    unknown = generate(api, student, topic="quantum physics")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
    suggested = generate(api, student, topic="dictionry")
    assert {"topic": "Dictionaries"} in suggested.json()["error"]["details"]
    invalid = generate(api, student, topic="lists", difficulty="extreme")
    assert invalid.status_code == 422
    teacher = sign_up(api, "teacher")
    assert generate(api, teacher, topic="lists").status_code == 403


async def test_the_exercise_intent_is_answered_with_a_new_exercise_on_the_websocket(
    cloud: RunningCloud, api: httpx.Client, student: Account
) -> None:
    async with await open_socket(cloud.websocket_url, student.access_token) as socket:
        accepted = api.post(
            "/api/v1/query", headers=student.headers, json={"question": "give me a hard exercise on loops"}
        )
        assert accepted.json()["intent"] == "exercise"
        answer = await next_message(socket, "response")
    assert answer["request_id"] == accepted.json()["request_id"] and answer["intent"] == "exercise"
    exercise = answer["data"]["exercise"]
    assert exercise["topic"] == "for-loops" and "solution" not in exercise
    assert answer["data"]["source"] == "offline" and exercise["title"] in answer["data"]["message"]
    status = api.get(f"/api/v1/requests/{answer['request_id']}", headers=student.headers).json()
    assert status["status"] == "done" and status["response"]["exercise"]["id"] == exercise["id"]


async def test_the_progress_intent_is_answered_with_a_summary_and_what_to_study_next(
    cloud: RunningCloud, api: httpx.Client
) -> None:
    newcomer = sign_up(api)
    async with await open_socket(cloud.websocket_url, newcomer.access_token) as socket:
        await socket.send('{"action": "query", "question": "how am I doing? show my progress"}')
        answer = await next_message(socket, "response")
    assert answer["intent"] == "progress"
    summary = answer["data"]
    assert summary["source"] == "offline" and summary["mastery"] == 0 and summary["level"] == "red"
    assert "just starting" in summary["summary"]
    assert [step["slug"] for step in summary["study_next"]] == ["variables", "numbers", "strings"]


def test_concepts_are_matched_forgivingly_and_come_with_a_mermaid_diagram(
    api: httpx.Client, student: Account
) -> None:
    explained = api.post(
        "/api/v1/concepts/explain", headers=student.headers, json={"concept": "decos", "mastery_level": 80}
    )
    assert explained.status_code == 200, explained.text
    body = explained.json()
    assert (body["concept"], body["level"], body["source"]) == ("Decorators", "advanced", "offline")
    assert body["diagram"].startswith("flowchart")
