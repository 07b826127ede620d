"""Spending LLM tokens within the daily budgets, and not spending them twice on the same prompt.

`BudgetedLlm` wraps the provider: a prompt asked again within `llm_cache_seconds` is answered from
memory; otherwise the caller's and the deployment's tokens spent today are checked first (over
either, `LlmUnavailable("over_budget")` sends the caller to the offline engine, with the note of
`domain.llm_budget.NOTES`), and the tokens an answer cost are recorded after it.

Whose budget is it? The function handling a student's request says so with `spending_for(user_id)`
around the work; calls outside it (none today) spend from the deployment's budget only.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from cachetools import TTLCache
from pydantic import BaseModel

from learnflow.domain.llm_budget import NOTES, BudgetSpent, TokenBudget
from learnflow.domain.ports import UsageLedger
from learnflow.llm.client import Completion, LlmUnavailable
from learnflow.llm.prompts import Prompt
from learnflow.llm.provider import StreamingProvider
from learnflow.observability import count, logger

CACHE_ENTRIES = 256

_spender: ContextVar[str | None] = ContextVar("llm_spender", default=None)


@contextmanager
def spending_for(user_id: str) -> Iterator[None]:
    """LLM calls inside the block spend `user_id`'s daily budget."""
    token = _spender.set(user_id)
    try:
        yield
    finally:
        _spender.reset(token)


class BudgetedLlm:
    def __init__(
        self, provider: StreamingProvider, ledger: UsageLedger, budget: TokenBudget, cache_seconds: float
    ) -> None:
        self._provider = provider
        self._ledger = ledger
        self._budget = budget
        self._answers: TTLCache[tuple[str, str, str], Completion[Any]] | None = (
            TTLCache(CACHE_ENTRIES, cache_seconds) if cache_seconds > 0 else None
        )

    def complete[M: BaseModel](self, prompt: Prompt, schema: type[M]) -> Completion[M]:
        return self._spent(prompt, schema, lambda: self._provider.complete(prompt, schema))

    def stream[M: BaseModel](
        self, prompt: Prompt, schema: type[M], prose_field: str, on_prose: Callable[[str], None]
    ) -> Completion[M]:
        """`complete` as it is written; an answer from memory is shown whole, at once."""
        key = _key(prompt, schema)
        if self._answers is not None and key in self._answers:
            on_prose(str(getattr(self._answers[key].value, prose_field)))
        return self._spent(
            prompt, schema, lambda: self._provider.stream(prompt, schema, prose_field, on_prose)
        )

    def _spent[M: BaseModel](
        self, prompt: Prompt, schema: type[M], ask: Callable[[], Completion[M]]
    ) -> Completion[M]:
        key = _key(prompt, schema)
        if self._answers is not None and key in self._answers:
            count("LlmCacheHits", task=prompt.task)
            cached: Completion[M] = self._answers[key]
            return cached
        spender = _spender.get()
        self._check_budget(spender)
        completion = ask()
        if spender is not None:
            usage = completion.usage
            self._ledger.record(
                spender, prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens
            )
        if self._answers is not None:
            self._answers[key] = completion
        return completion

    def _check_budget(self, spender: str | None) -> None:
        student_used, deployment_used = self._ledger.spent_today(spender)
        verdict = self._budget.verdict(student_used=student_used, deployment_used=deployment_used)
        if verdict == "within":
            return
        logger.info("llm budget spent: the offline tutor answers", extra={"verdict": verdict})
        count("LlmOverBudget", verdict=verdict)
        raise LlmUnavailable("over_budget", NOTES[verdict])


def give_way(unavailable: LlmUnavailable) -> None:
    """An LLM writer leaves the words to the offline text: silently, or, when a daily budget is spent,
    by raising `BudgetSpent` with the note the student reads."""
    if unavailable.reason == "over_budget":
        raise BudgetSpent(str(unavailable)) from unavailable


def _key(prompt: Prompt, schema: type[BaseModel]) -> tuple[str, str, str]:
    """What makes two prompts the same: the task, the student's part and the answer's schema (the
    system prompt is the same for all, but for its per-request canary)."""
    return (prompt.task, prompt.user, schema.__name__)
