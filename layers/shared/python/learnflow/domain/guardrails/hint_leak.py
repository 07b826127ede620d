"""Levels 1 and 2 of a debugging hint never give away the fix that level 3 shows.

A hint leaks when a piece of code in it (a fenced block, an inline span, a line that reads as
Python) carries the fix, seen two ways:
- tokens: what the fix changes compared with the original line (its distinguishing tokens, with a
  neighbour on each side when the change holds no name or keyword) appears in sequence in the
  snippet; a snippet that only quotes the student's own line gives nothing away;
- AST: the snippet holds a statement whose syntax tree equals the fixed line's (names kept,
  formatting ignored), when that tree differs from the original line's.
"""

import ast
import copy
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import zip_longest
from typing import Literal

from learnflow.domain.debugging.models import Hint, HintLevel
from learnflow.domain.guardrails.code_spans import Token, code_snippets, parsed_fragment, tokens

#: the hints that must not hold the fix
GUARDED_LEVELS: tuple[HintLevel, ...] = (1, 2)
_BLOCKS = ("body", "orelse", "handlers", "finalbody", "cases")


@dataclass(frozen=True)
class HintLeak:
    snippet: str
    fixed_line: str
    found_by: Literal["tokens", "ast"]


@dataclass(frozen=True)
class SafeHints:
    hints: tuple[Hint, ...]
    #: the levels whose written hint was replaced by the offline one
    replaced: tuple[HintLevel, ...]


def hint_leak(text: str, fixed_line: str, original_line: str = "") -> HintLeak | None:
    """The code in `text` that gives away `fixed_line` (the fix of `original_line`), or None."""
    fixed = fixed_line.strip()
    segments = distinguishing_segments(original_line, fixed)
    shape = _own_shape(fixed, original_line)
    if not segments and shape is None:
        return None
    quoted = [token.text for token in tokens(original_line)]
    for snippet in code_snippets(text):
        if shape is not None and shape in _shapes(snippet):
            return HintLeak(snippet, fixed, "ast")
        written = [token.text for token in tokens(snippet)]
        quotes_the_student = bool(written) and _find(quoted, tuple(written), 0) >= 0
        if segments and not quotes_the_student and _contains_in_order(written, segments):
            return HintLeak(snippet, fixed, "tokens")
    return None


def program_hint_leak(text: str, original_code: str, fixed_code: str | None) -> HintLeak | None:
    """`hint_leak` for each line a fix of the whole program adds or changes."""
    if fixed_code is None:
        return None
    for original_line, fixed_line in fix_lines(original_code, fixed_code):
        leak = hint_leak(text, fixed_line, original_line)
        if leak is not None:
            return leak
    return None


def safe_hints(written: Sequence[str], offline: Sequence[Hint], original_code: str) -> SafeHints:
    """The hints a student may see: each written hint of level 1 or 2 that leaks the offline fix (or is
    missing) is replaced by the offline hint of its level; level 3 keeps the offline, verified code."""
    fixed_code = offline[-1].code if offline else None
    hints: list[Hint] = []
    replaced: list[HintLevel] = []
    for offline_hint, text in zip_longest(offline, written[: len(offline)]):
        leaks = offline_hint.level in GUARDED_LEVELS and bool(
            text and program_hint_leak(text, original_code, fixed_code)
        )
        if not text or not text.strip() or leaks:
            hints.append(offline_hint)
            replaced.append(offline_hint.level)
        else:
            hints.append(offline_hint.model_copy(update={"text": text.strip()}))
    return SafeHints(tuple(hints), tuple(replaced))


def fix_lines(original_code: str, fixed_code: str) -> list[tuple[str, str]]:
    """(original line, fixed line) for each line the fix adds ("" as original) or changes."""
    old = original_code.splitlines()
    new = fixed_code.splitlines()
    matcher = SequenceMatcher(
        a=[line.strip() for line in old], b=[line.strip() for line in new], autojunk=False
    )
    pairs = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            originals = old[i1:i2] if tag == "replace" else []
            for offset, line in enumerate(new[j1:j2]):
                pairs.append((originals[offset] if offset < len(originals) else "", line))
    return [(original, fixed) for original, fixed in pairs if tokens(fixed)]


def distinguishing_segments(original_line: str, fixed_line: str) -> list[tuple[str, ...]]:
    """The runs of tokens the fix writes that the original line does not have, in order."""
    old = [token.text for token in tokens(original_line)]
    new = tokens(fixed_line)
    matcher = SequenceMatcher(a=old, b=[token.text for token in new], autojunk=False)
    segments = []
    for tag, _, _, start, end in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            segments.append(_with_context(new, start, end))
    return segments


def _with_context(new: list[Token], start: int, end: int) -> tuple[str, ...]:
    """A change of punctuation and literals alone (`==`, `:`, `- 1`) is a concept, not yet the fix: it
    takes its neighbours."""
    if not any(token.is_name for token in new[start:end]):
        start, end = max(start - 1, 0), min(end + 1, len(new))
    return tuple(token.text for token in new[start:end])


def _contains_in_order(haystack: list[str], segments: list[tuple[str, ...]]) -> bool:
    position = 0
    for segment in segments:
        found = _find(haystack, segment, position)
        if found < 0:
            return False
        position = found + len(segment)
    return True


def _find(haystack: list[str], segment: tuple[str, ...], start: int) -> int:
    size = len(segment)
    for index in range(start, len(haystack) - size + 1):
        if tuple(haystack[index : index + size]) == segment:
            return index
    return -1


def _own_shape(fixed_line: str, original_line: str) -> str | None:
    """The fixed line's syntax tree, when it reads as a statement of its own and differs from the original."""
    statements = _statement(fixed_line)
    if statements is None:
        return None
    original = _statement(original_line)
    return None if original == statements else statements


def _statement(line: str) -> str | None:
    text = line.strip()
    for candidate in (text, f"{text}\n    pass"):
        try:
            body = ast.parse(candidate).body
        except (SyntaxError, ValueError):
            continue
        return _shape(body[0]) if len(body) == 1 else None
    return None


def _shapes(snippet: str) -> set[str]:
    return {
        _shape(node)
        for statement in parsed_fragment(snippet)
        for node in ast.walk(statement)
        if isinstance(node, ast.stmt)
    }


def _shape(statement: ast.stmt) -> str:
    """A statement's tree without the blocks it opens: `if x == 5:` and its header alone compare equal."""
    header = copy.copy(statement)
    for block in _BLOCKS:
        if hasattr(header, block):
            setattr(header, block, [])
    return ast.dump(header, annotate_fields=False, include_attributes=False)
