"""GET /metrics on the running local cloud: one question, one run and one submission move exactly their
counters, in the Prometheus text format, the functions' own metrics (EMF) beside the local cloud's."""

import time
from collections.abc import Callable

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.cloud_process import Account, RunningCloud, sign_up
from tests.e2e.leap_exercise import LEAP_SOLUTION, leap_exercise

pytestmark = pytest.mark.cloud

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(cloud: RunningCloud) -> Samples:
    response = httpx.get(f"{cloud.state()['management_url']}/metrics", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def delta(before: Samples, after: Samples) -> Callable[..., float]:
    def moved(name: str, **labels: str) -> float:
        key = (name, frozenset(labels.items()))
        return after.get(key, 0.0) - before.get(key, 0.0)

    return moved


def test_a_question_a_run_and_a_submission_move_exactly_their_counters(
    cloud: RunningCloud, api: httpx.Client, student: Account
) -> None:
    teacher = sign_up(api, "teacher")
    exercise = api.post("/api/v1/exercises", headers=teacher.headers, json=leap_exercise()).json()["exercise"]
    before = scrape(cloud)

    asked = api.post(
        "/api/v1/query", headers=student.headers, json={"question": "What is a list comprehension?"}
    )
    assert asked.status_code == 202, asked.text
    assert asked.json()["intent"] == "concepts"
    run = api.post("/api/v1/execute", headers=student.headers, json={"code": "print('hi')"})
    assert run.json()["status"] == "ok"
    graded = api.post(
        f"/api/v1/exercises/{exercise['id']}/submit", headers=student.headers, json={"code": LEAP_SOLUTION}
    )
    assert graded.json()["status"] == "passed"
    after = scrape(cloud)

    moved = delta(before, after)
    service = {"service": "learnflow"}
    assert moved("learnflow_questions_asked_total", **service, intent="concepts", channel="rest") == 1
    assert moved("learnflow_triage_confidence_count", **service, intent="concepts") == 1
    assert moved("learnflow_programs_run_total", **service, status="ok") == 1
    assert moved("learnflow_programs_run_total", **service, status="error") == 0
    assert moved("learnflow_submissions_graded_total", **service, result="passed") == 1
    assert moved("learnflow_submissions_graded_total", **service, result="failed") == 0
    for method, route in (
        ("POST", "/api/v1/query"),
        ("POST", "/api/v1/execute"),
        ("POST", "/api/v1/exercises/{exercise_id}/submit"),
    ):
        assert moved("localcloud_rest_requests_total", method=method, route=route, status_class="2xx") == 1
        assert moved("localcloud_rest_requests_total", method=method, route=route, status_class="5xx") == 0
        assert moved("localcloud_rest_request_duration_seconds_count", method=method, route=route) == 1
    for function in ("tutor_api", "execute_api", "exercises_api"):
        assert moved("localcloud_function_invocations_total", function=function) == 1
        assert moved("localcloud_function_errors_total", function=function) == 0
        assert moved("localcloud_function_duration_seconds_count", function=function) == 1
    assert after[("localcloud_function_workers", frozenset({("function", "tutor_api")}))] >= 1
    assert after[("localcloud_dependency_up", frozenset({("dependency", "postgres")}))] == 1
    assert after[("localcloud_dependency_up", frozenset({("dependency", "kafka")}))] == 1
    assert ("localcloud_outbox_pending_events", frozenset()) in after

    # the answer travels through Kafka: the concepts agent, then the relay that counts it
    request_id = asked.json()["request_id"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        answered = delta(before, scrape(cloud))
        done = api.get(f"/api/v1/requests/{request_id}", headers=student.headers).json()["status"] == "done"
        if done and answered("learnflow_tutor_answers_total", **service, source="offline", intent="concepts"):
            break
        time.sleep(0.2)
    assert answered("learnflow_tutor_answers_total", **service, source="offline", intent="concepts") >= 1
    mapping = {"function": "concepts_agent", "topic": "concepts.requests"}
    assert answered("localcloud_kafka_batches_total", **mapping) >= 1
    assert answered("localcloud_kafka_records_total", **mapping) >= 1
