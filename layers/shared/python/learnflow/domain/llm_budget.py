"""Daily LLM token budgets: one per student, one for the whole deployment.

Within both, the LLM answers; over either, the offline tutor answers with a note saying why. A day
is a UTC calendar day.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

BudgetVerdict = Literal["within", "student_spent", "deployment_spent"]

NOTES: dict[BudgetVerdict, str] = {
    "student_spent": (
        "You have used today's AI tutoring allowance, so this answer comes from the offline tutor."
        " The allowance renews at midnight UTC."
    ),
    "deployment_spent": (
        "The AI tutor has reached today's limit for everyone, so this answer comes from the offline"
        " tutor. It renews at midnight UTC."
    ),
}


class BudgetSpent(Exception):  # noqa: N818 (a condition, not a failure)
    """The LLM was not asked: a daily budget is spent. `str(error)` is the note for the student."""


@dataclass(frozen=True)
class TokenBudget:
    per_student_daily: int
    per_deployment_daily: int

    def verdict(self, *, student_used: int, deployment_used: int) -> BudgetVerdict:
        if deployment_used >= self.per_deployment_daily:
            return "deployment_spent"
        if student_used >= self.per_student_daily:
            return "student_spent"
        return "within"


@dataclass(frozen=True)
class DailyUsage:
    user_id: str
    day: date
    prompt_tokens: int
    completion_tokens: int
    calls: int

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


def today(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(UTC).date()


def usage_report(day: date, users: list[DailyUsage], everyone: int, budget: TokenBudget) -> dict[str, Any]:
    """What admins read about one day's LLM usage (GET /admin/llm-usage)."""
    return {
        "day": day.isoformat(),
        "budgets": {
            "per_student_daily": budget.per_student_daily,
            "per_deployment_daily": budget.per_deployment_daily,
        },
        "deployment_tokens": everyone,
        "users": [
            {
                "user_id": usage.user_id,
                "prompt_tokens": usage.prompt_tokens,
                "completion_tokens": usage.completion_tokens,
                "tokens": usage.tokens,
                "calls": usage.calls,
            }
            for usage in users
        ],
    }
