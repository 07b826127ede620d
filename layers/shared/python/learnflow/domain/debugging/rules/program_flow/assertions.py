"""AssertionError: an `assert` in the student's program finds its condition false."""

import ast

from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import RuntimeFacts
from learnflow.domain.debugging.source import expression_text


def assertion_failed(facts: RuntimeFacts) -> Diagnosis | None:
    """The student's `assert total == 10` meets a value it does not expect."""
    asserts = facts.code.nodes_on_line(facts.line, ast.Assert)
    condition = expression_text(facts.code, asserts[0].test) if asserts else None
    return Diagnosis(
        situation="assertion_error",
        kind=facts.kind("an `assert` found its condition false"),
        pointer=(
            f"On line {facts.line}, "
            + (f"`assert {condition}` " if condition else "an assertion ")
            + "checks something that should be true at that point, and it was not"
            + (f": {facts.message}" if facts.message else "")
            + ". The assertion is right to complain: the values before it are not what it expects."
        ),
        fix=(
            "Print the values the condition uses just before the assert, "
            "and trace back where the wrong one comes from."
        ),
        line=facts.line,
    )
