"""Error occurrences, struggle episodes and passing runs (the state of struggle detection)."""

from datetime import datetime
from typing import Any

from psycopg import Connection

from learnflow.domain.struggle import EndReason, Episode, ErrorOccurrence

_EPISODE_COLUMNS = (
    "id::text AS id, user_id::text AS user_id, error_type, started_at, last_occurrence_at, occurrences"
)
# any fixed number: one student's struggle updates are serialised on it and their user id
_LOCK_NAMESPACE = 0x5_7206


class StruggleRepository:
    def __init__(self, conn: Connection[dict[str, Any]]) -> None:
        self._conn = conn

    def lock_student(self, user_id: str) -> None:
        self._conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_LOCK_NAMESPACE, user_id))

    def add_occurrence(self, occurrence: ErrorOccurrence) -> None:
        self._conn.execute(
            "INSERT INTO error_occurrences"
            " (id, user_id, error_type, message, topic, line, source, created_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (
                occurrence.id,
                occurrence.user_id,
                occurrence.error_type,
                occurrence.message[:2000],
                occurrence.topic,
                occurrence.line,
                occurrence.source,
                occurrence.occurred_at,
            ),
        )

    def open_episode(self, user_id: str, error_type: str) -> Episode | None:
        row = self._conn.execute(
            f"SELECT {_EPISODE_COLUMNS} FROM struggle_episodes"  # noqa: S608 (constant column list)
            " WHERE user_id = %s AND error_type = %s AND ended_at IS NULL",
            (user_id, error_type),
        ).fetchone()
        return Episode(**row) if row else None

    def has_unsettled_errors(self, user_id: str) -> bool:
        row = self._conn.execute(
            "SELECT EXISTS (SELECT 1 FROM struggle_episodes WHERE user_id = %s AND ended_at IS NULL)"
            " OR EXISTS (SELECT 1 FROM error_occurrences WHERE user_id = %s AND created_at > coalesce("
            "  (SELECT last_passed_at FROM passing_runs WHERE user_id = %s), '-infinity')) AS unsettled",
            (user_id, user_id, user_id),
        ).fetchone()
        return bool(row and row["unsettled"])

    def open_episodes(self, user_id: str) -> list[Episode]:
        rows = self._conn.execute(
            f"SELECT {_EPISODE_COLUMNS} FROM struggle_episodes"  # noqa: S608 (constant column list)
            " WHERE user_id = %s AND ended_at IS NULL ORDER BY started_at",
            (user_id,),
        ).fetchall()
        return [Episode(**row) for row in rows]

    def count_since(self, user_id: str, error_type: str, since: datetime) -> int:
        row = self._conn.execute(
            "SELECT count(*) AS n FROM error_occurrences"
            " WHERE user_id = %s AND error_type = %s AND created_at > %s",
            (user_id, error_type, since),
        ).fetchone()
        return int(row["n"]) if row else 0

    def last_reset(self, user_id: str, error_type: str) -> datetime | None:
        row = self._conn.execute(
            "SELECT greatest("
            " (SELECT max(ended_at) FROM struggle_episodes WHERE user_id = %s AND error_type = %s),"
            " (SELECT last_passed_at FROM passing_runs WHERE user_id = %s)) AS reset",
            (user_id, error_type, user_id),
        ).fetchone()
        return row["reset"] if row else None

    def start_episode(self, episode: Episode) -> None:
        self._conn.execute(
            "INSERT INTO struggle_episodes"
            " (id, user_id, error_type, started_at, last_occurrence_at, occurrences)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            (
                episode.id,
                episode.user_id,
                episode.error_type,
                episode.started_at,
                episode.last_occurrence_at,
                episode.occurrences,
            ),
        )

    def extend_episode(self, episode_id: str, at: datetime) -> None:
        self._conn.execute(
            "UPDATE struggle_episodes SET occurrences = occurrences + 1,"
            " last_occurrence_at = greatest(last_occurrence_at, %s) WHERE id = %s",
            (at, episode_id),
        )

    def end_episode(self, episode_id: str, at: datetime, reason: EndReason) -> None:
        self._conn.execute(
            "UPDATE struggle_episodes SET ended_at = %s, end_reason = %s WHERE id = %s AND ended_at IS NULL",
            (at, reason, episode_id),
        )

    def record_passing_run(self, user_id: str, at: datetime) -> None:
        self._conn.execute(
            "INSERT INTO passing_runs (user_id, last_passed_at) VALUES (%s, %s) ON CONFLICT (user_id)"
            " DO UPDATE SET last_passed_at = greatest(passing_runs.last_passed_at, EXCLUDED.last_passed_at)",
            (user_id, at),
        )

    def recent_episodes(self, user_id: str) -> list[dict[str, Any]]:
        """For tests and operators: the student's episodes, newest first."""
        return list(
            self._conn.execute(
                f"SELECT {_EPISODE_COLUMNS}, ended_at, end_reason FROM struggle_episodes"  # noqa: S608
                " WHERE user_id = %s ORDER BY started_at DESC",
                (user_id,),
            ).fetchall()
        )
