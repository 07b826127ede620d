"""A student asks a question and the answer arrives over the WebSocket: the whole path, for real."""

import asyncio
import json
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from tests.cloud_process import Account, RunningCloud, sign_up
from tests.e2e.websocket_client import next_message, open_socket

pytestmark = pytest.mark.cloud


async def test_a_query_is_answered_over_the_websocket_and_marked_done(
    cloud: RunningCloud, api: httpx.Client, student: Account
) -> None:
    async with await open_socket(cloud.websocket_url, student.access_token) as socket:
        accepted = api.post(
            "/api/v1/query",
            headers=student.headers | {"X-Correlation-Id": "trace-me-123"},
            json={"question": "What is a list comprehension in Python?"},
        )
        assert accepted.status_code == 202, accepted.text
        body = accepted.json()
        assert body["status"] == "queued" and body["intent"] == "concepts"
        assert 0 < body["confidence"] <= 1
        assert accepted.headers["x-correlation-id"] == "trace-me-123"

        answer = await next_message(socket, "response")

    assert answer["request_id"] == body["request_id"]
    assert answer["intent"] == "concepts"
    assert "comprehension" in answer["data"]["concept"].lower()
    assert answer["data"]["explanation"] and answer["data"]["examples"]
    status = api.get(f"/api/v1/requests/{body['request_id']}", headers=student.headers)
    assert status.status_code == 200
    assert status.json()["status"] == "done"
    assert status.json()["response"]["concept"] == answer["data"]["concept"]


async def test_the_correlation_id_follows_the_request_into_every_function_log(
    cloud: RunningCloud, api: httpx.Client, student: Account
) -> None:
    async with await open_socket(cloud.websocket_url, student.access_token) as socket:
        api.post(
            "/api/v1/query",
            headers=student.headers | {"X-Correlation-Id": "follow-me-42"},
            json={"question": "explain python generators please"},
        )
        await next_message(socket, "response")
    for function in ("tutor_api", "concepts_agent", "response_relay"):
        tagged = await _log_lines_with(cloud.data_dir / "logs" / f"{function}.log", "follow-me-42")
        assert tagged, f"{function} logged nothing with the correlation id"
        assert all(entry["correlation_id"] == "follow-me-42" for entry in tagged)


async def _log_lines_with(log: Path, text: str) -> list[dict[str, object]]:
    """The JSON log lines mentioning `text`; a function may log just after the client got its answer."""
    for _ in range(50):
        tagged = [json.loads(line) for line in log.read_text().splitlines() if text in line]
        if tagged:
            return tagged
        await asyncio.sleep(0.1)
    return []


async def test_the_websocket_query_action_is_acknowledged_then_answered(
    cloud: RunningCloud, student: Account
) -> None:
    async with await open_socket(cloud.websocket_url, student.access_token) as socket:
        await socket.send(json.dumps({"action": "query", "question": "How do decorators work?"}))
        ack = await next_message(socket, "ack")
        answer = await next_message(socket, "response")
    assert answer["request_id"] == ack["request_id"]
    assert "decorator" in answer["data"]["concept"].lower()


async def test_every_device_of_the_student_receives_the_answer(
    cloud: RunningCloud, api: httpx.Client, student: Account
) -> None:
    async with (
        await open_socket(cloud.websocket_url, student.access_token) as laptop,
        await open_socket(cloud.websocket_url, student.access_token) as phone,
    ):
        accepted = api.post("/api/v1/query", headers=student.headers, json={"question": "explain recursion"})
        request_id = accepted.json()["request_id"]
        on_laptop = await next_message(laptop, "response")
        on_phone = await next_message(phone, "response")
    assert on_laptop["request_id"] == on_phone["request_id"] == request_id


async def test_another_student_never_receives_or_reads_the_answer(
    cloud: RunningCloud, api: httpx.Client, student: Account
) -> None:
    other = sign_up(api)
    async with await open_socket(cloud.websocket_url, other.access_token) as bystander:
        accepted = api.post("/api/v1/query", headers=student.headers, json={"question": "what is a tuple?"})
        await bystander.send(json.dumps({"action": "ping"}))
        assert (await next_message(bystander, "pong"))["type"] == "pong"
        with pytest.raises(TimeoutError):
            await next_message(bystander, "response", timeout=2)
    peek = api.get(f"/api/v1/requests/{accepted.json()['request_id']}", headers=other.headers)
    assert peek.status_code == 404
    assert peek.json()["error"]["code"] == "not_found"


async def test_ping_is_answered_with_pong_and_nonsense_with_an_error(
    cloud: RunningCloud, student: Account
) -> None:
    async with await open_socket(cloud.websocket_url, student.access_token) as socket:
        await socket.send(json.dumps({"action": "ping"}))
        assert await next_message(socket, "pong") == {"type": "pong"}
        await socket.send("this is not json")
        error = await next_message(socket, "error")
        assert error["error"]["code"] == "malformed_json"
        await socket.send(json.dumps({"action": "dance"}))
        assert (await next_message(socket, "error"))["error"]["code"] == "unknown_action"
        await socket.send(json.dumps({"action": "query", "question": ""}))
        invalid = await next_message(socket, "error")
        assert invalid["error"]["code"] == "validation_error"
        assert invalid["error"]["details"][0]["field"] == "question"


@pytest.mark.parametrize("token", ["", "not-a-jwt", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."])
async def test_the_websocket_refuses_a_missing_or_bad_token_at_the_handshake(
    cloud: RunningCloud, token: str
) -> None:
    with pytest.raises(InvalidStatus) as refused:
        await open_socket(cloud.websocket_url, token)
    assert refused.value.response.status_code == 401


async def test_a_websocket_question_holding_nul_is_refused_and_not_asked(
    cloud: RunningCloud, student: Account
) -> None:
    async with await open_socket(cloud.websocket_url, student.access_token) as socket:
        await socket.send(json.dumps({"action": "query", "question": "why?", "code": "print(1)\x00"}))
        refused = await next_message(socket, "error")
        await socket.send(json.dumps({"action": "ping"}))
        await next_message(socket, "pong")
        with pytest.raises(TimeoutError):
            await next_message(socket, "ack", timeout=0.5)
    assert refused["error"] == {
        "code": "validation_error",
        "message": "Some fields are missing or invalid; see details.",
        "details": [{"field": "code", "message": "must not contain the NUL character (U+0000)"}],
    }
