"""Who may see or do what: the ownership rules every user-scoped route applies.

Two answers, used the same way everywhere:

- 403 (`PermissionDeniedError`) when the caller's role may never do this, whatever the resource
  (a student creating a class, a teacher joining one); it reveals nothing about any resource.
- 404 (`NotFoundError`) when the role may do this in general but not to this resource (another
  student's request, a student outside the teacher's classes): a resource the caller may not see
  reads exactly like one that does not exist, so ids reveal nothing.
"""

import uuid
from typing import Protocol

from learnflow.domain.errors import NotFoundError, PermissionDeniedError
from learnflow.domain.models import Role


class Viewer(Protocol):
    """The caller: `learnflow.api.identity.Identity` is one."""

    @property
    def user_id(self) -> str: ...
    @property
    def role(self) -> Role: ...


class TeacherRoster(Protocol):
    """Which students a teacher teaches: `learnflow.repositories.classes.ClassRepository` is one."""

    def teaches(self, teacher_id: str, student_id: str) -> bool: ...


def is_valid_id(value: str) -> bool:
    """Ids are UUIDs; anything else cannot name a resource (and must read as not found, not 422)."""
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def require_role(viewer: Viewer, *roles: Role) -> None:
    """403 unless the caller has one of `roles`."""
    if viewer.role not in roles:
        raise PermissionDeniedError(f"Only a {' or '.join(roles)} may do this.")


def is_owner_or_admin(viewer: Viewer, owner_id: str) -> bool:
    return viewer.role == "admin" or viewer.user_id == owner_id


def can_view_student(viewer: Viewer, student_id: str, teacher_of: TeacherRoster) -> bool:
    """The student themself, a teacher of one of their classes, or an admin."""
    if is_owner_or_admin(viewer, student_id):
        return True
    return (
        viewer.role == "teacher"
        and is_valid_id(student_id)
        and teacher_of.teaches(viewer.user_id, student_id)
    )


def ensure_can_view_student(
    viewer: Viewer, student_id: str, teacher_of: TeacherRoster, *, message: str = "No such user."
) -> None:
    """404 unless `can_view_student`: e.g. GET /progress/{user_id}."""
    if not can_view_student(viewer, student_id, teacher_of):
        raise NotFoundError(message)


def ensure_owner_or_admin(viewer: Viewer, owner_id: str | None, *, message: str = "Not found.") -> None:
    """404 unless the caller owns the resource or is an admin: e.g. GET /notifications/{user_id}.

    Pass `owner_id=None` for a resource that does not exist, so both cases read the same.
    """
    if owner_id is None or not is_owner_or_admin(viewer, owner_id):
        raise NotFoundError(message)


def ensure_owner(viewer: Viewer, owner_id: str | None, *, message: str = "Not found.") -> None:
    """404 unless the caller owns the resource (an admin too): e.g. POST /notifications/{id}/read."""
    if owner_id is None or viewer.user_id != owner_id:
        raise NotFoundError(message)
