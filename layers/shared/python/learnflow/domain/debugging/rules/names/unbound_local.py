"""UnboundLocalError: the student reads a function's variable before the function gave it a value."""

import ast
import re

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import RuntimeFacts
from learnflow.domain.debugging.source import SourceCode, indentation_of


def _unbound_name(facts: RuntimeFacts) -> str | None:
    found = re.search(r"local variable '([^']+)'", facts.message)
    return found.group(1) if found else None


def _kind(facts: RuntimeFacts) -> str:
    return facts.kind("a variable of a function is read before the function gave it a value")


def _module_names(code: SourceCode) -> set[str]:
    """The names the main program assigns, imports or loops over at its top level."""
    if code.tree is None:
        return set()
    names: set[str] = set()
    for statement in code.tree.body:
        if isinstance(
            statement, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.For | ast.Import | ast.ImportFrom
        ):
            names |= {
                node.id
                for node in ast.walk(statement)
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
            }
    return names


def assigns_global(facts: RuntimeFacts) -> Diagnosis | None:
    """The student changes a main-program variable inside a function: `count += 1` without `global`."""
    name = _unbound_name(facts)
    function = facts.code.function_at(facts.line)
    if name is None or function is None or name not in _module_names(facts.code):
        return None
    body_indent = indentation_of(facts.code.line(function.body[0].lineno))
    fixed = edits.insert_lines(facts.code.text, function.body[0].lineno, [f"{body_indent}global {name}"])
    return Diagnosis(
        situation="unbound_local.assigns_global",
        kind=_kind(facts),
        pointer=(
            f"`{function.name}` assigns to `{name}` somewhere in its body, "
            f"which makes `{name}` a new local variable in the whole function, "
            f"hiding the `{name}` of the main program. At line {facts.line} the local one has no value yet."
        ),
        fix=(
            f"Best: give `{name}` to the function as a parameter and `return` the new value. "
            f"Quickest: declare `global {name}` as the first line of `{function.name}` "
            f"so it changes the main program's `{name}`."
        ),
        fixed_code=fixed,
        line=facts.line,
    )


def used_before_assignment(facts: RuntimeFacts) -> Diagnosis | None:
    """The student gives a variable a value only inside an `if` or a loop, then reads it after."""
    name = _unbound_name(facts)
    if name is None:
        return None
    return Diagnosis(
        situation="unbound_local.used_before_assignment",
        kind=_kind(facts),
        pointer=(
            f"`{name}` only gets a value on some paths through the function "
            "(for example inside an `if` or a loop that did not run), "
            f"and line {facts.line} is reached without it."
        ),
        fix=(
            f"Give `{name}` a starting value at the top of the function (for example `{name} = 0`), "
            "before any `if` or loop."
        ),
        line=facts.line,
    )
