"""An explanation for a student with exercises open keeps no code that solves one of them.

Whichever engine wrote it (an LLM answer that passed the guard may still carry the curriculum's
examples; a curriculum page may hold a bank exercise's solution), each example and each fenced
block is checked with `solution_leak`; those that solve an open exercise are left out and the
answer's note says why.
"""

from collections.abc import Sequence

from learnflow.domain.concepts import Example, Explanation
from learnflow.domain.guardrails.code_spans import replace_fenced_blocks
from learnflow.domain.guardrails.solution_leak import OpenExercise, solution_leak
from learnflow.domain.models import ExerciseInProgress
from learnflow.domain.ports import Sandbox

WITHHELD_NOTE = (
    "Some code is left out of this answer because it would solve an exercise you are working on."
    " Try the exercise yourself first; its hints are there when you need them."
)
LAST_RESORT = Example(
    code='print("Write your own attempt in the exercise, then run it.")',
    output="Write your own attempt in the exercise, then run it.\n",
)
WITHHELD_BLOCK = "\n*(An example is left out here: it would solve an exercise you are working on.)*\n"


def without_solutions(
    explanation: Explanation,
    open_exercises: Sequence[ExerciseInProgress],
    sandbox: Sandbox | None,
    spares: Sequence[Example] = (),
) -> Explanation:
    """`explanation` without the code that solves one of `open_exercises` (unchanged when none does).

    An answer keeps at least one example: the first of `spares` (the concept's examples at other
    levels) that solves none, else one that says where the student's own attempt belongs."""
    if not open_exercises:
        return explanation
    exercises = [OpenExercise.of(exercise) for exercise in open_exercises]

    def solves_one(code: str) -> bool:
        return any(solution_leak([code], exercise, sandbox) for exercise in exercises)

    examples = [example for example in explanation.examples if not solves_one(example.code)]
    if not examples:
        examples = [next((spare for spare in spares if not solves_one(spare.code)), LAST_RESORT)]
    text = replace_fenced_blocks(
        explanation.explanation, lambda code: WITHHELD_BLOCK if solves_one(code) else None
    )
    if examples == explanation.examples and text == explanation.explanation:
        return explanation
    note = " ".join(part for part in (explanation.note, WITHHELD_NOTE) if part)
    return explanation.model_copy(update={"examples": examples, "explanation": text, "note": note})
