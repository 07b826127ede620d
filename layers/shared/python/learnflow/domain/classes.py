"""Classes: a teacher opens one and shares its join code; students join with the code."""

import secrets
import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from learnflow.domain.access import TeacherRoster, Viewer, is_valid_id, require_role
from learnflow.domain.errors import InvalidInputError, NotFoundError

#: no 0/O, 1/I/L: codes are read aloud and typed from a whiteboard
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8
_ATTEMPTS = 5


@dataclass(frozen=True)
class SchoolClass:
    id: str
    name: str
    teacher_id: str
    join_code: str

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "join_code": self.join_code}


@dataclass(frozen=True)
class ClassMember:
    id: str
    display_name: str

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "display_name": self.display_name}


class ClassStore(TeacherRoster, Protocol):
    def add(self, school_class: SchoolClass) -> bool:
        """Stores a new class; False when its join code is already taken."""
        ...

    def by_id(self, class_id: str) -> SchoolClass | None: ...
    def by_join_code(self, join_code: str) -> SchoolClass | None: ...
    def add_member(self, class_id: str, student_id: str) -> bool:
        """Idempotent: joining twice leaves one membership. True when the student was not a member."""
        ...

    def members(self, class_id: str) -> list[ClassMember]: ...


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_join_code(code: str) -> str:
    """What a person types ('k7qm 2xpr', 'K7QM-2XPR') to the stored form."""
    return "".join(code.split()).replace("-", "").upper()


def open_class(store: ClassStore, teacher: Viewer, name: str) -> SchoolClass:
    require_role(teacher, "teacher")
    name = " ".join(name.split())
    if not name:
        raise InvalidInputError(
            "The class needs a name.", details=[{"field": "name", "message": "must not be blank"}]
        )
    for _ in range(_ATTEMPTS):
        school_class = SchoolClass(str(uuid.uuid4()), name, teacher.user_id, new_join_code())
        if store.add(school_class):
            return school_class
    raise RuntimeError(f"no free join code after {_ATTEMPTS} tries")  # 31**8 codes: never in practice


@dataclass(frozen=True)
class Joined:
    school_class: SchoolClass
    #: False when the student was in the class already (joining again changes nothing)
    new_member: bool


def join(store: ClassStore, student: Viewer, join_code: str) -> Joined:
    require_role(student, "student")
    school_class = store.by_join_code(normalize_join_code(join_code))
    if school_class is None:
        raise NotFoundError("No class has this join code; check it with your teacher.")
    return Joined(school_class, store.add_member(school_class.id, student.user_id))


def roster(store: ClassStore, viewer: Viewer, class_id: str) -> tuple[SchoolClass, list[ClassMember]]:
    """A class and its students, for the teacher who runs it or an admin."""
    require_role(viewer, "teacher", "admin")
    school_class = store.by_id(class_id) if is_valid_id(class_id) else None
    if school_class is None or (viewer.role == "teacher" and school_class.teacher_id != viewer.user_id):
        raise NotFoundError("No such class.")
    return school_class, store.members(school_class.id)
