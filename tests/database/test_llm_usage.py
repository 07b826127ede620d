"""LLM tokens spent per user and day: what the daily budgets are checked against and admins read."""

from datetime import date

from learnflow.domain.llm_budget import today
from learnflow.repositories.database import Database
from learnflow.repositories.usage_ledger import DatabaseUsageLedger
from tests.stored_users import stored_user


def test_usage_adds_up_per_user_and_day(db: Database) -> None:
    ada, bob = stored_user(db), stored_user(db)
    day, other_day = date(2031, 3, 1), date(2031, 3, 2)
    with db.transaction("test") as uow:
        uow.llm_usage.add(ada.id, day, prompt_tokens=100, completion_tokens=50)
        uow.llm_usage.add(ada.id, day, prompt_tokens=10, completion_tokens=5)
        uow.llm_usage.add(bob.id, day, prompt_tokens=1000, completion_tokens=1)
        uow.llm_usage.add(ada.id, other_day, prompt_tokens=7, completion_tokens=0)

    with db.transaction("test") as uow:
        assert uow.llm_usage.spent(ada.id, day) == (165, 1166)
        assert uow.llm_usage.spent(None, day) == (0, 1166)
        usage = uow.llm_usage.on_day(day, limit=10)
    assert [(row.user_id, row.tokens, row.calls) for row in usage] == [(bob.id, 1001, 1), (ada.id, 165, 2)]


def test_the_ledger_records_today_in_transactions_of_its_own(db: Database) -> None:
    ledger = DatabaseUsageLedger(db)
    ada = stored_user(db)
    before = ledger.spent_today(ada.id)

    ledger.record(ada.id, prompt_tokens=30, completion_tokens=12)

    mine, everyone = ledger.spent_today(ada.id)
    assert (mine, everyone - before[1]) == (before[0] + 42, 42)
    with db.transaction("test") as uow:
        assert [row.tokens for row in uow.llm_usage.on_day(today(), limit=1000) if row.user_id == ada.id] == [
            42
        ]
