"""The `UsageLedger` port on the database."""

from learnflow.domain.llm_budget import today
from learnflow.repositories.database import Database


class DatabaseUsageLedger:
    """The `UsageLedger` port on `llm_usage`: each read and record is a short transaction of its own,
    so tokens spent count even when the answer they were spent on is not stored."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def spent_today(self, user_id: str | None) -> tuple[int, int]:
        with self._database.transaction("llm-usage", relay_events=False) as uow:
            return uow.llm_usage.spent(user_id, today())

    def record(self, user_id: str, *, prompt_tokens: int, completion_tokens: int) -> None:
        with self._database.transaction("llm-usage", relay_events=False) as uow:
            uow.llm_usage.add(
                user_id, today(), prompt_tokens=prompt_tokens, completion_tokens=completion_tokens
            )
