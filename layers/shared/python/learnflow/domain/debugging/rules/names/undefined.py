"""NameError: the student uses a name that has no value at that point of the program."""

import ast
import re

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import RuntimeFacts
from learnflow.domain.debugging.rules.names.imports import COMMON_MODULES
from learnflow.domain.debugging.source import BUILTIN_NAMES, SourceCode, close_matches


def _unknown_name(facts: RuntimeFacts) -> str | None:
    found = re.match(r"name '([^']+)' is not defined", facts.message)
    return found.group(1) if found else None


def _kind(facts: RuntimeFacts) -> str:
    return facts.kind("Python met a name it does not know")


def missing_import(facts: RuntimeFacts) -> Diagnosis | None:
    """The student uses a standard module without importing it: `math.sqrt(16)` with no `import math`."""
    name = _unknown_name(facts)
    if name is None or name not in COMMON_MODULES or name in facts.code.defined_names():
        return None
    fixed = edits.insert_lines(facts.code.text, 1, [f"import {name}"]) if facts.code.text else None
    return Diagnosis(
        situation="name_error.missing_import",
        kind=_kind(facts),
        pointer=(
            f"`{name}` is a module of Python's standard library, but a module is only available after it is "
            f"imported, and your program never imports `{name}`."
        ),
        fix=f"Add `import {name}` at the top of your program, before the first line that uses `{name}`.",
        fixed_code=fixed,
        line=facts.line,
    )


def _names_spelled_alike(facts: RuntimeFacts, name: str) -> list[str]:
    """Names visible at the line that are spelled like `name`, Python's own suggestion first."""
    in_scope = facts.code.names_in_scope(facts.line) if facts.code.tree is not None else set(BUILTIN_NAMES)
    candidates = close_matches(name, in_scope)
    hinted = re.search(r"Did you mean: '([^']+)'", facts.message)
    if hinted and hinted.group(1) not in candidates:
        candidates.insert(0, hinted.group(1))
    return candidates


def misspelled_name(facts: RuntimeFacts) -> Diagnosis | None:
    """The student misspells a name the program or Python defines: `print(totl_price)`, `Print(...)`."""
    name = _unknown_name(facts)
    candidates = _names_spelled_alike(facts, name) if name is not None else []
    if name is None or not candidates:
        return None
    best = candidates[0]
    fixed = edits.replace_word(facts.code.text, facts.line or 0, name, best) if facts.code.text else None
    fixed_line = facts.code.line(facts.line) if fixed is None else SourceCode.of(fixed).line(facts.line)
    others = ", ".join(f"`{other}`" for other in candidates[1:])
    return Diagnosis(
        situation="name_error.typo",
        kind=_kind(facts),
        pointer=(
            f"On line {facts.line}, `{name}` is not a name your program defines, but "
            + (
                "a name spelled almost the same is defined in your program. "
                if best in facts.code.defined_names()
                else "Python has a built-in name spelled almost the same. "
            )
            + "Names must match exactly, including upper and lower case."
        ),
        fix=(
            f"Did you mean `{best}`?"
            + (f" (other close names: {others})" if len(candidates) > 1 else "")
            + (f" Write `{fixed_line.strip()}`" if fixed is not None else "")
        ),
        fixed_code=fixed,
        line=facts.line,
        suggestions=tuple(candidates),
    )


def used_before_definition(facts: RuntimeFacts) -> Diagnosis | None:
    """The student uses a name above the line that gives it a value: `print(total)` then `total = 5`."""
    name = _unknown_name(facts)
    if name is None or facts.code.tree is None or facts.line is None:
        return None
    later = [
        node.lineno
        for node in facts.code.nodes()
        if (
            (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id == name)
            or (isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == name)
        )
        and node.lineno > facts.line
    ]
    if not later:
        return None
    return Diagnosis(
        situation="name_error.used_before_definition",
        kind=_kind(facts),
        pointer=(
            f"`{name}` is used on line {facts.line}, but it only gets its value on line {later[0]}. "
            f"Python runs your program from top to bottom, so at line {facts.line} that has not happened yet."
        ),
        fix=(
            f"Move the line that defines `{name}` (line {later[0]}) above line {facts.line}, "
            "where it is first used."
        ),
        line=facts.line,
    )


def _function_with_local(facts: RuntimeFacts, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """A function, other than the one holding the failing line, in which `name` is a local variable."""
    for node in facts.code.nodes():
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        end = node.end_lineno or node.lineno
        if facts.line is not None and node.lineno <= facts.line <= end:
            continue
        local = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        local |= {argument.arg for argument in node.args.args}
        if name in local:
            return node
    return None


def local_variable_outside_function(facts: RuntimeFacts) -> Diagnosis | None:
    """The student reads a function's local variable outside it: `def f(): total = 1`, then `print(total)`."""
    name = _unknown_name(facts)
    function = _function_with_local(facts, name) if name is not None else None
    if function is None:
        return None
    return Diagnosis(
        situation="name_error.local_variable_outside_function",
        kind=_kind(facts),
        pointer=(
            f"`{name}` exists only inside the function `{function.name}` (line {function.lineno}): "
            "a variable created in a function disappears when the function ends, "
            "and the rest of the program cannot see it."
        ),
        fix=(
            f"Return the value from `{function.name}` (`return {name}`) and store what the call gives back: "
            f"`{name} = {function.name}(...)`."
        ),
        line=facts.line,
    )


def text_without_quotes(facts: RuntimeFacts) -> Diagnosis | None:
    """The student forgets the quotes around a piece of text: `if answer == yes:`, `print(hello)`."""
    name = _unknown_name(facts)
    if name is None:
        return None
    word = re.escape(name)
    compared = re.search(rf"(==|!=)\s*{word}\b|\b{word}\s*(==|!=)", facts.text)
    printed = re.search(rf"\b(print|input)\(\s*{word}\s*\)", facts.text)
    if not compared and not printed:
        return None
    fixed = (
        edits.replace_word(facts.code.text, facts.line or 0, name, f'"{name}"') if facts.code.text else None
    )
    return Diagnosis(
        situation="name_error.missing_quotes",
        kind=_kind(facts),
        pointer=(
            f"On line {facts.line}, `{name}` has no quotes around it, "
            "so Python takes it for a variable's name, and there is no such variable. "
            "It looks like you meant a piece of text."
        ),
        fix=f'Put the text in quotes: `"{name}"`'
        + (f": `{SourceCode.of(fixed).line(facts.line).strip()}`" if fixed else ""),
        fixed_code=fixed,
        line=facts.line,
    )


def undefined_name(facts: RuntimeFacts) -> Diagnosis | None:
    """The student uses a name the program never defines: `print(score)` with no `score = ...`."""
    name = _unknown_name(facts)
    if name is None:
        return None
    return Diagnosis(
        situation="name_error.undefined",
        kind=_kind(facts),
        pointer=(
            f"`{name}` is used on line {facts.line} but your program never gives it a value: "
            f"no `{name} = ...`, no `def {name}`, no `import {name}` before that line."
        ),
        fix=(
            f"Give `{name}` a value before this line (for example `{name} = ...`), "
            f'or, if you meant a piece of text, put it in quotes: `"{name}"`.'
        ),
        line=facts.line,
    )
