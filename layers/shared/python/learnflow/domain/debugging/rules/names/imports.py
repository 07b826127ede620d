"""Modules: the student imports one that does not exist or is shadowed, or asks it for a missing name."""

import re
import sys

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import RuntimeFacts
from learnflow.domain.debugging.source import close_matches

# modules beginners use without importing; their attributes are listed from the interpreter
COMMON_MODULES = (
    "math",
    "random",
    "string",
    "time",
    "datetime",
    "json",
    "statistics",
    "collections",
    "itertools",
    "functools",
    "re",
    "sys",
    "os",
    "csv",
    "turtle",
    "copy",
    "fractions",
    "decimal",
)
_MODULES_SAFE_TO_INSPECT = frozenset(COMMON_MODULES) - {"turtle", "os", "sys"}
_THIRD_PARTY = (
    "numpy",
    "pandas",
    "matplotlib",
    "requests",
    "scipy",
    "sklearn",
    "flask",
    "django",
    "pygame",
    "bs4",
)


def _module_members(module: str) -> set[str]:
    if module not in _MODULES_SAFE_TO_INSPECT:
        return set()
    imported = sys.modules.get(module)
    if imported is None:
        imported = __import__(module)
    return {name for name in dir(imported) if not name.startswith("_")}


def _circular(facts: RuntimeFacts) -> bool:
    return "circular import" in facts.message or "partially initialized" in facts.message


def _file_named_like_module(facts: RuntimeFacts, module: str, attribute: str) -> Diagnosis:
    return Diagnosis(
        situation="attribute_error.file_named_like_module",
        kind=facts.kind(f"the module `{module}` has nothing called `{attribute}`"),
        pointer=(
            f"Your own file is probably named `{module}.py`. "
            f"Then `import {module}` imports your file instead of Python's module, "
            "and your file has no such name."
        ),
        fix=(
            f"Rename your file (for example to `my_{module}.py`) "
            "and delete any `__pycache__` folder next to it."
        ),
        line=facts.line,
    )


def _module_and_attribute(facts: RuntimeFacts) -> tuple[str, str] | None:
    found = re.search(r"module '([\w.]+)' has no attribute '(\w+)'", facts.message)
    return (found.group(1), found.group(2)) if found else None


def module_shadowed_by_own_file(facts: RuntimeFacts) -> Diagnosis | None:
    """The student names a file like the module it imports: `random.py` that does `import random`."""
    found = _module_and_attribute(facts)
    if found is None or not _circular(facts):
        return None
    return _file_named_like_module(facts, *found)


def missing_module_attribute(facts: RuntimeFacts) -> Diagnosis | None:
    """The student asks a module for something it does not have: `math.squareroot(9)`."""
    found = _module_and_attribute(facts)
    if found is None:
        return None
    module, attribute = found
    close = close_matches(attribute, _module_members(module))
    hinted = re.search(r"Did you mean: '(\w+)'", facts.message)
    if hinted and hinted.group(1) not in close:
        close.insert(0, hinted.group(1))
    fixed = (
        edits.replace_text(facts.code.text, facts.line or 0, f"{module}.{attribute}", f"{module}.{close[0]}")
        if close and facts.code.text
        else None
    )
    return Diagnosis(
        situation="attribute_error.module_attribute",
        kind=facts.kind(f"the module `{module}` has nothing called `{attribute}`"),
        pointer=(
            f"On line {facts.line}, `{module}.{attribute}` names something "
            f"the `{module}` module does not have."
        ),
        fix=(
            f"Did you mean `{module}.{close[0]}`?"
            if close
            else f"Look up what `{module}` offers with `help({module})`."
        ),
        fixed_code=fixed,
        line=facts.line,
        suggestions=tuple(close),
    )


def _name_and_module(facts: RuntimeFacts) -> tuple[str, str] | None:
    found = re.search(r"cannot import name '(\w+)' from '([\w.]+)'", facts.message)
    return (found.group(1), found.group(2)) if found else None


