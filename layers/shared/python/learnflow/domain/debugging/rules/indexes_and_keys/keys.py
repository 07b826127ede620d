"""Dictionary keys: the student looks up a key a dictionary does not have, or uses a list as a key."""

import ast
import re
from dataclasses import dataclass

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import RuntimeFacts
from learnflow.domain.debugging.source import SourceCode, close_matches


def _dictionary_keys(code: SourceCode) -> set[str]:
    """The text keys the program's dictionaries are built or filled with."""
    keys: set[str] = set()
    for node in code.nodes():
        if isinstance(node, ast.Dict):
            keys |= {
                key.value for key in node.keys if isinstance(key, ast.Constant) and isinstance(key.value, str)
            }
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
            if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                keys.add(node.slice.value)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
            keys |= {keyword.arg for keyword in node.keywords if keyword.arg}
    return keys


@dataclass(frozen=True)
class _MissingKey:
    #: the key as the message shows it, quotes included: `'nmae'`
    shown: str
    #: the key without its quotes
    bare: str
    #: the keys the program defines
    known: set[str]
    #: the known keys spelled like it
    close: list[str]


def _missing_key(facts: RuntimeFacts) -> _MissingKey | None:
    key = facts.message.strip()
    if not key:
        return None
    bare = key[1:-1] if len(key) >= 2 and key[0] == key[-1] and key[0] in "'\"" else key
    known = _dictionary_keys(facts.code)
    return _MissingKey(key, bare, known, close_matches(bare, known))


def _kind(facts: RuntimeFacts, key: _MissingKey) -> str:
    return facts.kind(f"a dictionary was asked for the key {key.shown}, which it does not have")


def key_missing_in_some(facts: RuntimeFacts) -> Diagnosis | None:
    """The student's data misspells a key in one dictionary: `{"name": ...}` beside `{"nmae": ...}`."""
    key = _missing_key(facts)
    if key is None or key.bare not in key.known or not key.close:
        return None
    return Diagnosis(
        situation="key_error.key_missing_in_some",
        kind=_kind(facts, key),
        pointer=(
            f"Some dictionaries in your program have the key {key.shown}, "
            f"but the one used on line {facts.line} does not. "
            f"One of them has `'{key.close[0]}'` instead: the data itself may be misspelled."
        ),
        fix=(
            "Make every dictionary use the same key "
            f"(correct `'{key.close[0]}'` to {key.shown} in the data), "
            f"or read it with `d.get({key.shown}, default)` where it may be missing."
        ),
        line=facts.line,
        suggestions=tuple(key.close),
    )


def _respelled(facts: RuntimeFacts, key: _MissingKey) -> str | None:
    """The program with the key looked up on the failing line respelled as the closest known key."""
    fixed = None
    for quote in ("'", '"'):
        fixed = edits.replace_text(
            facts.code.text, facts.line or 0, f"{quote}{key.bare}{quote}", f"{quote}{key.close[0]}{quote}"
        )
        if fixed:
            break
    return fixed


def misspelled_key(facts: RuntimeFacts) -> Diagnosis | None:
    """The student misspells a key the dictionary has: `student["nmae"]` for `"name"`."""
    key = _missing_key(facts)
    if key is None or not key.close or key.shown[0] not in "'\"":
        return None
    return Diagnosis(
        situation="key_error.close_key",
        kind=_kind(facts, key),
        pointer=(
            f"On line {facts.line}, the key {key.shown} is looked up, "
            "but the dictionary's keys are spelled differently. "
            "Keys must match exactly, including upper and lower case and spaces."
        ),
        fix=f"Did you mean the key `'{key.close[0]}'`? Keys your program defines that look alike: "
        + ", ".join(f"`'{other}'`" for other in key.close),
        fixed_code=_respelled(facts, key),
        line=facts.line,
        suggestions=tuple(key.close),
    )


def missing_key(facts: RuntimeFacts) -> Diagnosis | None:
    """The student reads a key before the dictionary has it: `counts[word] += 1` for a new word."""
    key = _missing_key(facts)
    if key is None:
        return None
    return Diagnosis(
        situation="key_error.missing_key",
        kind=_kind(facts, key),
        pointer=(
            f"On line {facts.line}, `[{key.shown}]` looks up a key that the dictionary "
            "does not contain at that moment. "
            "Square brackets raise an error for a missing key."
        ),
        fix=(
            f"Check first with `if {key.shown} in d:`, or use `d.get({key.shown}, default)`, "
            "which gives `default` when the key is missing. "
            "When counting, start each key at 0: `counts[word] = counts.get(word, 0) + 1`."
        ),
        line=facts.line,
    )


def unhashable_key(facts: RuntimeFacts) -> Diagnosis | None:
    """The student uses a list as a dictionary key or set item: `seen[[1, 2]] = True`."""
    found = re.search(r"unhashable type: '(\w+)'", facts.message)
    if not found:
        return None
    type_name = found.group(1)
    return Diagnosis(
        situation="type_error.unhashable",
        kind=facts.kind("a changeable value is used as a dictionary key or set item"),
        pointer=(
            f"On line {facts.line}, a `{type_name}` is used as a dictionary key or put in a set. "
            f"Keys must never change, and a `{type_name}` can change, so Python refuses it."
        ),
        fix=(
            "Use an unchangeable version of it: "
            "a `tuple(...)` instead of a list, a `frozenset(...)` instead of a set."
        ),
        line=facts.line,
    )
