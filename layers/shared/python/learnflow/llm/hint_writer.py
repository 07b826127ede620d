"""The LLM writes the three debugging hints from LearnFlow's analysis."""

import json
from typing import Any

from learnflow.llm.answers import LlmHints
from learnflow.llm.budget import give_way
from learnflow.llm.client import LlmUnavailable
from learnflow.llm.prompts import render
from learnflow.llm.provider import StructuredProvider

CODE_CHARS = 8000
QUESTION_CHARS = 2000


class LlmHintWriter:
    def __init__(self, llm: StructuredProvider) -> None:
        self._llm = llm

    def write_hints(self, analysis: dict[str, Any], code: str, question: str) -> list[str] | None:
        prompt = render(
            "debug_hints",
            question=question[:QUESTION_CHARS],
            code=code[:CODE_CHARS],
            analysis=json.dumps(analysis, indent=1),
        )
        try:
            return self._llm.complete(prompt, LlmHints).value.hints
        except LlmUnavailable as unavailable:
            give_way(unavailable)
            return None
