"""The LLM's second opinion on a question the offline triage is not confident about."""

from learnflow.domain.triage import StudentContext, Triage
from learnflow.llm.answers import LlmTriage
from learnflow.llm.client import LlmUnavailable
from learnflow.llm.prompts import Prompt, render
from learnflow.llm.provider import StructuredProvider
from learnflow.observability import count

#: how much of the student's text the classifier reads: enough to tell what they want
QUESTION_CHARS = 2000
CODE_CHARS = 3000
ERROR_CHARS = 1500
#: the confidence an LLM's routing is recorded with (its own certainty is not measured)
LLM_CONFIDENCE = 0.75


class TriageLlm:
    """Routes a question by asking the LLM; None when it cannot answer (the offline triage stands)."""

    def __init__(self, llm: StructuredProvider) -> None:
        self._llm = llm

    def classify(
        self, question: str, code: str | None, error: str | None, context: StudentContext, offline: Triage
    ) -> Triage | None:
        try:
            answer = self._llm.complete(_prompt(question, code, error, context), LlmTriage).value
        except LlmUnavailable:
            return None
        count("TriageByLlm", intent=answer.intent)
        if answer.intent == "clarify":
            return Triage(offline.intent, min(offline.confidence, LLM_CONFIDENCE), answer.clarification)
        return Triage(answer.intent, LLM_CONFIDENCE)


def _prompt(question: str, code: str | None, error: str | None, context: StudentContext) -> Prompt:
    errors = ", ".join(f"{pattern.error_type} x{pattern.count}" for pattern in context.recent_errors)
    return render(
        "triage",
        question=question[:QUESTION_CHARS],
        code=(code or "")[:CODE_CHARS] or "(none)",
        error=(error or "")[:ERROR_CHARS] or "(none)",
        mastery=str(context.mastery) if context.mastery is not None else "unknown",
        recent_errors=errors or "none",
    )
