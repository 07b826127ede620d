"""The LLM writes a code review's summary from the checked findings."""

import json
from typing import Any

from learnflow.llm.answers import LlmSummary
from learnflow.llm.budget import give_way
from learnflow.llm.client import LlmUnavailable
from learnflow.llm.prompts import render
from learnflow.llm.provider import StructuredProvider

CODE_CHARS = 8000


class LlmReviewNarrator:
    def __init__(self, llm: StructuredProvider) -> None:
        self._llm = llm

    def narrate(self, findings: dict[str, Any], code: str) -> str | None:
        prompt = render("review_summary", code=code[:CODE_CHARS], findings=json.dumps(findings, indent=1))
        try:
            return self._llm.complete(prompt, LlmSummary).value.summary
        except LlmUnavailable as unavailable:
            give_way(unavailable)
            return None
