"""LearnFlow's load test: students and teachers as they use the product, through the REST API and
their WebSockets (`make load` runs it against a fresh local cloud; see tests/performance/run_load.py).

A student signs up, opens a WebSocket, joins a teacher's class, then over and over: asks the tutor a
question and waits for the answer on the socket, runs a program, gets an exercise, takes a hint,
submits, asks for debugging help, and reads their progress and notifications. A teacher (about 1
user in 10) signs up, opens a WebSocket and a class, then keeps reading the class roster, some of
their students' progress, and their own notifications (where alerts about struggling students land).

Entries are named by route template; the time from a question's 202 to its answer on the WebSocket
is the entry `WS question -> answer`. A non-2xx answer, an unexpected body, an answer that does not
arrive within `--answer-timeout` seconds, or an answer to another request is a failure.

    .venv/bin/locust -f tests/performance/locustfile.py --host http://127.0.0.1:8180 \\
        --websocket-url ws://127.0.0.1:3001 --headless -u 10 -r 2 -t 1m
"""

import csv
import json
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from locust import FastHttpUser, events, task
from locust.contrib.fasthttp import ResponseContextManager
from locust.env import Environment
from locust.stats import PERCENTILES_TO_REPORT, StatsCSV

from learnflow.domain.exercise_bank import bank_topics, by_slug
from tests.performance.live_socket import LiveSocket
from tests.performance.targets import is_loopback

PASSWORD = "correct horse battery staple"
WS = "WS"
TOPICS = bank_topics()

QUESTIONS: tuple[dict[str, str], ...] = (
    {"question": "What is a list comprehension in Python?"},
    {"question": "explain python generators please"},
    {"question": "How do decorators work?"},
    {"question": "explain recursion"},
    {"question": "what is the difference between a tuple and a list?"},
    {
        "question": "I get an error when I run this, why?",
        "code": "total = 10\nprint(totl)\n",
        "error": "NameError: name 'totl' is not defined",
    },
    {"question": "give me an easy exercise on loops"},
    {"question": "how am I doing? show my progress"},
    {
        "question": "Can you review my code and tell me how to improve it?",
        "code": "def add(a,b):\n    return a+b\nprint( add(1,2) )\n",
    },
)

PROGRAMS: tuple[dict[str, str], ...] = (
    {"code": "print(sum(range(10)))"},
    {"code": "name = input()\nprint(f'hello {name}')", "stdin": "Ada\n"},
    {"code": "squares = [n * n for n in range(8)]\nprint(squares)"},
    {"code": "def fact(n):\n    return 1 if n < 2 else n * fact(n - 1)\n\nprint(fact(10))"},
)

#: join codes of the classes teachers opened in this run, for students to join
OPEN_CLASSES: list[str] = []


def _arguments(parser: Any) -> None:
    parser.add_argument(
        "--websocket-url",
        default="ws://127.0.0.1:3001",
        env_var="LEARNFLOW_LOAD_WEBSOCKET_URL",
        help="the WebSocket API (the local cloud's LEARNFLOW_WS_PORT)",
    )
    parser.add_argument(
        "--think-time",
        default="1-3",
        env_var="LEARNFLOW_LOAD_THINK_TIME",
        help="seconds a user pauses between two steps, drawn from MIN-MAX",
    )
    parser.add_argument(
        "--answer-timeout",
        type=float,
        default=10.0,
        env_var="LEARNFLOW_LOAD_ANSWER_TIMEOUT",
        help="seconds to wait for a question's answer on the WebSocket before it counts as a failure",
    )


def _only_this_machine(environment: Environment, **_: Any) -> None:
    """The load test runs against the local cloud only: it refuses any other target."""
    options = environment.parsed_options
    targets = [environment.host or "", options.websocket_url if options else ""]
    strangers = [url for url in targets if not is_loopback(url)]
    if strangers:
        raise SystemExit(f"the load test targets this machine only (127.0.0.1), not {strangers}")


_ENVIRONMENTS: list[Environment] = []


def _remember(environment: Environment, **_: Any) -> None:
    _ENVIRONMENTS.append(environment)


def _final_csv(**_: Any) -> None:
    """Writes the stats and failures CSV files once more after the last user stopped: locust writes
    them every second while it runs, not at the end, so they would miss the last second's requests."""
    options = _ENVIRONMENTS[-1].parsed_options if _ENVIRONMENTS else None
    if options is None or not options.csv_prefix:
        return
    final = StatsCSV(_ENVIRONMENTS[-1], PERCENTILES_TO_REPORT)
    for suffix, write in (("stats", final.requests_csv), ("failures", final.failures_csv)):
        path = Path(f"{options.csv_prefix}_{suffix}.csv")
        written = path.with_suffix(".final")
        with written.open("w", newline="") as rows:
            write(csv.writer(rows))
        # a rename: locust's own file handle, closed after this, then writes to the replaced file
        written.replace(path)


