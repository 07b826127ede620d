"""Iterators: the student asks a used-up iterator for more, or changes a collection while looping over it."""

import ast

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import RuntimeFacts
from learnflow.domain.debugging.source import expression_text


def _next_with_default(facts: RuntimeFacts) -> str | None:
    """The program with the failing line's `next(iterator)` given the default `None`."""
    calls = [
        node
        for node in facts.code.nodes_on_line(facts.line, ast.Call)
        if isinstance(node.func, ast.Name) and node.func.id == "next" and len(node.args) == 1
    ]
    if not calls:
        return None
    return edits.replace_text(
        facts.code.text,
        facts.line or 0,
        expression_text(facts.code, calls[0]),
        f"next({expression_text(facts.code, calls[0].args[0])}, None)",
    )


def iterator_used_up(facts: RuntimeFacts) -> Diagnosis | None:
    """The student calls `next()` on an iterator that has no items left."""
    return Diagnosis(
        situation="stop_iteration",
        kind=facts.kind("an iterator had no items left"),
        pointer=(
            f"On line {facts.line}, `next(...)` asked for the next item of an iterator "
            "that was already used up. "
            "An iterator can be gone through only once."
        ),
        fix=(
            "Give `next` a default for when nothing is left, `next(iterator, None)`, "
            "or loop with `for item in iterator:`."
        ),
        fixed_code=_next_with_default(facts),
        line=facts.line,
    )


def _loop_over_a_copy(facts: RuntimeFacts) -> str | None:
    """The program with the loop nearest the failing line going over `list(...)` of its collection."""
    loops = [
        (loop, loop.iter.id)
        for loop in facts.code.nodes()
        if isinstance(loop, ast.For) and isinstance(loop.iter, ast.Name)
    ]
    if not loops:
        return None
    loop, name = min(loops, key=lambda found: abs(found[0].lineno - (facts.line or 0)))
    return edits.replace_text(facts.code.text, loop.lineno, f"in {name}:", f"in list({name}):")


def changed_while_looping(facts: RuntimeFacts) -> Diagnosis | None:
    """The student adds or deletes keys of a dictionary inside a loop over it: `for k in d: del d[k]`."""
    if "changed size during iteration" not in facts.message:
        return None
    return Diagnosis(
        situation="logic.modify_while_iterating",
        kind=facts.kind("a dictionary or set changed while a loop went through it"),
        pointer=(
            f"The loop near line {facts.line} adds or removes keys of the dictionary (or set) "
            "it is going through. "
            "Python cannot keep its place when the collection changes under it."
        ),
        fix="Loop over a copy of the keys, `for key in list(d):`, and change the original inside the loop.",
        fixed_code=_loop_over_a_copy(facts),
        line=facts.line,
    )
