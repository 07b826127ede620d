"""Streamed answers end to end: the local cloud with an LLM (the fake OpenAI-compatible server) shows a
concept explanation on the student's socket while it is written, then sends the checked answer."""

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection

from learnflow.domain.exercise_bank import by_slug
from tests.asyncapi_validation import check_websocket_message
from tests.cloud_process import Account, RunningCloud, running_cloud, sign_up
from tests.e2e.websocket_client import open_socket
from tests.llm.fake_openai import FakeOpenAi, Reply, fake_openai_server

pytestmark = pytest.mark.cloud

EXPLANATION = (
    "Recursion is when a function calls itself to solve a smaller copy of the same problem. Every"
    " recursive function needs a base case, an input it answers without calling itself, or it never"
    " stops. Each call waits for the call it made, so the answers come back in reverse order."
)
ANSWER = {
    "explanation": EXPLANATION,
    "examples": [
        {
            "code": (
                "def countdown(n):\n    if n == 0:\n        return\n    print(n)\n"
                "    countdown(n - 1)\n\ncountdown(3)\n"
            ),
            "output": "3\n2\n1\n",
        }
    ],
    "diagram": None,
}
QUESTION = "What is recursion? Explain recursion in Python"


@pytest.fixture(scope="module")
def llm() -> Iterator[FakeOpenAi]:
    with fake_openai_server() as server:
        yield server


@pytest.fixture(scope="module")
def llm_cloud(llm: FakeOpenAi, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCloud]:
    data_dir = tmp_path_factory.mktemp("learnflow-streaming")
    with running_cloud(
        data_dir, OPENAI_API_KEY="sk-test-not-a-real-key", OPENAI_BASE_URL=llm.base_url
    ) as started:
        yield started


@pytest.fixture(scope="module")
def llm_api(llm_cloud: RunningCloud) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=llm_cloud.rest_url, timeout=30) as client:
        yield client


@pytest.fixture
def fake_llm(llm: FakeOpenAi) -> FakeOpenAi:
    llm.reset(default=Reply.answer(ANSWER, chunk_chars=9, chunk_delay_seconds=0.01))
    return llm


async def messages_until_response(socket: ClientConnection, timeout: float = 20.0) -> list[dict[str, Any]]:
    """Every message the socket receives, each held to docs/asyncapi.yaml, up to the `response`."""
    received: list[dict[str, Any]] = []
    async with asyncio.timeout(timeout):
        while not received or received[-1]["type"] != "response":
            message = json.loads(await socket.recv())
            check_websocket_message(message)
            received.append(message)
    return received


def ask(api: httpx.Client, student: Account, question: str = QUESTION) -> str:
    """Asks a concepts question; each test asks its own, since an identical prompt within
    LLM_CACHE_SECONDS is answered from the prompt cache without asking the LLM."""
    accepted = api.post("/api/v1/query", headers=student.headers, json={"question": question})
    assert accepted.status_code == 202, accepted.text
    assert accepted.json()["intent"] == "concepts"
    request_id: str = accepted.json()["request_id"]
    return request_id


def deltas_of(messages: list[dict[str, Any]], request_id: str) -> list[dict[str, Any]]:
    return [m for m in messages if m["type"] == "response.delta" and m["request_id"] == request_id]


async def test_the_socket_shows_the_explanation_as_it_is_written_then_the_checked_answer(
    llm_cloud: RunningCloud, llm_api: httpx.Client, fake_llm: FakeOpenAi
) -> None:
    student = sign_up(llm_api)
    async with await open_socket(llm_cloud.websocket_url, student.access_token) as socket:
        request_id = ask(llm_api, student)
        messages = await messages_until_response(socket)

    deltas = deltas_of(messages, request_id)
    assert len(deltas) >= 2, "the explanation came in one piece: nothing was streamed"
    assert [delta["seq"] for delta in deltas] == list(range(len(deltas)))
    final = messages[-1]
    assert final["request_id"] == request_id and final["data"]["source"] == "llm"
    assert "".join(delta["delta"] for delta in deltas) == final["data"]["explanation"] == EXPLANATION
    assert final["data"]["examples"][0]["output"] == "3\n2\n1\n"
    assert not [m for m in messages if m["type"] == "response.retracted"]


