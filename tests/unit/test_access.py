"""The ownership rules that user-scoped routes share: 403 for a role, 404 for a resource."""

import uuid
from dataclasses import dataclass

import pytest

from learnflow.domain import access
from learnflow.domain.errors import NotFoundError, PermissionDeniedError
from learnflow.domain.models import Role

STUDENT, CLASSMATE, TEACHER, OTHER_TEACHER, ADMIN = (str(uuid.uuid4()) for _ in range(5))


@dataclass(frozen=True)
class Caller:
    user_id: str
    role: Role


class Roster:
    """TEACHER teaches STUDENT; nobody else teaches anybody."""

    def teaches(self, teacher_id: str, student_id: str) -> bool:
        return (teacher_id, student_id) == (TEACHER, STUDENT)


@pytest.mark.parametrize(
    ("caller", "allowed"),
    [
        (Caller(STUDENT, "student"), True),
        (Caller(TEACHER, "teacher"), True),
        (Caller(ADMIN, "admin"), True),
        (Caller(CLASSMATE, "student"), False),
        (Caller(OTHER_TEACHER, "teacher"), False),
    ],
)
def test_a_student_is_seen_by_themself_their_teachers_and_admins(caller: Caller, allowed: bool) -> None:
    assert access.can_view_student(caller, STUDENT, Roster()) is allowed
    if allowed:
        access.ensure_can_view_student(caller, STUDENT, Roster())
    else:
        with pytest.raises(NotFoundError, match="No such user"):
            access.ensure_can_view_student(caller, STUDENT, Roster())


def test_an_id_that_is_not_a_uuid_names_nobody() -> None:
    assert not access.can_view_student(Caller(TEACHER, "teacher"), "1 OR 1=1", Roster())
    assert not access.is_valid_id("../etc/passwd")
    assert access.is_valid_id(STUDENT)


def test_owner_or_admin_and_owner_only() -> None:
    access.ensure_owner_or_admin(Caller(STUDENT, "student"), STUDENT)
    access.ensure_owner_or_admin(Caller(ADMIN, "admin"), STUDENT)
    for caller, owner in ((Caller(TEACHER, "teacher"), STUDENT), (Caller(STUDENT, "student"), None)):
        with pytest.raises(NotFoundError):
            access.ensure_owner_or_admin(caller, owner, message="No such notification.")
    access.ensure_owner(Caller(STUDENT, "student"), STUDENT)
    with pytest.raises(NotFoundError):
        access.ensure_owner(Caller(ADMIN, "admin"), STUDENT)


def test_a_role_that_may_never_do_a_thing_is_403() -> None:
    access.require_role(Caller(TEACHER, "teacher"), "teacher", "admin")
    with pytest.raises(PermissionDeniedError, match="Only a teacher or admin may do this"):
        access.require_role(Caller(STUDENT, "student"), "teacher", "admin")
