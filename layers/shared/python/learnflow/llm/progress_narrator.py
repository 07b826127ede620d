"""The LLM writes a student's progress summary from the real figures; a number it invents sinks it."""

import json
from typing import Any

from learnflow.domain.progress.narrative_check import invented_numbers
from learnflow.llm.answers import LlmSummary
from learnflow.llm.budget import give_way
from learnflow.llm.client import LlmUnavailable
from learnflow.llm.prompts import render
from learnflow.llm.provider import StructuredProvider
from learnflow.observability import count, logger

QUESTION_CHARS = 1000


class LlmProgressNarrator:
    def __init__(self, llm: StructuredProvider) -> None:
        self._llm = llm

    def narrate(self, figures: dict[str, Any], question: str) -> str | None:
        facts = {key: value for key, value in figures.items() if key not in ("summary", "source")}
        prompt = render(
            "progress_summary", question=question[:QUESTION_CHARS], figures=json.dumps(facts, indent=1)
        )
        try:
            text = self._llm.complete(prompt, LlmSummary).value.summary
        except LlmUnavailable as unavailable:
            give_way(unavailable)
            return None
        invented = invented_numbers(text, figures, question)
        if invented:
            logger.warning(
                "an llm progress summary invented numbers: the offline one stands",
                extra={"numbers": invented},
            )
            count("ProgressSummaryRejected")
            return None
        return text
