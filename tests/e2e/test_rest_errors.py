"""Bad input and bad credentials get the contract's error body from the gateway and the handlers alike."""

import httpx
import pytest

from tests.cloud_process import Account, RunningCloud, sign_up

pytestmark = pytest.mark.cloud


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], list)
    assert "Traceback" not in response.text
    return dict(error)


def test_health_reports_every_dependency_up(api: httpx.Client) -> None:
    health = api.get("/health")
    assert health.status_code == 200
    body = health.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "kafka": "ok", "sandbox": "ok"}
    assert "seccomp" in body["sandbox"]["layers"]


def test_an_unknown_route_is_404(api: httpx.Client) -> None:
    assert_error(api.get("/api/v1/nowhere"), 404, "not_found")
    assert_error(api.delete("/api/v1/query"), 404, "not_found")


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."],
)
def test_a_missing_or_bad_token_is_401(api: httpx.Client, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    assert_error(
        api.post("/api/v1/query", headers=headers, json={"question": "what is a list?"}), 401, "unauthorized"
    )


def test_malformed_json_is_400(api: httpx.Client, student: Account) -> None:
    response = api.post(
        "/api/v1/query",
        headers=student.headers | {"Content-Type": "application/json"},
        content=b'{"question": ',
    )
    assert_error(response, 400, "malformed_json")


def test_non_utf8_bytes_are_400_not_500(api: httpx.Client, student: Account) -> None:
    response = api.post(
        "/api/v1/query",
        headers=student.headers | {"Content-Type": "application/json"},
        content=b'{"question": "\xff\xfe"}',
    )
    assert response.status_code in (400, 422)
    assert response.json()["error"]["code"] in ("malformed_json", "validation_error")


def test_wrong_types_and_unknown_fields_are_422_naming_the_fields(
    api: httpx.Client, student: Account
) -> None:
    response = api.post("/api/v1/query", headers=student.headers, json={"question": 42, "colour": "blue"})
    error = assert_error(response, 422, "validation_error")
    fields = {detail["field"] for detail in error["details"]}  # type: ignore[attr-defined]
    assert {"question", "colour"} <= fields


def test_a_question_over_4_kib_is_422(api: httpx.Client, student: Account) -> None:
    response = api.post("/api/v1/query", headers=student.headers, json={"question": "x" * 4097})
    assert_error(response, 422, "validation_error")


def test_a_body_over_1_mib_is_413(api: httpx.Client, student: Account) -> None:
    response = api.post(
        "/api/v1/query", headers=student.headers, content=b'{"question": "' + b"x" * (1024 * 1024) + b'"}'
    )
    assert_error(response, 413, "payload_too_large")


def test_sql_metacharacters_are_just_text(api: httpx.Client) -> None:
    response = api.post(
        "/api/v1/auth/login", json={"email": "' OR 1=1; --", "password": "x'); DROP TABLE users;--"}
    )
    assert_error(response, 401, "unauthorized")
    assert api.get("/health").status_code == 200


def test_an_unknown_request_id_is_404(api: httpx.Client, student: Account) -> None:
    assert_error(api.get("/api/v1/requests/not-a-uuid", headers=student.headers), 404, "not_found")
    assert_error(
        api.get("/api/v1/requests/7d444840-9dc0-11d1-b245-5ffdce74fad2", headers=student.headers),
        404,
        "not_found",
    )


def test_registering_twice_is_409_and_a_weak_password_422(api: httpx.Client, student: Account) -> None:
    again = api.post(
        "/api/v1/auth/register",
        json={"email": student.email, "password": "another long one", "display_name": "Twin"},
    )
    assert_error(again, 409, "conflict")
    weak = api.post(
        "/api/v1/auth/register",
        json={"email": "new@example.com", "password": "short", "display_name": "Weak"},
    )
    assert_error(weak, 422, "validation_error")


def test_me_returns_the_user_without_secrets(api: httpx.Client, student: Account) -> None:
    me = api.get("/api/v1/auth/me", headers=student.headers)
    assert me.status_code == 200
    assert me.json() == {
        "user": {"id": student.id, "email": student.email, "display_name": "Grace", "role": "student"}
    }
    assert "password" not in me.text


def test_a_teacher_cannot_ask_the_tutor(api: httpx.Client, cloud: RunningCloud) -> None:
    teacher = sign_up(api, "teacher")
    assert_error(
        api.post("/api/v1/query", headers=teacher.headers, json={"question": "what is a set?"}),
        403,
        "forbidden",
    )


def test_a_user_sets_their_time_zone_and_a_wrong_one_is_named(api: httpx.Client, student: Account) -> None:
    changed = api.patch("/api/v1/auth/me", headers=student.headers, json={"timezone": "Europe/Berlin"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["timezone"] == "Europe/Berlin"
    assert changed.json()["user"]["display_name"] == "Grace"
    wrong = api.patch("/api/v1/auth/me", headers=student.headers, json={"timezone": "Mars/Olympus_Mons"})
    error = assert_error(wrong, 422, "validation_error")
    assert error["details"] == [{"field": "timezone", "message": "an IANA time zone name"}]
    assert_error(api.patch("/api/v1/auth/me", json={"timezone": "UTC"}), 401, "unauthorized")
