"""RecursionError: the student's function calls itself without ever stopping."""

import ast
from typing import TypeGuard

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import RuntimeFacts
from learnflow.domain.debugging.source import expression_text


def _kind(facts: RuntimeFacts) -> str:
    return facts.kind("a function kept calling itself until Python stopped it")


def _calls(node: ast.AST, name: str) -> TypeGuard[ast.Call]:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name


def _recursive_function(facts: RuntimeFacts) -> ast.FunctionDef | None:
    """The first function of the program that calls itself by name."""
    for function in facts.code.nodes():
        if isinstance(function, ast.FunctionDef) and any(
            _calls(node, function.name) for node in ast.walk(function)
        ):
            return function
    return None


def _has_base_case(function: ast.FunctionDef) -> bool:
    """Whether some `if` in the function returns without calling it again."""
    return any(
        isinstance(node, ast.If)
        and any(
            isinstance(inner, ast.Return)
            and not any(
                isinstance(call, ast.Call) and getattr(call.func, "id", None) == function.name
                for call in ast.walk(inner)
            )
            for inner in ast.walk(node)
        )
        for node in ast.walk(function)
    )


def _parameters(function: ast.FunctionDef) -> list[str]:
    return [argument.arg for argument in function.args.args]


def _call_with_same_arguments(function: ast.FunctionDef) -> ast.Call | None:
    """A call of the function, inside it, passing exactly the parameters it received."""
    parameters = _parameters(function)
    for node in ast.walk(function):
        if _calls(node, function.name) and [ast.unparse(argument) for argument in node.args] == parameters:
            return node
    return None


def calls_too_deep(facts: RuntimeFacts) -> Diagnosis | None:
    """The student's functions call one another in an endless chain, none of them calling itself."""
    if _recursive_function(facts) is not None:
        return None
    return Diagnosis(
        situation="recursion.too_deep",
        kind=_kind(facts),
        pointer=(
            "Functions called each other more than about 1000 levels deep, so Python stopped the program."
        ),
        fix="Make sure every chain of calls reaches a case that returns without calling again.",
        line=facts.line,
    )


def recursion_without_progress(facts: RuntimeFacts) -> Diagnosis | None:
    """The student's recursive call passes the same arguments again: `return n * factorial(n)`."""
    function = _recursive_function(facts)
    if function is None or not _has_base_case(function) or not _parameters(function):
        return None
    call = _call_with_same_arguments(function)
    if call is None:
        return None
    first, *others = _parameters(function)
    fixed_call = f"{function.name}({', '.join([f'{first} - 1', *others])})"
    return Diagnosis(
        situation="recursion.no_progress",
        kind=_kind(facts),
        pointer=(
            f"`{function.name}` (line {function.lineno}) calls itself "
            "with exactly the arguments it received, "
            "so each call is the same problem again and never gets closer to its base case."
        ),
        fix=(
            f"Call it on a smaller problem, e.g. `{fixed_call}`, so that the base case is eventually reached."
        ),
        fixed_code=edits.replace_text(
            facts.code.text, call.lineno, expression_text(facts.code, call), fixed_call
        ),
        line=call.lineno,
    )


def recursion_without_end(facts: RuntimeFacts) -> Diagnosis | None:
    """The student's recursive function has no base case, or one its calls never reach."""
    function = _recursive_function(facts)
    if function is None:
        return None
    has_base = _has_base_case(function)
    return Diagnosis(
        situation="recursion.base_case_not_reached" if has_base else "recursion.no_base_case",
        kind=_kind(facts),
        pointer=(
            f"`{function.name}` (line {function.lineno}) calls itself, "
            + (
                "and its base case is never reached with these arguments "
                "(check its condition and the argument of the recursive call)."
                if has_base
                else "but has no base case: no `if` that returns without calling again."
            )
        ),
        fix=(
            f"Start `{function.name}` with a base case, e.g. `if n <= 0: return ...`, "
            "and make every recursive call work on a smaller value."
        ),
        line=facts.line,
    )
