"""LLM tokens spent per user and day (`llm_usage`)."""

from datetime import date
from typing import Any

from psycopg import Connection

from learnflow.domain.llm_budget import DailyUsage


class LlmUsageRepository:
    def __init__(self, conn: Connection[dict[str, Any]]) -> None:
        self._conn = conn

    def add(self, user_id: str, day: date, *, prompt_tokens: int, completion_tokens: int) -> None:
        self._conn.execute(
            "INSERT INTO llm_usage (user_id, day, prompt_tokens, completion_tokens, calls)"
            " VALUES (%s, %s, %s, %s, 1)"
            " ON CONFLICT (user_id, day) DO UPDATE SET"
            " prompt_tokens = llm_usage.prompt_tokens + EXCLUDED.prompt_tokens,"
            " completion_tokens = llm_usage.completion_tokens + EXCLUDED.completion_tokens,"
            " calls = llm_usage.calls + 1",
            (user_id, day, prompt_tokens, completion_tokens),
        )

    def spent(self, user_id: str | None, day: date) -> tuple[int, int]:
        """Tokens spent on `day` by the user (none: nobody), and by everyone."""
        row = self._conn.execute(
            "SELECT COALESCE(SUM(prompt_tokens + completion_tokens)"
            " FILTER (WHERE user_id = %s::uuid), 0) AS mine,"
            " COALESCE(SUM(prompt_tokens + completion_tokens), 0) AS everyone"
            " FROM llm_usage WHERE day = %s",
            (user_id, day),
        ).fetchone()
        assert row is not None
        return int(row["mine"]), int(row["everyone"])

    def on_day(self, day: date, *, limit: int) -> list[DailyUsage]:
        """The day's usage, the biggest spenders first."""
        rows = self._conn.execute(
            "SELECT user_id::text AS user_id, day, prompt_tokens, completion_tokens, calls FROM llm_usage"
            " WHERE day = %s ORDER BY prompt_tokens + completion_tokens DESC, user_id LIMIT %s",
            (day, limit),
        ).fetchall()
        return [DailyUsage(**row) for row in rows]
