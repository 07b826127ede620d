"""TypeError "object is not callable": the student puts `(...)` after a value that is not a function."""

import ast
import re

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import RuntimeFacts
from learnflow.domain.debugging.source import BUILTIN_NAMES, SourceCode


def _called_type(facts: RuntimeFacts) -> str | None:
    found = re.search(r"'(\w+)' object is not callable", facts.message)
    return found.group(1) if found else None


def _is_call_target(code: SourceCode, name: ast.Name) -> bool:
    return any(isinstance(node, ast.Call) and node.func is name for node in code.nodes())


def _shadowing_assignment(facts: RuntimeFacts) -> ast.Name | None:
    """The first assignment to a built-in function's name that the failing line then calls."""
    called_on_line = {
        node.func.id
        for node in facts.code.nodes_on_line(facts.line, ast.Call)
        if isinstance(node.func, ast.Name)
    }
    for node in facts.code.nodes():
        if (
            isinstance(node, ast.Name)
            and isinstance(node.ctx, ast.Store)
            and node.id in BUILTIN_NAMES
            and node.id in called_on_line
        ):
            return node
    return None


def _renamed(code: SourceCode, old: str, new: str) -> str:
    """The program with every use of `old` as a value (not as a call) renamed to `new`."""
    fixed = code.text
    uses = (
        n for n in code.nodes() if isinstance(n, ast.Name) and n.id == old and not _is_call_target(code, n)
    )
    for use in sorted(uses, key=lambda n: (n.lineno, n.col_offset), reverse=True):
        fixed = edits.replace_span(
            fixed, (use.lineno, use.col_offset), (use.lineno, use.end_col_offset or 0), new
        )
    return fixed


def shadowed_builtin(facts: RuntimeFacts) -> Diagnosis | None:
    """The student names a variable like a built-in function, then calls it: `sum = 0` then `sum(items)`."""
    type_name = _called_type(facts)
    variable = _shadowing_assignment(facts) if type_name is not None else None
    if variable is None:
        return None
    new_name = f"my_{variable.id}"
    return Diagnosis(
        situation="type_error.shadowed_builtin",
        kind=facts.kind("something that is not a function is called like one"),
        pointer=(
            f"Line {variable.lineno} uses `{variable.id}` as a variable name. "
            f"That hides Python's built-in function `{variable.id}()`, "
            f"so on line {facts.line} `{variable.id}(...)` calls your {type_name} instead."
        ),
        fix=(
            f"Give your variable another name, such as `{new_name}`, "
            f"so that `{variable.id}()` is the built-in function again."
        ),
        fixed_code=_renamed(facts.code, variable.id, new_name),
        line=facts.line,
    )


def number_called(facts: RuntimeFacts) -> Diagnosis | None:
    """The student writes multiplication as in maths: `2(x + 1)`."""
    type_name = _called_type(facts)
    missing_operator = re.search(r"(\w|\))\s*\(", facts.text)
    number_call = re.search(r"(?<![\w.])(\d+(?:\.\d+)?|\))\s*\(", facts.text)
    if not (number_call and type_name in {"int", "float", "tuple"} and missing_operator):
        return None
    position = number_call.end() - 1
    fixed_line = facts.text[:position].rstrip() + " * " + facts.text[position:]
    return Diagnosis(
        situation="type_error.missing_operator",
        kind=facts.kind("a number is called like a function"),
        pointer=(
            f"On line {facts.line}, a number is directly followed by `(`. "
            "In maths `2(x + 1)` means multiply, "
            "but in Python brackets after a value mean 'call it as a function'."
        ),
        fix=f"Write the multiplication sign: `{fixed_line.strip()}`",
        fixed_code=edits.replace_line(facts.code.text, facts.line or 0, fixed_line)
        if facts.code.text
        else None,
        line=facts.line,
    )


def value_called(facts: RuntimeFacts) -> Diagnosis | None:
    """The student calls a value that is not a function: `items(0)` for `items[0]`."""
    type_name = _called_type(facts)
    if type_name is None:
        return None
    return Diagnosis(
        situation="type_error.not_callable",
        kind=facts.kind("something that is not a function is called like one"),
        pointer=(
            f"On line {facts.line}, a value of type `{type_name}` is followed by `(...)`, "
            "which means calling it. "
            f"Only functions (and classes) can be called; a `{type_name}` cannot."
        ),
        fix=(
            "Remove the brackets if you meant the value itself, use `[...]` if you meant an index, "
            "or check that the name still refers to the function and was not reused for a value."
        ),
        line=facts.line,
    )
