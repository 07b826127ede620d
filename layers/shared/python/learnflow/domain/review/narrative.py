"""A review's summary in an LLM's words: only words, from the checked findings, with their numbers."""

import re
from typing import Any

from learnflow.domain.llm_budget import BudgetSpent
from learnflow.domain.ports import ReviewNarrator
from learnflow.domain.progress.narrative_check import invented_numbers
from learnflow.domain.review.models import Review

#: code belongs in the checked suggestions, never in the narrative
_CODE_BLOCK = re.compile(r"```")


def facts_of(review: Review) -> dict[str, Any]:
    """What the narrator may use: the findings, complexity, score and checked suggestions."""
    return review.model_dump(mode="json", exclude={"summary", "source", "note"})


def narrated(review: Review, narrator: ReviewNarrator, code: str) -> Review:
    """The review with the narrator's summary when it writes no code and no number that is not in the
    findings or the code; otherwise the offline summary stands."""
    try:
        text = narrator.narrate(facts_of(review), code)
    except BudgetSpent as spent:
        return review.model_copy(update={"note": str(spent)})
    if text is None or _CODE_BLOCK.search(text) or invented_numbers(text, facts_of(review), code):
        return review
    return review.model_copy(update={"summary": text, "source": "llm"})
