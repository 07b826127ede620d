"""AttributeError on a value: the student uses a method or attribute its type does not have."""

import ast
import re

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.attributes_and_types.none_values import none_help
from learnflow.domain.debugging.rules.facts import RuntimeFacts
from learnflow.domain.debugging.source import SourceCode, close_matches, is_identifier

_BUILTIN_TYPES: dict[str, type] = {
    "str": str,
    "list": list,
    "dict": dict,
    "int": int,
    "float": float,
    "tuple": tuple,
    "set": set,
    "bool": bool,
    "NoneType": type(None),
    "bytes": bytes,
    "range": range,
}
# attributes beginners reach for that exist under another name or as a function
_WRONG_ATTRIBUTES: dict[tuple[str, str], str] = {
    ("list", "push"): "append",
    ("list", "add"): "append",
    ("list", "length"): "len()",
    ("list", "size"): "len()",
    ("list", "len"): "len()",
    ("str", "length"): "len()",
    ("str", "len"): "len()",
    ("str", "size"): "len()",
    ("str", "append"): "+",
    ("str", "contains"): "in",
    ("list", "contains"): "in",
    ("dict", "contains"): "in",
    ("dict", "has_key"): "in",
    ("dict", "iteritems"): "items",
    ("list", "lower"): "a loop over the items",
    ("list", "split"): "a loop over the items",
    ("int", "append"): "a list",
    ("str", "reverse"): "[::-1]",
    ("tuple", "append"): "a list",
    ("set", "append"): "add",
}


def _type_and_attribute(facts: RuntimeFacts) -> tuple[str, str] | None:
    found = re.search(r"'(\w+)' object has no attribute '(\w+)'", facts.message)
    return (found.group(1), found.group(2)) if found else None


def _kind(facts: RuntimeFacts, type_name: str, attribute: str) -> str:
    return facts.kind(f"a `{type_name}` value has nothing called `{attribute}`")


def attribute_of_none(facts: RuntimeFacts) -> Diagnosis | None:
    """The student calls a method on `None`: `result = items.sort()` then `result.append(4)`."""
    found = _type_and_attribute(facts)
    if found is None or found[0] != "NoneType":
        return None
    help_ = none_help(facts)
    return help_.model_copy(update={"kind": _kind(facts, *found)}) if help_ is not None else None


def _attributes_of(code: SourceCode, type_name: str) -> set[str]:
    """What a value of the type offers: a built-in type's public names, or what the student's class
    defines."""
    builtin = _BUILTIN_TYPES.get(type_name)
    if builtin is not None:
        return {name for name in dir(builtin) if not name.startswith("_")}
    attributes: set[str] = set()
    for node in code.nodes():
        if isinstance(node, ast.ClassDef) and node.name == type_name:
            for inner in ast.walk(node):
                if isinstance(inner, ast.FunctionDef):
                    attributes.add(inner.name)
                elif isinstance(inner, ast.Attribute) and isinstance(inner.ctx, ast.Store):
                    attributes.add(inner.attr)
                elif isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store):
                    attributes.add(inner.id)
    return attributes


def _attributes_meant(facts: RuntimeFacts, type_name: str, attribute: str) -> list[str]:
    """What the student probably meant instead, Python's own suggestion first."""
    wrong = _WRONG_ATTRIBUTES.get((type_name, attribute))
    close = [wrong] if wrong else close_matches(attribute, _attributes_of(facts.code, type_name))
    hinted = re.search(r"Did you mean: '(\w+)'", facts.message)
    if hinted and hinted.group(1) not in close:
        close.insert(0, hinted.group(1))
    return close


def _advice(best: str) -> str:
    if best == "len()":
        return "use `len(...)`: the length is asked with a function, not a method"
    if not is_identifier(best):
        return f"use the `{best}` operator instead"
    return f"did you mean `.{best}`?"


def misspelled_attribute(facts: RuntimeFacts) -> Diagnosis | None:
    """The student misspells a method or borrows one from another language: `items.push(4)`, `pet.nmae`."""
    found = _type_and_attribute(facts)
    close = _attributes_meant(facts, *found) if found is not None else []
    if found is None or not close:
        return None
    type_name, attribute = found
    fixed = None
    if is_identifier(close[0]) and facts.code.text:
        fixed = edits.replace_text(facts.code.text, facts.line or 0, f".{attribute}", f".{close[0]}")
    others = ", ".join(f"`{name}`" for name in close[1:])
    return Diagnosis(
        situation="attribute_error.close_attribute",
        kind=_kind(facts, type_name, attribute),
        pointer=(
            f"On line {facts.line}, `.{attribute}` is used on a `{type_name}`, "
            f"but a `{type_name}` has no method or attribute with that name. "
            "Check its spelling and whether it belongs to this type of value."
        ),
        fix=f"For a `{type_name}`, {_advice(close[0])}"
        + (f" (close names: {others})" if len(close) > 1 else ""),
        fixed_code=fixed,
        line=facts.line,
        suggestions=tuple(close),
    )


def unknown_attribute(facts: RuntimeFacts) -> Diagnosis | None:
    """The student uses an attribute unlike any the value has: the variable holds another type than meant."""
    found = _type_and_attribute(facts)
    if found is None:
        return None
    type_name, attribute = found
    return Diagnosis(
        situation="attribute_error.unknown_attribute",
        kind=_kind(facts, type_name, attribute),
        pointer=(
            f"On line {facts.line}, `.{attribute}` is used on a value of type `{type_name}`, "
            "which has no method or attribute of that name. "
            "Maybe the variable holds another type of value than you think."
        ),
        fix=(
            "Print `type(...)` of the value before that line, "
            f"and look at what a `{type_name}` offers with `dir(...)`."
        ),
        line=facts.line,
    )
