"""Progress, quizzes and notifications through the running local cloud: REST, Kafka, WebSocket.

Progress events from other services (graded exercises, code reviews) and struggle alerts are
produced to their topics here as those services would publish them.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from learnflow.domain.quizzes import quiz_by_id
from learnflow.events.schemas import EventData, ProgressRecorded, StruggleDetected, new_event
from learnflow.events.topics import Topic
from tests.cloud_process import Account, RunningCloud, create_admin, sign_up
from tests.e2e.websocket_client import next_message, open_socket

pytestmark = pytest.mark.cloud


@dataclass(frozen=True)
class Classroom:
    teacher: Account
    student: Account


@pytest.fixture
def classroom(api: httpx.Client) -> Classroom:
    teacher, student = sign_up(api, "teacher"), sign_up(api, "student")
    opened = api.post("/api/v1/classes", headers=teacher.headers, json={"name": "Python 101"})
    assert opened.status_code == 201, opened.text
    joined = api.post(
        "/api/v1/classes/join", headers=student.headers, json={"join_code": opened.json()["join_code"]}
    )
    assert joined.status_code == 200, joined.text
    return Classroom(teacher, student)


@pytest.fixture(scope="module")
def admin(cloud: RunningCloud, api: httpx.Client) -> Account:
    return create_admin(cloud, api)


async def publish(cloud: RunningCloud, topic: Topic, data: EventData, user_id: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=cloud.state()["kafka_bootstrap_servers"])
    await producer.start()
    try:
        event = new_event(topic, data, user_id=user_id, correlation_id=f"e2e-{uuid.uuid4().hex[:8]}")
        await producer.send_and_wait(topic.value, event.to_json_bytes(), key=user_id.encode())
    finally:
        await producer.stop()


def control_flow_quiz(api: httpx.Client, account: Account) -> dict[str, Any]:
    listed = api.get("/api/v1/quizzes", params={"topic": "for-loops"}, headers=account.headers)
    assert listed.status_code == 200, listed.text
    (quiz,) = listed.json()["items"]
    return dict(quiz)


def answers(quiz: dict[str, Any], right: int) -> list[Any]:
    """The first `right` answers right, the others unanswered."""
    expected = [question.answer for question in quiz_by_id(quiz["id"]).questions]
    return [answer if index < right else None for index, answer in enumerate(expected)]


def assert_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


# --- quizzes ---------------------------------------------------------------------------------------


def test_quizzes_are_listed_without_their_answers(api: httpx.Client, student: Account) -> None:
    everything = api.get("/api/v1/quizzes", headers=student.headers)
    assert everything.status_code == 200
    assert len(everything.json()["items"]) >= 9
    assert '"answer"' not in everything.text and '"explanation"' not in everything.text
    quiz = control_flow_quiz(api, student)
    assert quiz["topic"] == "control-flow"
    assert {question["type"] for question in quiz["questions"]} == {"multiple_choice", "predict_output"}
    assert api.get("/api/v1/quizzes", params={"topic": "knitting"}, headers=student.headers).json() == {
        "items": []
    }


async def test_a_quiz_attempt_is_scored_by_the_server_and_the_progress_arrives_live(
    cloud: RunningCloud, api: httpx.Client, student: Account
) -> None:
    quiz = control_flow_quiz(api, student)
    async with await open_socket(cloud.websocket_url, student.access_token) as socket:
        attempt = api.post(
            f"/api/v1/quizzes/{quiz['id']}/attempts",
            headers=student.headers,
            json={"answers": answers(quiz, 3)},
        )
        assert attempt.status_code == 201, attempt.text
        body = attempt.json()
        assert body["score"] == 50  # 3 of 6
        uuid.UUID(body["attempt_id"])
        assert [result["correct"] for result in body["results"]] == [True] * 3 + [False] * 3
        assert all(result["expected"] is not None for result in body["results"])

        pushed = await next_message(socket, "progress")

    data = pushed["data"]
    assert data["user_id"] == student.id
    (topic,) = data["topics"]
    assert (topic["topic"], topic["components"]["quizzes"]) == ("control-flow", 50.0)
    assert data["history"][0]["kind"] == "quiz_attempted"
    read = api.get(f"/api/v1/progress/{student.id}", headers=student.headers)
    assert read.status_code == 200
    progress = read.json()
    # 30% x 50 + 10% x 1/30 active days (3.3) = 15.33 -> 15, red
    assert (progress["mastery"], progress["level"]) == (15, "red")
    assert progress["components"] == {
        "exercises": 0.0,
        "quizzes": 50.0,
        "code_quality": 0.0,
        "consistency": 3.3,
    }
    assert (progress["streak_days"], progress["active_days_last_30"]) == (1, 1)
    assert "No exercise submitted yet" in progress["explanation"]["components"]["exercises"]
    assert progress["explanation"]["next_level"] == {"level": "yellow", "points_needed": 26}


def test_only_students_attempt_quizzes_and_answers_are_checked(
    api: httpx.Client, classroom: Classroom, admin: Account
) -> None:
    quiz = control_flow_quiz(api, classroom.student)
    url = f"/api/v1/quizzes/{quiz['id']}/attempts"
    for not_a_student in (classroom.teacher, admin):
        assert_error(
            api.post(url, headers=not_a_student.headers, json={"answers": answers(quiz, 6)}), 403, "forbidden"
        )
    student = classroom.student.headers
    assert_error(
        api.post(f"/api/v1/quizzes/{uuid.uuid4()}/attempts", headers=student, json={"answers": []}),
        404,
        "not_found",
    )
    assert_error(
        api.post("/api/v1/quizzes/not-an-id/attempts", headers=student, json={"answers": []}),
        404,
        "not_found",
    )
    too_few = api.post(url, headers=student, json={"answers": [0]})
    assert_error(too_few, 422, "validation_error")
    assert too_few.json()["error"]["details"][0]["field"] == "answers"
    assert_error(
        api.post(url, headers=student, json={"answers": [0] * 6, "score": 100}), 422, "validation_error"
    )
    assert_error(api.post(url, json={"answers": [0] * 6}), 401, "unauthorized")
    assert_error(api.get("/api/v1/quizzes"), 401, "unauthorized")


# --- progress --------------------------------------------------------------------------------------


async def test_events_from_other_services_lift_the_level_and_notify_the_student(
    cloud: RunningCloud, api: httpx.Client, student: Account
) -> None:
    now = datetime.now(UTC)
    async with await open_socket(cloud.websocket_url, student.access_token) as socket:
        for kind, score in (("exercise_submitted", 100), ("quiz_attempted", 100), ("code_reviewed", 100)):
            recorded = ProgressRecorded(
                user_id=student.id, kind=kind, topic="lists", score=score, occurred_at=now
            )
            await publish(cloud, Topic.PROGRESS_EVENTS, recorded, student.id)
        level_ups = [await next_message(socket, "notification", timeout=20) for _ in range(3)]

    # exercise 100: 40 + 10% x 3.3 = 40.33 -> 40, red; quiz 100: 70.33 -> 70, yellow (the topic
    # and overall); code review 100: 90.33 -> 90, green overall (a topic's level is announced
    # with the next exercise or quiz in it)
    assert [
        (n["data"]["kind"], n["data"]["data"]["scope"], n["data"]["data"]["level"]) for n in level_ups
    ] == [
        ("level_up", "topic", "yellow"),
        ("level_up", "overall", "yellow"),
        ("level_up", "overall", "green"),
    ]
    progress = api.get(f"/api/v1/progress/{student.id}", headers=student.headers).json()
    assert (progress["mastery"], progress["level"]) == (90, "green")
    assert progress["topics"][0]["topic"] == "data-structures"
    listed = api.get(f"/api/v1/notifications/{student.id}", headers=student.headers).json()
    assert [item["kind"] for item in listed["items"]] == ["level_up"] * 3
    assert all(item["read"] is False for item in listed["items"])


def test_progress_is_for_the_student_their_teachers_and_admins(
    api: httpx.Client, classroom: Classroom, admin: Account
) -> None:
    url = f"/api/v1/progress/{classroom.student.id}"
    for allowed in (classroom.student, classroom.teacher, admin):
        read = api.get(url, headers=allowed.headers)
        assert read.status_code == 200, read.text
        assert read.json()["user_id"] == classroom.student.id
    other_student, other_teacher = sign_up(api, "student"), sign_up(api, "teacher")
    for outsider in (other_student, other_teacher):
        assert_error(api.get(url, headers=outsider.headers), 404, "not_found")
    # a missing user reads exactly like someone else's
    assert_error(api.get(f"/api/v1/progress/{uuid.uuid4()}", headers=admin.headers), 404, "not_found")
    assert_error(api.get("/api/v1/progress/not-an-id", headers=admin.headers), 404, "not_found")
    assert_error(api.get(url), 401, "unauthorized")


# --- notifications ---------------------------------------------------------------------------------


async def test_a_teacher_writes_to_a_student_who_gets_it_live_on_every_device(
    cloud: RunningCloud, api: httpx.Client, classroom: Classroom
) -> None:
    student = classroom.student
    async with (
        await open_socket(cloud.websocket_url, student.access_token) as laptop,
        await open_socket(cloud.websocket_url, student.access_token) as phone,
    ):
        sent = api.post(
            "/api/v1/notifications/send",
            headers=classroom.teacher.headers,
            json={"user_id": student.id, "kind": "reminder", "message": "Quiz on loops tomorrow!"},
        )
        assert sent.status_code == 201, sent.text
        notification = sent.json()["notification"]
        on_laptop, on_phone = (
            await next_message(laptop, "notification"),
            await next_message(phone, "notification"),
        )

    assert on_laptop["data"] == on_phone["data"] == notification
    assert notification["kind"] == "reminder" and notification["read"] is False
    assert notification["data"]["from"] == {
        "id": classroom.teacher.id,
        "display_name": "Grace",
        "role": "teacher",
    }
    listed = api.get(f"/api/v1/notifications/{student.id}", headers=student.headers).json()
    assert listed["items"][0] == notification


async def test_a_teacher_sees_a_student_join_their_class_live_and_only_once(
    cloud: RunningCloud, api: httpx.Client
) -> None:
    teacher, student = sign_up(api, "teacher"), sign_up(api, "student")
    opened = api.post("/api/v1/classes", headers=teacher.headers, json={"name": "Python 102"}).json()
    join = {"join_code": opened["join_code"].lower()}
    async with await open_socket(cloud.websocket_url, teacher.access_token) as socket:
        assert api.post("/api/v1/classes/join", headers=student.headers, json=join).status_code == 200
        arrived = await next_message(socket, "notification")
        assert api.post("/api/v1/classes/join", headers=student.headers, json=join).status_code == 200

    assert arrived["data"]["kind"] == "student_joined"
    assert arrived["data"]["data"] == {
        "class_id": opened["id"],
        "student_id": student.id,
        "student_name": "Grace",
    }
    assert arrived["data"]["message"] == "Grace joined Python 102."
    listed = api.get(f"/api/v1/notifications/{teacher.id}", headers=teacher.headers).json()
    assert [item["kind"] for item in listed["items"]] == ["student_joined"]  # joining again: no second one


def test_who_may_send(api: httpx.Client, classroom: Classroom, admin: Account) -> None:
    body = {"user_id": classroom.student.id, "kind": "note", "message": "hello"}
    assert_error(
        api.post("/api/v1/notifications/send", headers=classroom.student.headers, json=body), 403, "forbidden"
    )
    outsider = sign_up(api, "teacher")
    assert_error(
        api.post("/api/v1/notifications/send", headers=outsider.headers, json=body), 404, "not_found"
    )
    someone = sign_up(api, "student")
    not_theirs = body | {"user_id": someone.id}
    assert_error(
        api.post("/api/v1/notifications/send", headers=classroom.teacher.headers, json=not_theirs),
        404,
        "not_found",
    )
    assert api.post("/api/v1/notifications/send", headers=admin.headers, json=not_theirs).status_code == 201
    reserved = body | {"kind": "level_up"}
    assert_error(
        api.post("/api/v1/notifications/send", headers=classroom.teacher.headers, json=reserved),
        422,
        "validation_error",
    )
    extra = body | {"read": True}
    assert_error(
        api.post("/api/v1/notifications/send", headers=classroom.teacher.headers, json=extra),
        422,
        "validation_error",
    )
    assert_error(api.post("/api/v1/notifications/send", json=body), 401, "unauthorized")


def test_notifications_page_with_a_cursor_filter_unread_and_are_marked_read_by_their_recipient(
    api: httpx.Client, classroom: Classroom, admin: Account
) -> None:
    student = classroom.student
    for index in range(5):
        sent = api.post(
            "/api/v1/notifications/send",
            headers=classroom.teacher.headers,
            json={"user_id": student.id, "kind": "note", "message": f"note {index}"},
        )
        assert sent.status_code == 201
    url = f"/api/v1/notifications/{student.id}"
    first = api.get(url, params={"limit": 2}, headers=student.headers).json()
    second = api.get(url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=student.headers).json()
    third = api.get(url, params={"limit": 2, "cursor": second["next_cursor"]}, headers=student.headers).json()
    messages = [item["message"] for page in (first, second, third) for item in page["items"]]
    assert messages == ["note 4", "note 3", "note 2", "note 1", "note 0"]
    assert third["next_cursor"] is None

    newest = first["items"][0]["id"]
    for not_the_recipient in (classroom.teacher, admin, sign_up(api, "student")):
        assert_error(
            api.post(f"/api/v1/notifications/{newest}/read", headers=not_the_recipient.headers),
            404,
            "not_found",
        )
    marked = api.post(f"/api/v1/notifications/{newest}/read", headers=student.headers)
    assert marked.status_code == 204
    assert api.post(f"/api/v1/notifications/{newest}/read", headers=student.headers).status_code == 204
    assert_error(
        api.post(f"/api/v1/notifications/{uuid.uuid4()}/read", headers=student.headers), 404, "not_found"
    )

    unread = api.get(url, params={"unread": "true"}, headers=student.headers).json()
    assert [item["message"] for item in unread["items"]] == ["note 3", "note 2", "note 1", "note 0"]
    assert api.get(url, headers=admin.headers).status_code == 200
    for outsider in (classroom.teacher, sign_up(api, "student")):
        assert_error(api.get(url, headers=outsider.headers), 404, "not_found")
    assert_error(api.get(url, params={"cursor": "garbage"}, headers=student.headers), 422, "validation_error")
    assert_error(api.get(url, params={"limit": 0}, headers=student.headers), 422, "validation_error")
    assert_error(api.get(url), 401, "unauthorized")


async def test_a_struggling_student_and_their_teacher_are_alerted_live(
    cloud: RunningCloud, api: httpx.Client, classroom: Classroom
) -> None:
    student, teacher = classroom.student, classroom.teacher
    alert = StruggleDetected(
        user_id=student.id,
        reason="the same error keeps coming back",
        error_type="TypeError",
        occurrences=4,
        window_minutes=10,
    )
    async with (
        await open_socket(cloud.websocket_url, student.access_token) as student_socket,
        await open_socket(cloud.websocket_url, teacher.access_token) as teacher_socket,
    ):
        await publish(cloud, Topic.STRUGGLE_DETECTED, alert, student.id)
        for_student = await next_message(student_socket, "notification", timeout=20)
        for_teacher = await next_message(teacher_socket, "notification", timeout=20)

    assert for_student["data"]["kind"] == "struggle_alert"
    assert "TypeError 4 times in 10 minutes" in for_student["data"]["message"]
    assert for_teacher["data"]["kind"] == "student_struggling"
    assert for_teacher["data"]["data"]["student_id"] == student.id
    teachers_list = api.get(f"/api/v1/notifications/{teacher.id}", headers=teacher.headers).json()
    assert teachers_list["items"][0]["id"] == for_teacher["data"]["id"]
