"""The tutor engines: the offline default, and the LLM engine validating what the model wrote."""

from typing import Any

from learnflow.domain.concepts import Concept, explanation_of, find_concept
from learnflow.domain.exercise_bank import History, by_slug
from learnflow.domain.offline_tutor import ExerciseRequest
from learnflow.llm import LlmEngine, tutor_engine
from learnflow.llm.settings import LlmSettings
from tests.llm.fake_openai import FakeOpenAi, Reply


def _concept(name: str) -> Concept:
    found = find_concept(name)
    assert found is not None, name
    return found


RECURSION = _concept("recursion")
assert RECURSION is not None
GOOD_EXPLANATION = (
    "Recursion is when a function calls itself on a smaller piece of the problem, until it reaches"
    " a base case that it can answer directly."
)


def explanation(**fields: object) -> dict[str, object]:
    return {
        "explanation": GOOD_EXPLANATION,
        "examples": [{"code": "print(sum(range(4)))", "output": "6\n"}],
        "diagram": None,
    } | fields


def test_without_a_key_the_offline_engine_answers() -> None:
    engine = tutor_engine(LlmSettings(openai_api_key=None))
    assert engine.source == "offline"
    answer = engine.explain(RECURSION, "beginner", "what is recursion")
    assert answer == explanation_of(RECURSION, "beginner")
    assert answer.source == "offline"


def test_an_llm_explanation_says_so_and_keeps_a_valid_diagram(
    engine: LlmEngine, fake_openai: FakeOpenAi
) -> None:
    diagram = 'flowchart TD\n    A["factorial(3)"] --> B["3 * factorial(2)"]'
    fake_openai.enqueue(Reply.answer(explanation(diagram=diagram)))

    answer = engine.explain(RECURSION, "intermediate", "how does recursion work?")

    assert (answer.source, answer.level, answer.slug) == ("llm", "intermediate", "recursion")
    assert answer.explanation == GOOD_EXPLANATION
    assert answer.diagram == diagram
    assert [(e.code, e.output) for e in answer.examples] == [("print(sum(range(4)))", "6\n")]
    assert "Recursion" in fake_openai.received[0].body["messages"][1]["content"]


def test_an_invalid_llm_diagram_is_dropped(engine: LlmEngine, fake_openai: FakeOpenAi) -> None:
    fake_openai.enqueue(Reply.answer(explanation(diagram="flowchart TD\n    A --> ")))
    answer = engine.explain(RECURSION, "beginner", "recursion?")
    assert answer.source == "llm" and answer.diagram is None


def test_llm_examples_show_what_the_code_really_prints(engine: LlmEngine, fake_openai: FakeOpenAi) -> None:
    examples = [
        {"code": "print(2 + 2)", "output": "5\n"},  # the model got the output wrong
        {"code": "print(undefined_name)", "output": "?\n"},  # and this one does not run
    ]
    fake_openai.enqueue(Reply.answer(explanation(examples=examples)))
    answer = engine.explain(RECURSION, "beginner", "recursion?")
    assert [(e.code, e.output) for e in answer.examples] == [("print(2 + 2)", "4\n")]


def test_an_unusable_llm_answer_falls_back_to_the_offline_explanation(
    engine: LlmEngine, fake_openai: FakeOpenAi
) -> None:
    fake_openai.enqueue(Reply.answer({"explanation": "too short", "examples": [], "diagram": None}))
    fake_openai.enqueue(Reply(content="not json at all"))
    answer = engine.explain(RECURSION, "advanced", "recursion")
    assert answer == explanation_of(RECURSION, "advanced")


def test_when_the_llm_is_down_the_offline_engine_answers(engine: LlmEngine, fake_openai: FakeOpenAi) -> None:
    fake_openai.reset(default=Reply.error(500))
    answer = engine.explain(RECURSION, "beginner", "recursion")
    assert answer.source == "offline"


LLM_EXERCISE: dict[str, Any] = {
    "slug": "double-it",
    "title": "Double it",
    "description": "Write `double(number)` that returns the number multiplied by two, e.g. double(4) is 8.",
    "module_name": "double_it",
    "starter_code": "def double(number):\n    pass\n",
    "solution": "def double(number):\n    return number * 2\n",
    "test_code": (
        "import unittest\n\nfrom double_it import double\n\n\n"
        "class DoubleTest(unittest.TestCase):\n"
        "    def test_four(self):\n        self.assertEqual(double(4), 8)\n\n"
        "    def test_zero(self):\n        self.assertEqual(double(0), 0)\n"
    ),
    "hints": [
        "Multiply the number by something.",
        "The operator for multiplying is `*`.",
        "Return `number * 2` from the function.",
    ],
}


def request_for(slug: str, history: History | None = None) -> ExerciseRequest:
    concept = find_concept(slug)
    assert concept is not None
    return ExerciseRequest(concept, "easy", history or History())


def test_a_generated_exercise_that_passes_its_sandbox_check_is_used(
    engine: LlmEngine, fake_openai: FakeOpenAi
) -> None:
    fake_openai.enqueue(Reply.answer(LLM_EXERCISE))
    draft = engine.exercise(request_for("functions"))
    assert draft is not None
    assert (draft.source, draft.topic, draft.difficulty, draft.module_name) == (
        "llm",
        "functions",
        "easy",
        "double_it",
    )


def test_a_generated_exercise_whose_solution_fails_is_regenerated(
    engine: LlmEngine, fake_openai: FakeOpenAi
) -> None:
    broken = LLM_EXERCISE | {"solution": "def double(number):\n    return number + 2\n"}
    fake_openai.enqueue(Reply.answer(broken), Reply.answer(LLM_EXERCISE))
    draft = engine.exercise(request_for("functions"))
    assert draft is not None and draft.source == "llm"
    assert len(fake_openai.received) == 2


def test_when_generation_keeps_failing_the_bank_answers(engine: LlmEngine, fake_openai: FakeOpenAi) -> None:
    starter_passes = LLM_EXERCISE | {"starter_code": LLM_EXERCISE["solution"] + "# start here\n"}
    no_import = LLM_EXERCISE | {"test_code": "def test_nothing():\n    assert True\n"}
    fake_openai.enqueue(Reply.answer(starter_passes), Reply.answer(no_import))
    draft = engine.exercise(request_for("functions"))
    assert draft == by_slug("rectangle-area")
    assert draft is not None and draft.source == "offline"
