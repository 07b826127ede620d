"""Admins read what the LLM cost, per user and in all, through GET /api/v1/admin/llm-usage."""

import uuid
from datetime import UTC, datetime

import httpx
import psycopg
import pytest

from tests.cloud_process import Account, RunningCloud, create_admin, sign_up

pytestmark = pytest.mark.cloud


@pytest.fixture(scope="module")
def admin(cloud: RunningCloud, api: httpx.Client) -> Account:
    return create_admin(cloud, api)


def spend(cloud: RunningCloud, user_id: str, day: str, prompt_tokens: int, completion_tokens: int) -> None:
    """Tokens spent as the LLM tutor records them (the cloud runs the offline engine: nothing else spends)."""
    with psycopg.connect(cloud.state()["database_url"]) as conn:
        conn.execute(
            "INSERT INTO llm_usage (user_id, day, prompt_tokens, completion_tokens, calls)"
            " VALUES (%s, %s, %s, %s, 1)",
            (user_id, day, prompt_tokens, completion_tokens),
        )


def test_an_admin_reads_a_days_usage_biggest_spender_first(
    cloud: RunningCloud, api: httpx.Client, admin: Account, student: Account
) -> None:
    day = "2031-03-01"
    other = api.post(
        "/api/v1/auth/register",
        json={
            "email": f"b-{uuid.uuid4().hex[:8]}@example.com",
            "password": "correct horse battery",
            "display_name": "B",
        },
    ).json()["user"]["id"]
    spend(cloud, student.id, day, 100, 20)
    spend(cloud, other, day, 1000, 200)

    report = api.get("/api/v1/admin/llm-usage", params={"day": day}, headers=admin.headers)

    assert report.status_code == 200, report.text
    body = report.json()
    assert body["budgets"] == {"per_student_daily": 60000, "per_deployment_daily": 3000000}
    mine = [row for row in body["users"] if row["user_id"] in (student.id, other)]
    assert [(row["user_id"], row["tokens"], row["calls"]) for row in mine] == [
        (other, 1200, 1),
        (student.id, 120, 1),
    ]
    assert body["deployment_tokens"] >= 1320
    today = api.get("/api/v1/admin/llm-usage", headers=admin.headers).json()
    assert today["day"] == datetime.now(UTC).date().isoformat()


def test_students_and_teachers_may_not_read_it_and_a_bad_day_is_422(
    api: httpx.Client, admin: Account, student: Account
) -> None:
    for caller in (student, sign_up(api, "teacher")):
        refused = api.get("/api/v1/admin/llm-usage", headers=caller.headers)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "forbidden"
    for day in ("yesterday", "0", "2026-02-30"):
        bad_day = api.get("/api/v1/admin/llm-usage", params={"day": day}, headers=admin.headers)
        assert bad_day.status_code == 422, day
        assert bad_day.json()["error"]["details"][0]["field"] == "query.day"
