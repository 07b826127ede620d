"""The LLM tutor engine: the domain's `TutorEngine` port, written by an LLM and checked by LearnFlow.

`LlmEngine` asks the LLM, validates what comes back (examples run in the sandbox and show their
real output, a Mermaid diagram outside the checked subset is dropped, an exercise must pass its own
tests in the sandbox while its starter code fails them) and falls back to the domain's offline
engine. Every answer says which engine produced it (`source`).

Before a student reads an answer, the guard (`learnflow.llm.guard`) checks it: each request's system
prompt carries a random canary, and an answer that discloses the prompt, solves an exercise the
student is working on, strays off topic or breaks its schema is replaced by the offline one (streamed
text is retracted first; while exercises are open, code is not streamed at all).

`explain_streaming` shows the explanation's text on a `DeltaSink` while the LLM writes it; when the
explanation returned does not keep that text (the LLM failed mid-answer, or a check replaced it),
the text shown is retracted first.
"""

from collections.abc import Callable, Sequence
from typing import Protocol

from pydantic import ValidationError

from learnflow.domain.concepts import Concept, Example, Explanation, Level, OpenAnswer, explanation_of
from learnflow.domain.concepts.diagrams import is_valid_mermaid
from learnflow.domain.exercise_bank import ExerciseDraft, History, choose
from learnflow.domain.exercise_bank.models import Source
from learnflow.domain.exercise_checks import exercise_problems
from learnflow.domain.guardrails import OpenExercise
from learnflow.domain.guardrails.output_rules import AnswerContext
from learnflow.domain.models import ExerciseInProgress
from learnflow.domain.offline_tutor import ExerciseRequest, OfflineEngine
from learnflow.domain.ports import DeltaSink, Sandbox
from learnflow.llm.answers import LlmExercise, LlmExplanation
from learnflow.llm.client import Completion, LlmUnavailable
from learnflow.llm.guard import OutputGuard, SeededPrompt, caught, seeded
from learnflow.llm.prompts import Prompt, render
from learnflow.observability import logger

GENERATION_TRIES = 2


class StructuredLlm(Protocol):
    def complete[M: LlmExplanation | LlmExercise](self, prompt: Prompt, schema: type[M]) -> Completion[M]: ...

    def stream[M: LlmExplanation](
        self, prompt: Prompt, schema: type[M], prose_field: str, on_prose: Callable[[str], None]
    ) -> Completion[M]: ...


class _Shown:
    """What the student has been shown of an answer, and the sink it went to (none: not streamed).

    `code_waits`: nothing from the first code on (a backtick) goes out while the LLM writes; the
    final, checked answer brings it.
    """

    def __init__(self, sink: DeltaSink | None, *, code_waits: bool = False) -> None:
        self.sink = sink
        self.text = ""
        self.sent = ""
        self.code_waits = code_waits
        self.failure: str | None = None

    def write(self, piece: str) -> None:
        self.text += piece
        if self.sink is None:
            return
        shown = self.text.split("`", 1)[0] if self.code_waits else self.text
        if len(shown) > len(self.sent):
            self.sink.write(shown[len(self.sent) :])
            self.sent = shown

    def settle(self, answer_text: str) -> None:
        """Ends the stream when the answer keeps the text written; otherwise retracts what was shown."""
        if self.sink is None:
            return
        if answer_text == self.text or not self.sent:
            self.sink.end()
        else:
            self.sink.retract(self.failure or "rejected")


