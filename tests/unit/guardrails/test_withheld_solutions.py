"""An explanation for a student with an exercise open keeps no code that solves it (no sandbox here:
code that defines what the exercise asks for and cannot be graded is left out too)."""

from learnflow.domain.concepts import Example, Explanation, Level, explanation_of, find_concept
from learnflow.domain.exercise_bank import by_slug
from learnflow.domain.guardrails.withheld_solutions import LAST_RESORT, WITHHELD_NOTE, without_solutions
from learnflow.domain.models import ExerciseInProgress


def _in_progress(slug: str) -> ExerciseInProgress:
    draft = by_slug(slug)
    assert draft is not None
    return ExerciseInProgress.model_validate(draft, from_attributes=True)


def _page(concept: str, level: Level = "advanced") -> Explanation:
    found = find_concept(concept)
    assert found is not None
    return explanation_of(found, level)


def test_the_generators_page_leaves_out_the_generator_a_student_must_write() -> None:
    page = _page("generators")
    fibonacci = _in_progress("fibonacci-generator")

    beginner = _page("generators", "beginner").examples

    kept = without_solutions(page, [fibonacci], sandbox=None, spares=beginner)
    alone = without_solutions(page, [fibonacci], sandbox=None)

    assert "def fibonacci" in page.examples[0].code
    assert kept.examples == beginner[:1] and "def fibonacci" not in kept.examples[0].code
    assert kept.note == WITHHELD_NOTE
    assert alone.examples == [LAST_RESORT]  # an answer always has an example to run
    assert without_solutions(page, [], sandbox=None) is page


def test_a_fenced_solution_in_the_text_is_replaced_by_a_sentence_and_the_note_keeps_what_it_said() -> None:
    factorial = _in_progress("factorial")
    page = _page("recursion", "beginner").model_copy(
        update={
            "explanation": f"Like this:\n\n```python\n{factorial.solution}```\n\nThat is recursion.",
            "examples": [Example(code="print(1)", output="1\n")],
            "note": "Answered offline.",
        }
    )

    kept = without_solutions(page, [factorial], sandbox=None)

    assert "def factorial" not in kept.explanation and kept.explanation.endswith("That is recursion.")
    assert "left out here" in kept.explanation
    assert kept.examples == page.examples
    assert kept.note == f"Answered offline. {WITHHELD_NOTE}"