events.init_command_line_parser.add_listener(_arguments)  # type: ignore[no-untyped-call]
events.init.add_listener(_remember)  # type: ignore[no-untyped-call]
events.test_start.add_listener(_only_this_machine)  # type: ignore[no-untyped-call]
events.quit.add_listener(_final_csv)  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class Account:
    id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def _problem(response: ResponseContextManager) -> str:
    """What went wrong, as the contract's error body says it when there is one."""
    if not response.status_code:
        return f"no HTTP answer: {getattr(response, 'error', None)!r}"
    text = response.text or ""
    try:
        error = json.loads(text)["error"]
        said = f"{error['code']}: {error['message']}"
    except (ValueError, KeyError, TypeError):
        said = text[:200] or "(empty body)"
    return f"HTTP {response.status_code}: {said}"


class LearnFlowUser(FastHttpUser):
    abstract = True
    role = "student"

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        options = environment.parsed_options
        self.websocket_url: str = options.websocket_url if options else "ws://127.0.0.1:3001"
        low, _, high = (options.think_time if options else "1-3").partition("-")
        self.think_seconds = (float(low), float(high or low))
        self.answer_timeout: float = options.answer_timeout if options else 10.0
        self.account: Account | None = None
        self.socket: LiveSocket | None = None

    def wait_time(self) -> float:
        return random.uniform(*self.think_seconds)

    def think(self) -> None:
        time.sleep(self.wait_time())

    # --- REST ------------------------------------------------------------------------------------

    def call(
        self,
        method: str,
        path: str,
        name: str,
        expect: int,
        body: dict[str, Any] | None = None,
        valid: Callable[[dict[str, Any]], str | None] | None = None,
    ) -> dict[str, Any] | None:
        """One request, a failure unless it answers `expect` with a JSON object that `valid` finds no
        problem with (it names the problem); that object, else None."""
        headers = self.account.headers if self.account else {}
        with self.client.request(
            method, path, name=name, json=body, headers=headers, catch_response=True
        ) as response:
            if response.status_code != expect:
                response.failure(f"expected {expect}, got {_problem(response)}")
                return None
            try:
                answer = response.json()
            except ValueError:
                response.failure(
                    f"HTTP {response.status_code} with a body that is not JSON: {response.text[:200]}"
                )
                return None
            if not isinstance(answer, dict):
                response.failure(
                    f"HTTP {response.status_code} with a body that is not an object: {answer!r:.200}"
                )
                return None
            problem = valid(answer) if valid else None
            if problem:
                response.failure(f"HTTP {response.status_code} but {problem}: {answer!r:.300}")
                return None
            return answer

    def fire(
        self, request_type: str, name: str, milliseconds: float, problem: str | None, length: int = 0
    ) -> None:
        self.environment.events.request.fire(
            request_type=request_type,
            name=name,
            response_time=milliseconds,
            response_length=length,
            exception=AssertionError(problem) if problem else None,
            context={},
        )

    # --- signing up and the WebSocket ----------------------------------------------------------------

    def sign_up(self) -> bool:
        email = f"load-{self.role}-{uuid.uuid4().hex[:12]}@example.com"
        created = self.call(
            "POST",
            "/api/v1/auth/register",
            "/api/v1/auth/register",
            201,
            {"email": email, "password": PASSWORD, "display_name": f"Load {self.role}", "role": self.role},
        )
        if created is None:
            return False
        login = self.call(
            "POST", "/api/v1/auth/login", "/api/v1/auth/login", 200, {"email": email, "password": PASSWORD}
        )
        if login is None or "access_token" not in login:
            return False
        self.account = Account(created["user"]["id"], login["access_token"])
        return True

    def ensure_signed_up_and_connected(self) -> bool:
        if self.account is None and not self.sign_up():
            return False
        assert self.account is not None
        if self.socket is not None and self.socket.open:
            return True
        if self.socket is not None:
            self.fire(WS, "closed", 0.0, self.socket.closed_because or "the WebSocket closed")
            self.socket = None
        started = time.perf_counter()
        try:
            self.socket = LiveSocket(self.websocket_url, self.account.token, open_timeout=10)
        except Exception as error:
            self.fire(WS, "connect", (time.perf_counter() - started) * 1000, f"could not connect: {error!r}")
            return False
        self.fire(WS, "connect", (time.perf_counter() - started) * 1000, None)
        return True

    def on_start(self) -> None:
        self.ensure_signed_up_and_connected()

    def on_stop(self) -> None:
        if self.socket is not None:
            self.socket.close()
            self.socket = None


