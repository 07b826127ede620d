"""The guardrails with the real sandbox: the debug corpus's offline hints never leak their verified fix,
and a solution written differently from the reference is caught by passing the exercise's tests."""

from collections.abc import Iterator

import pytest

from learnflow.domain.concept_answers import explain_concept
from learnflow.domain.concepts import LEVELS, find_concept
from learnflow.domain.concepts.catalog import list_concepts
from learnflow.domain.debugging import analyze
from learnflow.domain.exercise_bank import bank, by_slug
from learnflow.domain.guardrails import OpenExercise, solution_leak
from learnflow.domain.guardrails.code_spans import fenced_blocks
from learnflow.domain.guardrails.hint_leak import program_hint_leak
from learnflow.domain.guardrails.withheld_solutions import WITHHELD_NOTE
from learnflow.domain.models import ExerciseInProgress
from localcloud.sandbox import LocalSandbox
from tests.data.debug_corpus.truth import corpus_truths


@pytest.fixture(scope="module")
def sandbox() -> Iterator[LocalSandbox]:
    runner = LocalSandbox()
    yield runner
    runner.close()


def open_exercise(slug: str) -> OpenExercise:
    draft = by_slug(slug)
    assert draft is not None, slug
    return OpenExercise(draft.module_name, draft.solution, draft.test_code)


def test_no_offline_hint_of_level_one_or_two_leaks_its_fix_over_the_whole_corpus(
    sandbox: LocalSandbox,
) -> None:
    leaks, fixes = [], 0
    for truth in corpus_truths():
        analysis = analyze(truth.code, truth.stderr, sandbox, stdin=truth.stdin)
        fixed = analysis.hints[2].code
        fixes += fixed is not None
        for hint in analysis.hints[:2]:
            leak = program_hint_leak(hint.text, truth.code, fixed)
            if leak is not None:
                leaks.append(f"{truth.name} level {hint.level}: {leak.snippet}")
    assert fixes >= 60
    assert leaks == []


def test_a_different_solution_that_passes_the_tests_is_a_leak(sandbox: LocalSandbox) -> None:
    exercise = open_exercise("factorial")
    iterative = (
        "def factorial(n):\n"
        "    if n < 0:\n"
        "        raise ValueError('no factorial below zero')\n"
        "    product = 1\n"
        "    for k in range(2, n + 1):\n"
        "        product *= k\n"
        "    return product\n"
    )
    leak = solution_leak(["print('hello')", iterative], exercise, sandbox)
    assert leak is not None and (leak.found_by, leak.code) == ("tests", iterative)


def test_a_wrong_attempt_and_the_starter_code_are_not_leaks(sandbox: LocalSandbox) -> None:
    exercise = open_exercise("factorial")
    wrong = "def factorial(n):\n    return n * (n - 1)\n"
    starter = by_slug("factorial")
    assert starter is not None
    assert solution_leak([wrong, starter.starter_code], exercise, sandbox) is None


def test_no_curriculum_page_hands_a_student_the_solution_of_their_open_exercise(
    sandbox: LocalSandbox,
) -> None:
    withheld, leaks = set(), []
    for draft in bank():
        in_progress = ExerciseInProgress.model_validate(draft, from_attributes=True)
        exercise = OpenExercise.of(in_progress)
        for concept in list_concepts():
            for level in LEVELS:
                explained = explain_concept(
                    concept, level, concept.title, open_exercises=[in_progress], sandbox=sandbox
                )
                code = [example.code for example in explained.examples] + fenced_blocks(explained.explanation)
                if solution_leak(code, exercise, sandbox):
                    leaks.append(f"{concept.slug} {level}: {draft.slug}")
                assert explained.examples, f"{concept.slug} {level} lost every example"
                if explained.note == WITHHELD_NOTE:
                    withheld.add(f"{concept.slug} {level}: {draft.slug}")
    assert leaks == []
    # the pages whose examples do solve a bank exercise: they keep them for everyone else
    assert withheld == {
        "tuples intermediate: min-and-max",
        "exceptions intermediate: safe-divide",
        "generators advanced: fibonacci-generator",
    }
    tuples = find_concept("tuples")
    assert tuples is not None
    assert explain_concept(tuples, "intermediate", "tuples", sandbox=sandbox).note is None
