"""Unpacking: the student spreads a value over more or fewer names than it has parts."""

import ast
import re

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import RuntimeFacts
from learnflow.domain.debugging.source import expression_text


def _items_loop(facts: RuntimeFacts) -> str | None:
    """The program with the failing line's `for key, value in d:` looping over `d.items()` instead."""
    fixed = None
    for loop in facts.code.nodes_on_line(facts.line, ast.For):
        if isinstance(loop.target, ast.Tuple) and isinstance(loop.iter, ast.Name):
            iterated = expression_text(facts.code, loop.iter)
            fixed = edits.replace_text(
                facts.code.text, loop.lineno, f"in {iterated}:", f"in {iterated}.items():"
            )
    return fixed


def wrong_number_of_names(facts: RuntimeFacts) -> Diagnosis | None:
    """The student unpacks into the wrong number of names: `a, b = [1, 2, 3]`, `for k, v in d:`."""
    found = re.search(
        r"(too many|not enough) values to unpack \(expected (\d+)(?:, got (\d+))?\)", facts.message
    )
    if not found:
        return None
    fixed = _items_loop(facts)
    return Diagnosis(
        situation="value_error.unpacking",
        kind=facts.kind("values are spread over a different number of names"),
        pointer=(
            f"On line {facts.line}, {found.group(2)} names receive the parts of a value that has "
            + (f"{found.group(3)} parts." if found.group(3) else "more parts than that.")
            + " The number of names on the left must equal the number of items on the right."
        ),
        fix=(
            "To loop over a dictionary's keys and values together, use `.items()`."
            if fixed
            else "Make the number of names match the number of items "
            "(print the value to see how many it has)."
        ),
        fixed_code=fixed,
        line=facts.line,
    )