def import_from_shadowed_module(facts: RuntimeFacts) -> Diagnosis | None:
    """The student's file is named like the module it imports from: `random.py` with `from random import`."""
    found = _name_and_module(facts)
    if found is None or not _circular(facts):
        return None
    name, module = found
    return _file_named_like_module(facts, module, name)


def unknown_import_name(facts: RuntimeFacts) -> Diagnosis | None:
    """The student imports a name the module does not have: `from math import squareroot`."""
    found = _name_and_module(facts)
    if found is None:
        return None
    name, module = found
    close = close_matches(name, _module_members(module))
    fixed = (
        edits.replace_word(facts.code.text, facts.line or 0, name, close[0])
        if close and facts.code.text
        else None
    )
    return Diagnosis(
        situation="import_error.unknown_name",
        kind=facts.kind(f"`{name}` could not be imported from `{module}`"),
        pointer=(
            f"On line {facts.line}, `from {module} import {name}` "
            f"asks for a name that `{module}` does not have."
        ),
        fix=f"Did you mean `{close[0]}`?"
        if close
        else f"Check the exact name in the documentation of `{module}`.",
        fixed_code=fixed,
        line=facts.line,
        suggestions=tuple(close),
    )


def _missing_module(facts: RuntimeFacts) -> tuple[str, str] | None:
    """The module named in a "No module named" message, and its top-level package."""
    found = re.search(r"No module named '([\w.]+)'", facts.message)
    return (found.group(1), found.group(1).split(".")[0]) if found else None


def _standard_modules_like(top: str) -> list[str]:
    return close_matches(top, set(sys.stdlib_module_names) - {"this", "antigravity"})


def _module_kind(facts: RuntimeFacts, module: str) -> str:
    return facts.kind(f"Python cannot find a module called `{module}`")


def third_party_module(facts: RuntimeFacts) -> Diagnosis | None:
    """The student imports a package that must be installed first: `import numpy`."""
    found = _missing_module(facts)
    if found is None or found[1] not in _THIRD_PARTY:
        return None
    module, top = found
    return Diagnosis(
        situation="module_not_found.not_installed",
        kind=_module_kind(facts, module),
        pointer=(
            f"`{top}` is not part of Python's standard library: "
            "it is a separate package that must be installed. "
            "It is not available where your code runs."
        ),
        fix=(
            f"On your own computer, install it with `pip install {top}`; "
            "here, solve the exercise with the standard library."
        ),
        line=facts.line,
    )


def misspelled_module(facts: RuntimeFacts) -> Diagnosis | None:
    """The student misspells a standard module: `import maths`, `import Random`."""
    found = _missing_module(facts)
    close = _standard_modules_like(found[1]) if found is not None else []
    if found is None or not close:
        return None
    module, top = found
    fixed = edits.replace_word(facts.code.text, facts.line or 0, top, close[0]) if facts.code.text else None
    return Diagnosis(
        situation="module_not_found.typo",
        kind=_module_kind(facts, module),
        pointer=f"On line {facts.line}, `{module}` is imported, but no module has exactly that name.",
        fix=f"Did you mean the standard module `{close[0]}`?",
        fixed_code=fixed,
        line=facts.line,
        suggestions=tuple(close),
    )


def unknown_module(facts: RuntimeFacts) -> Diagnosis | None:
    """The student imports a module that exists nowhere: `import helpers` without a `helpers.py`."""
    found = _missing_module(facts)
    if found is None:
        return None
    module, _ = found
    return Diagnosis(
        situation="module_not_found.unknown",
        kind=_module_kind(facts, module),
        pointer=(
            f"On line {facts.line}, `import {module}` looks for a module that is neither "
            "in Python's standard library nor a file next to your program."
        ),
        fix=(
            f"Check the spelling; if `{module}` is your own file, "
            f"make sure `{module}.py` is in the same folder."
        ),
        line=facts.line,
    )
