"""Every user-scoped route read as the owner, another student, an unrelated teacher and an admin.

A role that may never do a thing gets 403; a resource the caller may not see reads as 404, exactly
like one that does not exist, so ids reveal nothing.
"""

import uuid

import httpx
import pytest

from tests.cloud_process import Account, sign_up
from tests.security.conftest import assert_refused, error

pytestmark = pytest.mark.cloud

NO_SUCH_REQUEST = error("not_found", "No such request.")
NO_SUCH_CLASS = error("not_found", "No such class.")


def open_class(api: httpx.Client, teacher: Account, name: str = "Python 101") -> dict[str, str]:
    response = api.post("/api/v1/classes", headers=teacher.headers, json={"name": name})
    assert response.status_code == 201, response.text
    return dict(response.json())


def join(api: httpx.Client, student: Account, join_code: str) -> httpx.Response:
    return api.post("/api/v1/classes/join", headers=student.headers, json={"join_code": join_code})


def test_a_tutor_request_is_seen_by_its_owner_only(
    api: httpx.Client, student: Account, teacher: Account
) -> None:
    asked = api.post("/api/v1/query", headers=student.headers, json={"question": "what is a dictionary?"})
    assert asked.status_code == 202, asked.text
    path = f"/api/v1/requests/{asked.json()['request_id']}"
    assert api.get(path, headers=student.headers).status_code == 200

    classmate = sign_up(api, "student")
    unknown = f"/api/v1/requests/{uuid.uuid4()}"
    for stranger in (classmate, teacher):
        assert_refused(api.get(path, headers=stranger.headers), 404, NO_SUCH_REQUEST)
        assert_refused(api.get(unknown, headers=stranger.headers), 404, NO_SUCH_REQUEST)


def test_auth_me_is_always_the_caller(api: httpx.Client, student: Account, teacher: Account) -> None:
    for account in (student, teacher):
        me = api.get("/api/v1/auth/me", headers=account.headers)
        assert me.json()["user"]["id"] == account.id


def test_a_class_roster_is_seen_by_its_teacher_and_admins_only(
    api: httpx.Client, student: Account, teacher: Account, admin: Account
) -> None:
    opened = open_class(api, teacher)
    assert join(api, student, opened["join_code"]).json() == {"class_id": opened["id"]}
    path = f"/api/v1/classes/{opened['id']}"
    expected = opened | {"students": [{"id": student.id, "display_name": "Grace"}]}

    assert api.get(path, headers=teacher.headers).json() == expected
    assert api.get(path, headers=admin.headers).json() == expected

    other_teacher = sign_up(api, "teacher")
    assert_refused(api.get(path, headers=other_teacher.headers), 404, NO_SUCH_CLASS)
    assert_refused(
        api.get(f"/api/v1/classes/{uuid.uuid4()}", headers=other_teacher.headers), 404, NO_SUCH_CLASS
    )
    assert_refused(api.get("/api/v1/classes/not-an-id", headers=teacher.headers), 404, NO_SUCH_CLASS)
    only_teachers = error("forbidden", "Only a teacher or admin may do this.")
    assert_refused(api.get(path, headers=student.headers), 403, only_teachers)


def test_students_cannot_call_teacher_routes(api: httpx.Client, student: Account) -> None:
    assert_refused(
        api.post("/api/v1/classes", headers=student.headers, json={"name": "Mine now"}),
        403,
        error("forbidden", "Only a teacher may do this."),
    )


def test_teachers_and_admins_cannot_call_student_routes(
    api: httpx.Client, teacher: Account, admin: Account
) -> None:
    code = open_class(api, teacher)["join_code"]
    for account in (teacher, admin):
        assert_refused(join(api, account, code), 403, error("forbidden", "Only a student may do this."))
        assert_refused(
            api.post("/api/v1/query", headers=account.headers, json={"question": "what is a set?"}),
            403,
            error("forbidden", "This needs the role student."),
        )


def test_joining_takes_the_code_as_people_type_it_and_only_once(
    api: httpx.Client, student: Account, teacher: Account
) -> None:
    opened = open_class(api, teacher)
    code = opened["join_code"]
    typed = f" {code[:4].lower()}-{code[4:].lower()} "
    assert join(api, student, typed).json() == {"class_id": opened["id"]}
    assert join(api, student, code).json() == {"class_id": opened["id"]}
    roster = api.get(f"/api/v1/classes/{opened['id']}", headers=teacher.headers).json()
    assert [member["id"] for member in roster["students"]] == [student.id]
    assert_refused(
        join(api, student, "ZZZZ2222"),
        404,
        error("not_found", "No class has this join code; check it with your teacher."),
    )


def test_nobody_can_register_as_admin(api: httpx.Client) -> None:
    response = api.post(
        "/api/v1/auth/register",
        json={
            "email": f"boss-{uuid.uuid4().hex[:8]}@example.com",
            "password": "a long enough password",
            "display_name": "Boss",
            "role": "admin",
        },
    )
    assert_refused(
        response,
        422,
        error(
            "validation_error",
            "Some fields are missing or invalid; see details.",
            [{"field": "role", "message": "Input should be 'student' or 'teacher'", "type": "literal_error"}],
        ),
    )