class Student(LearnFlowUser):
    weight = 9
    role = "student"

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self.in_class = False
        self.asked: set[str] = set()

    @task
    def study(self) -> None:
        if not self.ensure_signed_up_and_connected():
            self.think()
            return
        steps = (
            self.join_a_class,
            self.ask_the_tutor,
            self.run_a_program,
            self.solve_an_exercise,
            self.ask_for_debugging_help,
            self.read_progress,
            self.read_notifications,
        )
        for step in steps:
            step()

    def join_a_class(self) -> None:
        if self.in_class or not OPEN_CLASSES:
            return
        joined = self.call(
            "POST",
            "/api/v1/classes/join",
            "/api/v1/classes/join",
            200,
            {"join_code": random.choice(OPEN_CLASSES)},
        )
        self.in_class = joined is not None
        self.think()

    def ask_the_tutor(self) -> None:
        name = "question -> answer"
        accepted = self.call("POST", "/api/v1/query", "/api/v1/query", 202, random.choice(QUESTIONS))
        accepted_at = time.perf_counter()
        if accepted is None:
            return
        request_id = str(accepted.get("request_id"))
        self.asked.add(request_id)
        socket = self.socket
        if socket is None:
            self.fire(WS, name, 0.0, "no open WebSocket to receive the answer")
            return
        deadline = accepted_at + self.answer_timeout
        while True:
            arrival = socket.next_answer(deadline - time.perf_counter())
            if arrival is None:
                why = "" if socket.open else f" ({socket.closed_because})"
                self.fire(
                    WS, name, self.answer_timeout * 1000, f"no answer within {self.answer_timeout:g} s{why}"
                )
                break
            answered = str(arrival.message.get("request_id"))
            if answered == request_id:
                self.fire(
                    WS,
                    name,
                    max(arrival.at - accepted_at, 0.0) * 1000,
                    None,
                    len(json.dumps(arrival.message)),
                )
                break
            if answered not in self.asked:  # a late answer to an earlier question of ours is no stranger
                self.fire(
                    WS, name, 0.0, f"an answer to another request ({answered}) while waiting for {request_id}"
                )
        self.think()

    def run_a_program(self) -> None:
        self.call(
            "POST",
            "/api/v1/execute",
            "/api/v1/execute",
            200,
            random.choice(PROGRAMS),
            valid=lambda ran: None if ran.get("status") == "ok" else "the program did not run",
        )
        self.think()

    def solve_an_exercise(self) -> None:
        created = self.call(
            "POST",
            "/api/v1/exercises/generate",
            "/api/v1/exercises/generate",
            201,
            {"topic": random.choice(TOPICS)},
            valid=lambda body: None if "id" in body.get("exercise", {}) else "no exercise",
        )
        self.think()
        if created is None:
            return
        exercise = created["exercise"]
        path = f"/api/v1/exercises/{exercise['id']}"
        # an exercise handed out again keeps the hints already revealed; with none left there is no
        # "next hint" to ask for (the API would answer 409)
        if len(exercise.get("hints_revealed", [])) < exercise.get("hints_total", 0):
            self.call(
                "POST",
                f"{path}/hints/next",
                "/api/v1/exercises/{id}/hints/next",
                200,
                valid=lambda body: None if "hint" in body else "no hint",
            )
            self.think()
        drafted = by_slug(str(exercise.get("slug", "")).removeprefix("bank-"))
        # most students get there; some hand in the starter code and see the tests fail
        code = drafted.solution if drafted is not None and random.random() < 0.7 else exercise["starter_code"]
        self.call(
            "POST",
            f"{path}/submit",
            "/api/v1/exercises/{id}/submit",
            200,
            {"code": code},
            valid=lambda graded: None if graded.get("status") in ("passed", "failed") else "not graded",
        )
        self.think()

    def ask_for_debugging_help(self) -> None:
        self.call(
            "POST",
            "/api/v1/debug/analyze",
            "/api/v1/debug/analyze",
            200,
            {"code": f"total = {random.randint(1, 99)}\nprint(totl)\n"},
            valid=lambda found: (
                None if found.get("error_type") == "NameError" else "the NameError was missed"
            ),
        )
        self.think()

    def read_progress(self) -> None:
        assert self.account is not None
        self.call("GET", f"/api/v1/progress/{self.account.id}", "/api/v1/progress/{user_id}", 200)
        self.think()

    def read_notifications(self) -> None:
        assert self.account is not None
        self.call("GET", f"/api/v1/notifications/{self.account.id}", "/api/v1/notifications/{user_id}", 200)
        self.think()


class Teacher(LearnFlowUser):
    weight = 1
    role = "teacher"
    #: students whose progress a teacher reads each time they look at the class
    STUDENTS_READ = 5

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self.class_id: str | None = None

    def open_a_class(self) -> bool:
        opened = self.call("POST", "/api/v1/classes", "/api/v1/classes", 201, {"name": "Python 101"})
        if opened is None:
            return False
        self.class_id = str(opened["id"])
        OPEN_CLASSES.append(str(opened["join_code"]))
        return True

    @task
    def follow_the_class(self) -> None:
        if not self.ensure_signed_up_and_connected() or (self.class_id is None and not self.open_a_class()):
            self.think()
            return
        assert self.account is not None
        roster = self.call("GET", f"/api/v1/classes/{self.class_id}", "/api/v1/classes/{id}", 200)
        self.think()
        students = list(roster.get("students", [])) if roster else []
        for student in random.sample(students, min(len(students), self.STUDENTS_READ)):
            self.call("GET", f"/api/v1/progress/{student['id']}", "/api/v1/progress/{user_id} [teacher]", 200)
            self.think()
        self.call(
            "GET",
            f"/api/v1/notifications/{self.account.id}",
            "/api/v1/notifications/{user_id} [teacher]",
            200,
        )
        self.think()
