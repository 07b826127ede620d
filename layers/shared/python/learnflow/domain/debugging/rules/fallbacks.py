"""Situations for a runtime error of any type, tried when no situation of its type recognised it."""

import ast

from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import RuntimeFacts

# what a module of Python's library refusing a value usually means, by module
_LIBRARY_REFUSALS = {
    "json": "the text given to `json.loads` is not valid JSON (keys need double quotes, no trailing commas)",
    "random": "`random` was given an empty sequence or an impossible range",
}


def _guard_of(facts: RuntimeFacts, raised: ast.Raise) -> ast.If | None:
    """The `if` whose body holds the `raise`."""
    return next(
        (
            node
            for node in facts.code.nodes()
            if isinstance(node, ast.If) and any(inner is raised for inner in ast.walk(node))
        ),
        None,
    )


def raised_by_program(facts: RuntimeFacts) -> Diagnosis | None:
    """The student's own `raise` signals a problem: `raise ValueError("age must be positive")`."""
    raises = facts.code.nodes_on_line(facts.line, ast.Raise)
    if not raises:
        return None
    function = facts.code.function_at(facts.line)
    guard = _guard_of(facts, raises[0])
    return Diagnosis(
        situation="raised_by_program",
        kind=facts.kind("your own code raised this error on purpose"),
        pointer=(
            f"Line {facts.line} is a `raise` statement"
            + (f" in `{function.name}`" if function else "")
            + (f", reached because `{ast.unparse(guard.test)}` was true" if guard else "")
            + f': the program itself signals a problem ("{facts.message}").'
            + (
                " It was raised while handling an earlier error, shown above it in the traceback."
                if raises[0].cause
                else ""
            )
        ),
        fix=(
            "Either avoid the situation before calling (check the values you pass), "
            f"or handle it where you call: `try: ... except {facts.error_type}: ...`."
        ),
        line=facts.line,
    )


def raised_in_library(facts: RuntimeFacts) -> Diagnosis | None:
    """The student passes a module of Python's library a value it refuses: `json.loads("{'a': 1}")`."""
    if facts.library is None:
        return None
    what = _LIBRARY_REFUSALS.get(
        facts.library, f"the values your line gave to `{facts.library}` are not what it accepts"
    )
    return Diagnosis(
        situation="library_rejected_value",
        kind=facts.kind(f"Python's `{facts.library}` module refused what your code gave it"),
        pointer=(
            f"The error was raised inside the `{facts.library}` module, called from line {facts.line}: "
            f"{what}. "
            f'Its message says: "{facts.message}".'
        ),
        fix=(
            f"Print the values passed to `{facts.library}` on line {facts.line} "
            "and check them against its documentation."
        ),
        line=facts.line,
    )


def unexplained(facts: RuntimeFacts) -> Diagnosis:
    """Any other error: the message is read with the student, word by word."""
    return Diagnosis(
        situation=f"{facts.error_type.lower()}.other",
        kind=facts.kind("something went wrong while the program ran"),
        pointer=(
            f"On line {facts.line}, Python raised `{facts.error_type}`"
            + (f' with the message "{facts.message}"' if facts.message else "")
            + ". Read the message word by word: it names what Python could not do."
        ),
        fix=(
            "Print the values used on that line just before it runs, to see which one is not what you expect."
        ),
        line=facts.line,
    )
