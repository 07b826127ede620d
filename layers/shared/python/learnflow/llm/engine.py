"""The tutor engines: one interface, two providers.

- `OfflineEngine`: the curated curriculum and the exercise bank; the default, and what answers
  whenever the LLM cannot (no key, circuit open, timeout, malformed or invalid answer).
- `LlmEngine`: asks the LLM, validates what comes back (examples run in the sandbox and show their
  real output, a Mermaid diagram outside the checked subset is dropped, an exercise must pass its
  own tests in the sandbox while its starter code fails them) and falls back to the offline engine.

Every answer says which engine produced it (`source`).
"""

from dataclasses import dataclass
from typing import Literal, Protocol

from pydantic import ValidationError

from learnflow.domain.concepts import Concept, Example, Explanation, Level, explanation_of
from learnflow.domain.concepts.diagrams import is_valid_mermaid
from learnflow.domain.exercise_bank import Difficulty, ExerciseDraft, History, choose
from learnflow.llm.answers import LlmExercise, LlmExplanation
from learnflow.llm.client import Completion, LlmUnavailable
from learnflow.llm.prompts import Prompt, render
from learnflow.observability import logger

Source = Literal["llm", "offline"]
GENERATION_TRIES = 2


@dataclass(frozen=True)
class ExerciseRequest:
    topic: Concept
    difficulty: Difficulty
    history: History
    #: titles of exercises the student already has, so a generator does not repeat them
    avoid_titles: tuple[str, ...] = ()


class TutorEngine(Protocol):
    @property
    def source(self) -> Source:
        """The engine that answers first: "llm" may still fall back to "offline" per answer."""
        ...

    def explain(self, concept: Concept, level: Level, question: str) -> Explanation: ...

    def exercise(self, request: ExerciseRequest) -> ExerciseDraft | None:
        """A new exercise on the request's topic, or None when the bank has none on it."""
        ...


class StructuredLlm(Protocol):
    def complete[M: LlmExplanation | LlmExercise](self, prompt: Prompt, schema: type[M]) -> Completion[M]: ...


class RunOutcome(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def stdout(self) -> str: ...


class GradeOutcome(Protocol):
    @property
    def score(self) -> int: ...


class CodeRunner(Protocol):
    """What the engine needs of the sandbox (`learnflow.sandbox.Sandbox` is one)."""

    def run(self, code: str, stdin: str = "") -> RunOutcome: ...
    def grade(self, module_name: str, student_code: str, test_code: str) -> GradeOutcome: ...


def exercise_problems(sandbox: CodeRunner, draft: ExerciseDraft) -> list[str]:
    """Why an exercise may not be shown to a student: its solution must score 100, its starter less."""
    problems = []
    solved = sandbox.grade(draft.module_name, draft.solution, draft.test_code).score
    if solved != 100:
        problems.append(f"the solution scores {solved}, not 100, on its own tests")
    started = sandbox.grade(draft.module_name, draft.starter_code, draft.test_code).score
    if started >= 100:
        problems.append("the starter code already passes every test")
    return problems


class OfflineEngine:
    """The curriculum and the exercise bank: no network, answers in about a millisecond."""

    @property
    def source(self) -> Source:
        return "offline"

    def explain(self, concept: Concept, level: Level, question: str) -> Explanation:
        return explanation_of(concept, level)

    def exercise(self, request: ExerciseRequest) -> ExerciseDraft | None:
        return choose(request.topic.slug, request.difficulty, request.history)


class LlmEngine:
    """Asks the LLM first; every answer is validated and anything unusable is replaced offline."""

    def __init__(self, llm: StructuredLlm, offline: OfflineEngine, sandbox: CodeRunner | None) -> None:
        self._llm = llm
        self._offline = offline
        self._sandbox = sandbox

    @property
    def source(self) -> Source:
        return "llm"

    def explain(self, concept: Concept, level: Level, question: str) -> Explanation:
        prompt = render(
            "concept_explanation",
            concept=concept.title,
            level=level,
            question=question[:2000],
            reference=concept.at(level).explanation,
        )
        try:
            answer = self._llm.complete(prompt, LlmExplanation).value
        except LlmUnavailable:
            return self._offline.explain(concept, level, question)
        offline = explanation_of(concept, level)
        return offline.model_copy(
            update={
                "explanation": answer.explanation,
                "examples": self._checked_examples(answer) or offline.examples,
                "diagram": self._checked_diagram(answer.diagram, concept.slug),
                "source": "llm",
            }
        )

    def _checked_examples(self, answer: LlmExplanation) -> list[Example]:
        """The examples that run cleanly in the sandbox, showing the output they really print."""
        if self._sandbox is None:
            return []
        checked = []
        for example in answer.examples:
            outcome = self._sandbox.run(example.code)
            if outcome.status != "ok":
                logger.info("llm example dropped: it does not run", extra={"status": outcome.status})
                continue
            if outcome.stdout != example.output:
                logger.info("llm example output corrected to what the code prints")
            checked.append(Example(code=example.code, output=outcome.stdout))
        return checked

    @staticmethod
    def _checked_diagram(diagram: str | None, slug: str) -> str | None:
        if diagram is None or not diagram.strip():
            return None
        if is_valid_mermaid(diagram):
            return diagram.strip()
        logger.info("llm diagram dropped: not valid Mermaid", extra={"concept": slug})
        return None

    def exercise(self, request: ExerciseRequest) -> ExerciseDraft | None:
        if self._sandbox is not None:
            for _ in range(GENERATION_TRIES):
                try:
                    draft = self._generated(request)
                except LlmUnavailable:
                    break
                if draft is not None:
                    return draft
        return self._offline.exercise(request)

    def _generated(self, request: ExerciseRequest) -> ExerciseDraft | None:
        """One generated exercise if it passes validation, else None (the caller tries again)."""
        assert self._sandbox is not None
        reference = choose(request.topic.slug, request.difficulty, History())
        prompt = render(
            "exercise",
            topic=request.topic.title,
            difficulty=request.difficulty,
            avoid=", ".join(request.avoid_titles[-20:]) or "none",
            reference=reference.description if reference else "(none)",
        )
        answer = self._llm.complete(prompt, LlmExercise).value
        try:
            draft = ExerciseDraft.model_validate(
                {
                    **answer.model_dump(),
                    "topic": request.topic.slug,
                    "difficulty": request.difficulty,
                    "source": "llm",
                }
            )
        except ValidationError as invalid:
            logger.info("llm exercise rejected", extra={"problems": [e["msg"] for e in invalid.errors()]})
            return None
        problems = exercise_problems(self._sandbox, draft)
        if problems:
            logger.info("llm exercise failed its sandbox check", extra={"problems": problems})
            return None
        return draft
