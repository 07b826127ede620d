"""Positions in sequences: the student asks for an item a list, text or tuple does not have."""

import ast
import re

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.logic_checks import logic_problem_near
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import RuntimeFacts
from learnflow.domain.debugging.source import expression_text


def pop_from_empty_list(facts: RuntimeFacts) -> Diagnosis | None:
    """The student pops from a list that is already empty: `stack.pop()` after the last item."""
    if "pop from empty list" not in facts.message:
        return None
    return Diagnosis(
        situation="index_error.pop_empty",
        kind=facts.kind("an item was taken out of an empty list"),
        pointer=f"On line {facts.line}, `.pop()` is called on a list that has no items left.",
        fix="Check that the list is not empty first: `if items: value = items.pop()`.",
        line=facts.line,
    )


def choice_from_empty_sequence(facts: RuntimeFacts) -> Diagnosis | None:
    """The student picks from an empty list: `random.choice([])`."""
    if "empty sequence" not in facts.message:
        return None
    return Diagnosis(
        situation="index_error.empty_sequence",
        kind=facts.kind("something was picked out of an empty sequence"),
        pointer=(
            f"On line {facts.line}, a function that picks an item (like `random.choice`) "
            "got a list with no items."
        ),
        fix=(
            "Check that the list is not empty before picking from it: "
            "`if options: pick = random.choice(options)`."
        ),
        line=facts.line,
    )


def _out_of_range(facts: RuntimeFacts) -> str | None:
    """The kind of sequence an "index out of range" message names."""
    found = re.search(r"(list|string|tuple|range object) index out of range", facts.message)
    return found.group(1) if found else None


def index_past_the_end_in_loop(facts: RuntimeFacts) -> Diagnosis | None:
    """The student loops one step too far: `for i in range(len(items) + 1): items[i]`."""
    if _out_of_range(facts) is None:
        return None
    off_by_one = logic_problem_near(facts.code, facts.line, {"logic.off_by_one"})
    if off_by_one is None:
        return None
    kind = facts.kind("a position past the end of a sequence was used") + " " + off_by_one.kind
    return off_by_one.model_copy(update={"kind": kind})


def index_out_of_range(facts: RuntimeFacts) -> Diagnosis | None:
    """The student asks for a position the sequence does not have: `items[3]` of a 3-item list."""
    sequence = _out_of_range(facts)
    if sequence is None:
        return None
    subscripts = facts.code.nodes_on_line(facts.line, ast.Subscript)
    shown = expression_text(facts.code, subscripts[0]) if subscripts else None
    return Diagnosis(
        situation="index_error.out_of_range",
        kind=facts.kind(f"a position that does not exist in a {sequence.split()[0]} was used"),
        pointer=(
            f"On line {facts.line}, "
            + (f"`{shown}` " if shown else "an index ")
            + "asks for a position the sequence does not have. "
            "A sequence of n items has positions 0 to n - 1; an empty one has none."
        ),
        fix=(
            "Print the length and the index just before that line. Loop with `for item in items:` or "
            "`range(len(items))`, and check `if i < len(items):` before using a computed position."
        ),
        line=facts.line,
    )


def _division_made_whole(facts: RuntimeFacts) -> str | None:
    """The program with the last `/` division up to the failing line turned into `//`."""
    fixed = None
    for node in facts.code.nodes():
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and node.lineno <= (facts.line or 0):
            divided = expression_text(facts.code, node)
            fixed = edits.replace_text(facts.code.text, node.lineno, divided, divided.replace("/", "//", 1))
    return fixed


def index_of_wrong_type(facts: RuntimeFacts) -> Diagnosis | None:
    """The student indexes with text or a float: `items[item]` inside `for item in items`, `items[n / 2]`."""
    found = re.search(
        r"(string|list|tuple) indices must be integers(?: or slices)?(?:, not '?(\w+)'?)?", facts.message
    )
    if not found:
        return None
    sequence, wrong = found.group(1), found.group(2) or "str"
    return Diagnosis(
        situation="type_error.index_type",
        kind=facts.kind(f"a position in a {sequence} is given as a {wrong}"),
        pointer=(
            f"On line {facts.line}, the value inside `[...]` is a `{wrong}`, "
            f"but positions in a {sequence} are whole numbers (0, 1, 2, ...)."
            + (" Dividing with `/` always gives a float, even 4 / 2 gives 2.0." if wrong == "float" else "")
            + (
                " When you loop with `for item in ...`, `item` is already the element, not its position."
                if wrong == "str"
                else ""
            )
        ),
        fix=(
            "Use `//` for a division whose result is a position."
            if wrong == "float"
            else "Use the element directly, "
            "or loop over `range(len(...))` / `enumerate(...)` to get positions."
        ),
        fixed_code=_division_made_whole(facts) if wrong == "float" else None,
        line=facts.line,
    )


def value_not_in_list(facts: RuntimeFacts) -> Diagnosis | None:
    """The student removes or looks up a value the list does not hold: `items.remove(7)`."""
    if not re.search(r"x not in list|is not in list", facts.message):
        return None
    return Diagnosis(
        situation="value_error.not_in_list",
        kind=facts.kind("a list was asked for an item it does not contain"),
        pointer=(
            f"On line {facts.line}, `.remove()` or `.index()` looks for a value that is not in the list. "
            "Unlike `in`, these methods raise an error when the value is missing."
        ),
        fix="Check first: `if value in items: items.remove(value)`.",
        line=facts.line,
    )
