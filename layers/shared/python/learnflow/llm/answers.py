"""What the LLM must answer, as pydantic models: the JSON schema it is given and the validation it passes.

The models carry types only in their JSON schema (what every OpenAI-compatible server accepts in
structured-output mode); lengths and counts are checked by validators after parsing, and an answer
that breaks them counts as malformed (asked for once more, then the offline engine answers).
"""

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, model_validator

from learnflow.domain.exercise_bank.models import HINTS


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LlmExample(_Answer):
    code: str
    output: str


class LlmExplanation(_Answer):
    explanation: str
    examples: list[LlmExample]
    diagram: str | None

    @model_validator(mode="after")
    def _within_limits(self) -> Self:
        if not 80 <= len(self.explanation) <= 6000:
            raise ValueError("the explanation must be 80 to 6000 characters")
        if not 1 <= len(self.examples) <= 3:
            raise ValueError("give 1 to 3 examples")
        if any(not example.code.strip() or len(example.code) > 4000 for example in self.examples):
            raise ValueError("each example needs code of at most 4000 characters")
        return self


class LlmExercise(_Answer):
    slug: str
    title: str
    description: str
    module_name: str
    starter_code: str
    solution: str
    test_code: str
    hints: list[str]

    @model_validator(mode="after")
    def _three_hints(self) -> Self:
        if len(self.hints) != HINTS:
            raise ValueError(f"give exactly {HINTS} hints")
        return self


class LlmTriage(_Answer):
    intent: Literal["concepts", "debug", "exercise", "code_review", "progress", "clarify"]
    clarification: str | None

    @model_validator(mode="after")
    def _clarify_asks_a_question(self) -> Self:
        if self.intent == "clarify" and not (
            self.clarification and 0 < len(self.clarification.strip()) <= 300
        ):
            raise ValueError("a clarify answer needs one short question")
        return self


class LlmSummary(_Answer):
    """A summary in the LLM's words: of a student's progress, of a code review."""

    summary: str

    @model_validator(mode="after")
    def _short(self) -> Self:
        if not 40 <= len(self.summary) <= 2500:
            raise ValueError("the summary must be 40 to 2500 characters")
        return self


class LlmHints(_Answer):
    hints: list[str]

    @model_validator(mode="after")
    def _three_short_hints(self) -> Self:
        if len(self.hints) != HINTS or any(not 10 <= len(hint) <= 1200 for hint in self.hints):
            raise ValueError(f"give exactly {HINTS} hints of 10 to 1200 characters")
        return self
