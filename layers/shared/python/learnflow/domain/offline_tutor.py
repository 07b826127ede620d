"""The offline tutor engine: the curated curriculum and the exercise bank, no network.

It is the default, and what answers whenever an LLM cannot (no key, circuit open, timeout, a
malformed or invalid answer).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from learnflow.domain.concepts import Concept, Explanation, Level
from learnflow.domain.concepts.question_fit import fitted_explanation
from learnflow.domain.exercise_bank import Difficulty, ExerciseDraft, History, choose
from learnflow.domain.exercise_bank.models import Source
from learnflow.domain.models import ExerciseInProgress


@dataclass(frozen=True)
class ExerciseRequest:
    topic: Concept
    difficulty: Difficulty
    history: History
    #: titles of exercises the student already has, so a generator does not repeat them
    avoid_titles: tuple[str, ...] = ()


class OfflineEngine:
    """The curriculum and the exercise bank: answers in about a millisecond."""

    @property
    def source(self) -> Source:
        return "offline"

    def explain(
        self,
        concept: Concept,
        level: Level,
        question: str,
        open_exercises: Sequence[ExerciseInProgress] = (),
    ) -> Explanation:
        """The curriculum's page (no page holds an exercise's solution: tests/agents check the bank)."""
        return fitted_explanation(concept, level, question)

    def exercise(self, request: ExerciseRequest) -> ExerciseDraft | None:
        return choose(request.topic.slug, request.difficulty, request.history)
