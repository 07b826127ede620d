"""Steady student traffic for the fault tests, and what it leaves to check afterwards.

Each student keeps a WebSocket open and, in a loop bounded in count and time, asks a question and
attempts a quiz. Only loopback addresses are used.
"""

import asyncio
import contextlib
import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

from learnflow.domain.quizzes import quiz_by_id
from tests.cloud_process import Account, RunningCloud, sign_up

STUDENTS = int(os.environ.get("FAULT_STUDENTS", "3"))
TRAFFIC_SECONDS = float(os.environ.get("FAULT_SECONDS", "8"))
MAX_ROUNDS = 200  # per student, whatever the time allows
QUESTIONS = ("What is a list comprehension?", "How do dictionaries work?", "What does a for loop do?")


@dataclass
class Outcomes:
    """What the API accepted, what it refused, and which answers arrived on the sockets."""

    accepted_requests: set[str] = field(default_factory=set)
    accepted_attempts: set[str] = field(default_factory=set)
    answered_on_socket: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)


def students(cloud: RunningCloud, count: int = STUDENTS) -> list[Account]:
    with httpx.Client(base_url=cloud.rest_url, timeout=30) as api:
        return [_signed_up(api) for _ in range(count)]


def _signed_up(api: httpx.Client) -> Account:
    """A new student, signing up as a client does after an outage: again after a 503, 30 times at most."""
    for _ in range(30):
        try:
            return sign_up(api)
        except AssertionError as refused:
            if "service_unavailable" not in str(refused):
                raise
            time.sleep(1)
    raise AssertionError("sign-up still answered 503 after 30 s")


def quiz_answers(api: httpx.Client, student: Account) -> tuple[str, list[Any]]:
    listed = api.get("/api/v1/quizzes", params={"topic": "for-loops"}, headers=student.headers)
    assert listed.status_code == 200, listed.text
    quiz = listed.json()["items"][0]
    return quiz["id"], [question.answer for question in quiz_by_id(quiz["id"]).questions]


async def _listen(socket: ClientConnection, outcomes: Outcomes) -> None:
    with contextlib.suppress(WebSocketException):
        async for raw in socket:
            message = json.loads(raw)
            if message.get("type") == "response" and message.get("request_id"):
                outcomes.answered_on_socket[message["request_id"]] += 1


async def _student(cloud: RunningCloud, student: Account, outcomes: Outcomes, deadline: float) -> None:
    with httpx.Client(base_url=cloud.rest_url, timeout=10) as sync_api:
        quiz_id, answers = quiz_answers(sync_api, student)
    socket: ClientConnection | None = None
    listener: asyncio.Task[None] | None = None
    async with httpx.AsyncClient(base_url=cloud.rest_url, timeout=10) as api:
        for round_number in range(MAX_ROUNDS):
            if time.monotonic() > deadline:
                break
            if socket is None or listener is None or listener.done():
                with contextlib.suppress(OSError, WebSocketException, TimeoutError):
                    socket = await connect(
                        f"{cloud.websocket_url}/?token={student.access_token}", open_timeout=5
                    )
                    listener = asyncio.create_task(_listen(socket, outcomes))
            question = QUESTIONS[round_number % len(QUESTIONS)]
            await _call(api, "/api/v1/query", student, {"question": question}, outcomes, "request_id")
            attempt = {"answers": answers}
            await _call(api, f"/api/v1/quizzes/{quiz_id}/attempts", student, attempt, outcomes, "attempt_id")
            await asyncio.sleep(0.2)
    if socket is not None:
        await asyncio.sleep(0)  # answers already received are counted before the socket closes
        await socket.close()
    if listener is not None:
        await listener


async def _call(
    api: httpx.AsyncClient, path: str, student: Account, body: dict[str, Any], outcomes: Outcomes, id_key: str
) -> None:
    try:
        response = await api.post(path, headers=student.headers, json=body)
    except httpx.HTTPError as error:
        outcomes.failures[type(error).__name__] += 1
        return
    outcomes.statuses[response.status_code] += 1
    if response.status_code in (201, 202):
        accepted = response.json()[id_key]
        (outcomes.accepted_requests if id_key == "request_id" else outcomes.accepted_attempts).add(accepted)


async def drive(cloud: RunningCloud, accounts: list[Account], outcomes: Outcomes, seconds: float) -> None:
    """Runs every student's loop for `seconds` (and at most MAX_ROUNDS rounds each)."""
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(_student(cloud, student, outcomes, deadline) for student in accounts))


def database_rows(cloud: RunningCloud, query: str, *params: object) -> list[tuple[Any, ...]]:
    with psycopg.connect(cloud.state()["database_url"], connect_timeout=5) as conn:
        return conn.execute(query, params).fetchall()


def unfinished_requests(cloud: RunningCloud, request_ids: set[str]) -> set[str]:
    rows = database_rows(
        cloud,
        "SELECT id::text FROM tutor_requests WHERE id = ANY(%s::uuid[]) AND status = 'done'",
        list(request_ids),
    )
    return request_ids - {row[0] for row in rows}


def unsent_outbox_rows(cloud: RunningCloud) -> int:
    return int(database_rows(cloud, "SELECT count(*) FROM event_outbox WHERE sent_at IS NULL")[0][0])


def progress_mismatches(cloud: RunningCloud, accounts: list[Account]) -> list[tuple[Any, ...]]:
    """Students whose quiz attempts and applied quiz progress events differ (lost or doubled)."""
    return database_rows(
        cloud,
        "SELECT u.id::text,"
        " (SELECT count(*) FROM quiz_attempts a WHERE a.user_id = u.id) AS attempts,"
        " (SELECT count(*) FROM progress_events e"
        "  WHERE e.user_id = u.id AND e.kind = 'quiz_attempted') AS applied"
        " FROM users u WHERE u.id = ANY(%s::uuid[])",
        [student.id for student in accounts],
    )


async def settled(
    cloud: RunningCloud, accounts: list[Account], outcomes: Outcomes, within: float = 90
) -> None:
    """Waits until nothing is left in flight, then asserts that nothing was lost or doubled."""
    deadline = time.monotonic() + within
    while True:
        try:
            waiting = unfinished_requests(cloud, outcomes.accepted_requests)
            unsent = unsent_outbox_rows(cloud)
            mismatched = [row for row in progress_mismatches(cloud, accounts) if row[1] != row[2]]
        except psycopg.OperationalError as error:  # the database itself is still coming back
            waiting, unsent, mismatched = {str(error)}, -1, []
        if not waiting and unsent == 0 and not mismatched:
            break
        if time.monotonic() > deadline:
            raise AssertionError(
                f"after {within:.0f} s: {len(waiting)} accepted questions unanswered, {unsent} outbox rows "
                f"unsent, progress mismatches {mismatched}; statuses {dict(outcomes.statuses)}"
            )
        await asyncio.sleep(1)
    attempts = {
        row[0]
        for row in database_rows(
            cloud,
            "SELECT id::text FROM quiz_attempts WHERE id = ANY(%s::uuid[])",
            list(outcomes.accepted_attempts),
        )
    }
    assert attempts == outcomes.accepted_attempts, "an accepted quiz attempt was lost"
    for user_id, attempt_count, applied in progress_mismatches(cloud, accounts):
        assert attempt_count == applied, (
            f"{user_id}: {attempt_count} attempts, {applied} progress events applied"
        )
    doubled = {request for request, times in outcomes.answered_on_socket.items() if times > 1}
    assert not doubled, f"answered twice on the socket: {doubled}"
    assert outcomes.accepted_requests and outcomes.accepted_attempts, f"no traffic got through: {outcomes}"
