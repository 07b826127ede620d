"""A value is `None` where the student expected something else."""

import ast

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.logic_checks import functions_without_return, missing_return_help
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import RuntimeFacts
from learnflow.domain.debugging.rules.situations import first_match
from learnflow.domain.debugging.source import expression_text, indentation_of

_METHODS_RETURNING_NONE = frozenset(
    {"append", "sort", "reverse", "extend", "insert", "remove", "clear", "update"}
)


def _kind(facts: RuntimeFacts) -> str:
    return facts.kind("a value is None where something else was expected")


def _assignment_of_method_result(facts: RuntimeFacts) -> tuple[ast.Assign, str] | None:
    """The first `x = x.sort()`-like line, and the method it calls."""
    for node in facts.code.nodes():
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute)
            and node.value.func.attr in _METHODS_RETURNING_NONE
            and len(node.targets) == 1
        ):
            return node, node.value.func.attr
    return None


def none_from_method(facts: RuntimeFacts) -> Diagnosis | None:
    """The student stores what a list method returns: `numbers = numbers.sort()` makes it None."""
    if "NoneType" not in facts.message:
        return None
    found = _assignment_of_method_result(facts)
    if found is None:
        return None
    node, method = found
    target = expression_text(facts.code, node.targets[0])
    call = expression_text(facts.code, node.value)
    fixed_line = indentation_of(facts.code.line(node.lineno)) + call
    return Diagnosis(
        situation="type_error.none_from_method",
        kind=_kind(facts),
        pointer=(
            f"Line {node.lineno} stores the result of `.{method}()` in `{target}`. "
            f"That method changes the list itself and returns `None`, so `{target}` becomes `None`."
        ),
        fix=f"Call the method on its own line without assigning its result: `{fixed_line.strip()}`",
        fixed_code=edits.replace_line(facts.code.text, node.lineno, fixed_line),
        line=node.lineno,
    )


def none_from_function_without_return(facts: RuntimeFacts) -> Diagnosis | None:
    """The student uses the result of their own function that has no `return`: `total = add(1, 2) + 1`."""
    if "NoneType" not in facts.message:
        return None
    no_return = functions_without_return(facts.code)
    called_here = [
        node.func.id
        for node in facts.code.nodes()
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in no_return
    ]
    if not called_here:
        return None
    function = no_return[called_here[0]]
    help_ = missing_return_help(facts.code, function, facts.line or function.lineno)
    return help_.model_copy(
        update={
            "kind": _kind(facts),
            "pointer": (
                f"On line {facts.line}, a value is `None`: "
                f"it comes from `{function.name}`, which never returns a value. " + help_.pointer
            ),
            "line": facts.line,
        }
    )


def none_value(facts: RuntimeFacts) -> Diagnosis | None:
    """The student uses a value that turned out to be `None`: `None + 1`, `None[0]`."""
    if "NoneType" not in facts.message:
        return None
    return Diagnosis(
        situation="type_error.none_value",
        kind=_kind(facts),
        pointer=(
            f"On line {facts.line}, one of the values is `None` (nothing). "
            "`None` usually comes from a function that has no `return`, "
            "or from a method like `.sort()` or `.append()` that changes a list and returns None."
        ),
        fix=(
            "Print the values on that line to see which one is None, "
            "then make the function that produced it `return` a value."
        ),
        line=facts.line,
    )


NONE_SITUATIONS = (none_from_method, none_from_function_without_return, none_value)


def none_help(facts: RuntimeFacts) -> Diagnosis | None:
    """Help for a `None` value, from whichever of the situations above recognises it."""
    return first_match(NONE_SITUATIONS, facts)
