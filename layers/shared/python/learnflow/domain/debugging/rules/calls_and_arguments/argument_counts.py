"""The student calls a function or method with the wrong number of arguments."""

import ast
import re

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import RuntimeFacts

_TOO_MANY = re.compile(r"(\w+)\(\) takes (\d+) positional arguments? but (\d+) (?:were|was) given")
_MISSING = re.compile(r"(\w+)\(\) missing (\d+) required positional arguments?: (.+)$")


def _method_named(facts: RuntimeFacts, name: str) -> ast.FunctionDef | None:
    """The first method called `name` in a class of the student's program."""
    return next(
        (
            node
            for node in facts.code.nodes()
            if isinstance(node, ast.ClassDef)
            for node in node.body
            if isinstance(node, ast.FunctionDef) and node.name == name
        ),
        None,
    )


def method_without_self(facts: RuntimeFacts) -> Diagnosis | None:
    """The student defines a method without `self`: `def greet():` inside a class, called as `pet.greet()`."""
    too_many = _TOO_MANY.search(facts.message)
    if not too_many:
        return None
    name = too_many.group(1)
    method = _method_named(facts, name)
    if method is None or (method.args.args and method.args.args[0].arg == "self"):
        return None
    header = facts.code.line(method.lineno)
    fixed_header = header.replace(f"{name}(", f"{name}(self, " if method.args.args else f"{name}(self", 1)
    return Diagnosis(
        situation="type_error.missing_self",
        kind=facts.kind("a method received more arguments than it accepts"),
        pointer=(
            f"`{name}` is a method of a class (line {method.lineno}). "
            f"When you call `object.{name}(...)`, Python passes the object itself as the first argument, "
            f"and `{name}` has no parameter to receive it."
        ),
        fix=f"Add `self` as the first parameter of the method: `{fixed_header.strip()}`",
        fixed_code=edits.replace_line(facts.code.text, method.lineno, fixed_header),
        line=facts.line,
    )


def wrong_argument_count(facts: RuntimeFacts) -> Diagnosis | None:
    """The student passes more or fewer values than the function has parameters: `add(1)` for `add(a, b)`."""
    too_many = _TOO_MANY.search(facts.message)
    missing = _MISSING.search(facts.message)
    if too_many:
        name = too_many.group(1)
        problem = f"{too_many.group(3)} arguments but its definition accepts {too_many.group(2) or '?'}."
    elif missing:
        name = missing.group(1)
        problem = f"too few arguments: it still needs {missing.group(3)}."
    else:
        return None
    return Diagnosis(
        situation="type_error.argument_count",
        kind=facts.kind("a function was called with the wrong number of arguments"),
        pointer=f"On line {facts.line}, `{name}` is called with {problem}",
        fix=(
            f"Compare the call with the `def {name}(...)` line: "
            "give exactly one value for each parameter, in the same order."
        ),
        line=facts.line,
    )
