"""Classes, their join codes and their students."""

from typing import Any

from psycopg import Connection, errors

from learnflow.domain.classes import ClassMember, SchoolClass

_SELECT_CLASS = "SELECT id::text AS id, name, teacher_id::text AS teacher_id, join_code FROM classes"
_BY_ID = _SELECT_CLASS + " WHERE id = %s"
_BY_JOIN_CODE = _SELECT_CLASS + " WHERE join_code = %s"
_TEACHES = (
    "SELECT 1 FROM classes c JOIN class_memberships m ON m.class_id = c.id"
    " WHERE c.teacher_id = %s AND m.student_id = %s LIMIT 1"
)
_TEACHERS_OF = (
    "SELECT DISTINCT c.teacher_id::text AS teacher_id FROM class_memberships m"
    " JOIN classes c ON c.id = m.class_id WHERE m.student_id = %s ORDER BY 1"
)


class ClassRepository:
    def __init__(self, conn: Connection[dict[str, Any]]) -> None:
        self._conn = conn

    def add(self, school_class: SchoolClass) -> bool:
        try:
            with self._conn.transaction():
                self._conn.execute(
                    "INSERT INTO classes (id, name, teacher_id, join_code) VALUES (%s, %s, %s, %s)",
                    (school_class.id, school_class.name, school_class.teacher_id, school_class.join_code),
                )
        except errors.UniqueViolation:
            return False
        return True

    def by_id(self, class_id: str) -> SchoolClass | None:
        row = self._conn.execute(_BY_ID, (class_id,)).fetchone()
        return SchoolClass(**row) if row else None

    def by_join_code(self, join_code: str) -> SchoolClass | None:
        row = self._conn.execute(_BY_JOIN_CODE, (join_code,)).fetchone()
        return SchoolClass(**row) if row else None

    def add_member(self, class_id: str, student_id: str) -> bool:
        added = self._conn.execute(
            "INSERT INTO class_memberships (class_id, student_id) VALUES (%s, %s)"
            " ON CONFLICT DO NOTHING RETURNING student_id",
            (class_id, student_id),
        ).fetchone()
        return added is not None

    def members(self, class_id: str) -> list[ClassMember]:
        rows = self._conn.execute(
            "SELECT u.id::text AS id, u.display_name"
            " FROM class_memberships m JOIN users u ON u.id = m.student_id"
            " WHERE m.class_id = %s ORDER BY m.joined_at, u.id",
            (class_id,),
        ).fetchall()
        return [ClassMember(**row) for row in rows]

    def teaches(self, teacher_id: str, student_id: str) -> bool:
        return self._conn.execute(_TEACHES, (teacher_id, student_id)).fetchone() is not None

    def teachers_of(self, student_id: str) -> list[str]:
        rows = self._conn.execute(_TEACHERS_OF, (student_id,)).fetchall()
        return [str(row["teacher_id"]) for row in rows]