class LlmEngine:
    """Asks the LLM first; every answer is validated and anything unusable is replaced offline."""

    def __init__(self, llm: StructuredLlm, offline: OfflineEngine, sandbox: Sandbox | None) -> None:
        self._llm = llm
        self._offline = offline
        self._sandbox = sandbox
        self._guard = OutputGuard(sandbox)

    @property
    def source(self) -> Source:
        return "llm"

    def explain(
        self,
        concept: Concept,
        level: Level,
        question: str,
        open_exercises: Sequence[ExerciseInProgress] = (),
    ) -> Explanation:
        return self._explained(concept, level, question, _Shown(None), _guarded(open_exercises))

    def explain_streaming(
        self,
        concept: Concept,
        level: Level,
        question: str,
        sink: DeltaSink,
        open_exercises: Sequence[ExerciseInProgress] = (),
    ) -> Explanation:
        exercises = _guarded(open_exercises)
        shown = _Shown(sink, code_waits=bool(exercises))
        explained = self._explained(concept, level, question, shown, exercises)
        shown.settle(explained.explanation)
        return explained

    def _explained(
        self,
        concept: Concept,
        level: Level,
        question: str,
        shown: _Shown,
        exercises: tuple[OpenExercise, ...],
    ) -> Explanation:
        prompt = seeded(
            render(
                "concept_explanation",
                concept=concept.title,
                level=level,
                question=question[:2000],
                reference=concept.at(level).explanation,
            )
        )
        context = prompt.context(question, topic=concept.title, exercises=exercises)
        try:
            answer = self._checked_answer(prompt, shown, context)
        except LlmUnavailable as unavailable:
            return self._offline_explanation(concept, level, question, unavailable)
        if answer is None:
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

    def answer_question(
        self,
        question: str,
        level: Level,
        nearest: Sequence[str],
        sink: DeltaSink | None = None,
        open_exercises: Sequence[ExerciseInProgress] = (),
    ) -> OpenAnswer | None:
        exercises = _guarded(open_exercises)
        shown = _Shown(sink, code_waits=bool(exercises))
        closest = ", ".join(nearest) or "none"
        prompt = seeded(render("python_question", level=level, question=question[:2000], nearest=closest))
        context = prompt.context(question, topic=" ".join(nearest), exercises=exercises)
        try:
            answer = self._checked_answer(prompt, shown, context)
        except LlmUnavailable:
            answer = None
        shown.settle(answer.explanation if answer else "")
        if answer is None:
            return None
        return OpenAnswer(
            level=level,
            explanation=answer.explanation,
            examples=self._checked_examples(answer),
            diagram=self._checked_diagram(answer.diagram, "question"),
            suggestions=list(nearest),
        )

    def _checked_answer(
        self, prompt: SeededPrompt, shown: _Shown, context: AnswerContext
    ) -> LlmExplanation | None:
        """The LLM's answer when the guard passed it, else None; LlmUnavailable when there is none."""
        try:
            answer = self._written_explanation(prompt.prompt, shown)
        except LlmUnavailable as unavailable:
            shown.failure = unavailable.reason
            raise
        verdict = self._guard.check(answer, context, LlmExplanation)
        if not verdict.passed:
            caught(verdict, prompt.task)
            shown.failure = "guard"
            return None
        return answer

    def _offline_explanation(
        self, concept: Concept, level: Level, question: str, unavailable: LlmUnavailable
    ) -> Explanation:
        """The offline answer; over a daily budget it says so (the note is the student's to read)."""
        explained = self._offline.explain(concept, level, question)
        if unavailable.reason == "over_budget":
            return explained.model_copy(update={"note": str(unavailable)})
        return explained

    def _written_explanation(self, prompt: Prompt, shown: _Shown) -> LlmExplanation:
        if shown.sink is None:
            return self._llm.complete(prompt, LlmExplanation).value
        return self._llm.stream(prompt, LlmExplanation, "explanation", shown.write).value

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
        prompt = seeded(
            render(
                "exercise",
                topic=request.topic.title,
                difficulty=request.difficulty,
                avoid=", ".join(request.avoid_titles[-20:]) or "none",
                reference=reference.description if reference else "(none)",
            )
        )
        answer = self._llm.complete(prompt.prompt, LlmExercise).value
        # no open exercise in the context: a generated exercise holds its own solution on purpose; the
        # names its solution defines are words of its topic
        context = prompt.context(request.topic.title, student_code=answer.solution, topic=request.topic.title)
        verdict = self._guard.check(answer, context, LlmExercise)
        if not verdict.passed:
            caught(verdict, prompt.task)
            return None
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


def _guarded(open_exercises: Sequence[ExerciseInProgress]) -> tuple[OpenExercise, ...]:
    return tuple(OpenExercise.of(exercise) for exercise in open_exercises)
