"""Who teaches whom: classes and their memberships, read for access checks and alerts."""

from typing import Any

from psycopg import Connection

_TEACHES = (
    "SELECT EXISTS (SELECT 1 FROM class_memberships m JOIN classes c ON c.id = m.class_id"
    " WHERE m.student_id = %s AND c.teacher_id = %s) AS teaches"
)
_TEACHERS_OF = (
    "SELECT DISTINCT c.teacher_id::text AS teacher_id FROM class_memberships m"
    " JOIN classes c ON c.id = m.class_id WHERE m.student_id = %s ORDER BY 1"
)


class RosterRepository:
    def __init__(self, conn: Connection[dict[str, Any]]) -> None:
        self._conn = conn

    def teaches(self, teacher_id: str, student_id: str) -> bool:
        row = self._conn.execute(_TEACHES, (student_id, teacher_id)).fetchone()
        return bool(row and row["teaches"])

    def teachers_of(self, student_id: str) -> list[str]:
        rows = self._conn.execute(_TEACHERS_OF, (student_id,)).fetchall()
        return [str(row["teacher_id"]) for row in rows]
