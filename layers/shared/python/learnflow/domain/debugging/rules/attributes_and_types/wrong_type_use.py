"""TypeError of a value's abilities: the student indexes, loops over, measures or changes a value
whose type cannot do that."""

import ast
import re

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import RuntimeFacts
from learnflow.domain.debugging.source import SourceCode, expression_text

_FUNCTION_TYPES = frozenset({"function", "builtin_function_or_method", "method", "type"})


def _not_subscriptable_type(facts: RuntimeFacts) -> str | None:
    found = re.search(r"'(\w+)' object is not subscriptable", facts.message)
    return found.group(1) if found else None


def function_with_brackets(facts: RuntimeFacts) -> Diagnosis | None:
    """The student calls a function with square brackets: `len[items]`."""
    if _not_subscriptable_type(facts) not in _FUNCTION_TYPES:
        return None
    call = re.search(r"\b([A-Za-z_]\w*)\[([^\]]*)\]", facts.text)
    fixed = None
    if call and facts.code.text:
        fixed = edits.replace_text(
            facts.code.text, facts.line or 0, call.group(0), f"{call.group(1)}({call.group(2)})"
        )
    return Diagnosis(
        situation="type_error.function_with_brackets",
        kind=facts.kind("square brackets are used on a function"),
        pointer=(
            f"On line {facts.line}, "
            + (f"`{call.group(1)}` is a function, " if call else "a function ")
            + "and it is followed by `[...]`. "
            "Square brackets pick an item out of a list, text or dictionary; "
            "a function is called with round brackets."
        ),
        fix="Call the function with round brackets"
        + (f": `{call.group(1)}({call.group(2)})`" if call else "."),
        fixed_code=fixed,
        line=facts.line,
    )


def not_subscriptable(facts: RuntimeFacts) -> Diagnosis | None:
    """The student picks an item out of a single value: `count[0]` where `count` is a number."""
    type_name = _not_subscriptable_type(facts)
    if type_name is None:
        return None
    return Diagnosis(
        situation="type_error.not_subscriptable",
        kind=facts.kind("square brackets are used on a value that has no items"),
        pointer=(
            f"On line {facts.line}, a value of type `{type_name}` is followed by `[...]`. "
            "Only sequences and collections (text, lists, tuples, dictionaries) have items to pick; "
            f"a `{type_name}` has none."
        ),
        fix=(
            f"Check which variable on that line holds the `{type_name}` (print it); "
            "you may have meant the list or text it came from, or reused the variable's name for a number."
        ),
        line=facts.line,
    )


def not_iterable(facts: RuntimeFacts) -> Diagnosis | None:
    """The student loops over a number: `for i in 10:`."""
    found = re.search(r"'(\w+)' object is not iterable", facts.message)
    if not found:
        return None
    type_name = found.group(1)
    fixed = None
    loops = facts.code.nodes_on_line(facts.line, ast.For)
    if loops and type_name in {"int", "float"}:
        iterated = loops[0].iter
        fixed = edits.replace_span(
            facts.code.text,
            (iterated.lineno, iterated.col_offset),
            (iterated.end_lineno or iterated.lineno, iterated.end_col_offset or 0),
            f"range({expression_text(facts.code, iterated)})",
        )
    fixed_line = SourceCode.of(fixed).line(facts.line).strip() if fixed else None
    return Diagnosis(
        situation="type_error.not_iterable",
        kind=facts.kind("a loop (or unpacking) goes through a value that has no items"),
        pointer=(
            f"On line {facts.line}, Python was asked to go through the items of a `{type_name}`, one by one. "
            f"A `{type_name}` is a single value with no items to go through."
        ),
        fix=(
            "To repeat something a number of times, loop over `range(number)`"
            + (f": `{fixed_line}`" if fixed_line else ".")
        ),
        fixed_code=fixed,
        line=facts.line,
    )


def item_assignment_on_immutable(facts: RuntimeFacts) -> Diagnosis | None:
    """The student changes one letter of a text in place: `word[0] = 'J'`."""
    found = re.search(r"'(str|tuple)' object does not support item assignment", facts.message)
    if not found:
        return None
    type_name = found.group(1)
    return Diagnosis(
        situation="type_error.immutable",
        kind=facts.kind(f"one item of a {type_name} is changed"),
        pointer=(
            f"On line {facts.line}, `[...] = ` tries to change one item of a `{type_name}`, "
            f"but a `{type_name}` cannot be changed once created."
        ),
        fix=(
            "Build a new text instead, e.g. `word = word[:i] + new + word[i + 1:]`, "
            "or work on `list(word)` and join it back with `''.join(...)`."
            if type_name == "str"
            else "Use a list, which can be changed, or build a new tuple."
        ),
        line=facts.line,
    )


def length_of_single_value(facts: RuntimeFacts) -> Diagnosis | None:
    """The student asks the length of a number: `len(12345)`."""
    found = re.search(r"object of type '(\w+)' has no len\(\)", facts.message)
    if not found:
        return None
    return Diagnosis(
        situation="type_error.no_len",
        kind=facts.kind("the length of a value that has no length is asked for"),
        pointer=(
            f"On line {facts.line}, `len()` is given a `{found.group(1)}`, "
            "which is a single value, not a collection."
        ),
        fix=(
            "For the number of digits, use `len(str(number))`; otherwise pass the list or text you meant."
            if found.group(1) in {"int", "float"}
            else "Pass `len()` the list, text or dictionary you meant."
        ),
        line=facts.line,
    )