async def test_a_stream_cut_mid_answer_is_retracted_then_the_offline_answer_arrives(
    llm_cloud: RunningCloud, llm_api: httpx.Client, fake_llm: FakeOpenAi
) -> None:
    fake_llm.reset(default=Reply.answer(ANSWER, chunk_chars=9, chunk_delay_seconds=0.01, cut_after_chunks=12))
    student = sign_up(llm_api)
    async with await open_socket(llm_cloud.websocket_url, student.access_token) as socket:
        request_id = ask(llm_api, student, "Explain recursion to me, please, with an example")
        messages = await messages_until_response(socket)

    shown = "".join(delta["delta"] for delta in deltas_of(messages, request_id))
    assert shown and EXPLANATION.startswith(shown)
    retracted = [m for m in messages if m["type"] == "response.retracted"]
    assert retracted == [{"type": "response.retracted", "request_id": request_id, "reason": "stream_cut"}]
    assert messages.index(retracted[0]) < len(messages) - 1  # retracted before the answer
    final = messages[-1]
    assert final["request_id"] == request_id and final["data"]["source"] == "offline"
    assert final["data"]["concept"] == "Recursion" and final["data"]["explanation"] != shown


def test_a_student_who_connects_after_the_answer_reads_it_from_the_request(
    llm_api: httpx.Client, fake_llm: FakeOpenAi
) -> None:
    student = sign_up(llm_api)
    request_id = ask(llm_api, student)

    deadline = time.monotonic() + 20
    status: dict[str, Any] = {}
    while time.monotonic() < deadline:
        status = llm_api.get(f"/api/v1/requests/{request_id}", headers=student.headers).json()
        if status["status"] == "done":
            break
        time.sleep(0.1)
    assert status["status"] == "done", status
    assert status["response"]["source"] == "llm" and status["response"]["explanation"] == EXPLANATION


async def test_an_answer_holding_the_solution_of_the_students_exercise_never_reaches_them(
    llm_cloud: RunningCloud, llm_api: httpx.Client, fake_llm: FakeOpenAi
) -> None:
    student = sign_up(llm_api)
    given = llm_api.post(
        "/api/v1/exercises/generate",
        headers=student.headers,
        json={"topic": "recursion", "difficulty": "easy"},
    )
    assert given.status_code == 201, given.text
    exercise = given.json()["exercise"]
    draft = by_slug(exercise["slug"].removeprefix("bank-"))
    assert draft is not None, exercise["slug"]
    leaking = ANSWER | {
        "explanation": "A recursive function calls itself until it reaches its base case, like `this`.",
        "examples": [{"code": draft.solution, "output": ""}],
    }
    fake_llm.reset(default=Reply.answer(leaking, chunk_chars=9, chunk_delay_seconds=0.01))

    async with await open_socket(llm_cloud.websocket_url, student.access_token) as socket:
        request_id = ask(llm_api, student, "How does recursion work? Explain recursion with an example")
        messages = await messages_until_response(socket)

    shown = "".join(delta["delta"] for delta in deltas_of(messages, request_id))
    assert "`" not in shown and "def " not in shown  # code waits for the checked answer
    final = messages[-1]["data"]
    assert final["source"] == "offline"
    assert all(example["code"] != draft.solution for example in final["examples"])
    assert draft.solution not in json.dumps(final)


async def test_a_question_no_curriculum_page_is_about_gets_the_llms_checked_answer(
    llm_cloud: RunningCloud, llm_api: httpx.Client, fake_llm: FakeOpenAi
) -> None:
    walrus = {
        "explanation": (
            "The walrus operator `:=` assigns a value inside an expression: you can test a value and"
            " keep it in one step, which shortens loops that read until a value is empty."
        ),
        "examples": [{"code": "if (n := len('walrus')) > 3:\n    print(n)\n", "output": "6\n"}],
        "diagram": None,
    }
    fake_llm.reset(default=Reply.answer(walrus, chunk_chars=9, chunk_delay_seconds=0.01))
    student = sign_up(llm_api)
    async with await open_socket(llm_cloud.websocket_url, student.access_token) as socket:
        request_id = ask(llm_api, student, "Explain the walrus operator in Python")
        messages = await messages_until_response(socket)

    final = messages[-1]["data"]
    assert final["concept"] is None and final["source"] == "llm"
    assert "".join(d["delta"] for d in deltas_of(messages, request_id)) == final["explanation"]
    assert final["examples"] == walrus["examples"] and final["suggestions"]
    stored = llm_api.get(f"/api/v1/requests/{request_id}", headers=student.headers).json()
    assert stored["response"] == final
