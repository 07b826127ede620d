"""EOFError: the student's program asks for more input than it was given."""

from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import RuntimeFacts


def input_ran_out(facts: RuntimeFacts) -> Diagnosis | None:
    """The student's `input()` runs with nothing left to read: more `input()` calls than lines typed."""
    return Diagnosis(
        situation="eof_error.no_input",
        kind=facts.kind("`input()` had nothing left to read"),
        pointer=(
            f"On line {facts.line}, `input()` waited for a line to read, "
            "but the input was empty or already used up."
        ),
        fix=(
            "Provide the input your program asks for (one line per `input()` call), "
            "or check that it asks only as often as needed."
        ),
        line=facts.line,
    )
