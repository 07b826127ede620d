"""Compiling the student's program, and the checks every syntax situation's correction goes through."""

import io
import tokenize
import warnings
from collections.abc import Sequence

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.rules.facts import SyntaxFacts
from learnflow.domain.debugging.source import SourceCode


def compile_error(code: str) -> SyntaxFacts | None:
    """The first error CPython reports for the program, without running it; None when it compiles."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(code, "main.py", "exec", dont_inherit=True)
    except SyntaxError as error:
        return SyntaxFacts(type(error).__name__, error.msg, error.lineno, error.offset, SourceCode.of(code))
    except (ValueError, RecursionError, MemoryError) as error:
        return SyntaxFacts(
            "SyntaxError", str(error) or "the program is too deeply nested", None, None, SourceCode.of(code)
        )
    return None


def fixed_if_better(facts: SyntaxFacts, candidates: Sequence[str | None]) -> str | None:
    """The first candidate that gets past this error: it compiles, or its first error is further down."""
    for candidate in candidates:
        if candidate is None or candidate == facts.code.text:
            continue
        after = compile_error(candidate)
        if after is None or (after.line or 0) > (facts.line or 0):
            return candidate
    return None


def line_fixed_if_better(facts: SyntaxFacts, fixed_line: str) -> str | None:
    """The program with the failing line replaced, when that gets past the error."""
    return fixed_if_better(facts, [edits.replace_line(facts.code.text, facts.line or 0, fixed_line)])


def code_part(line: str) -> tuple[str, str]:
    """A line split into its code and its trailing comment (a `#` outside strings)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(line + "\n").readline))
    except (tokenize.TokenError, SyntaxError):
        return line.rstrip(), ""
    for token in tokens:
        if token.type == tokenize.COMMENT:
            return line[: token.start[1]].rstrip(), " " + line[token.start[1] :]
    return line.rstrip(), ""


def changed_line(before: str, after: str | None) -> str | None:
    """The first line a correction changed, stripped, to show in the fix."""
    if after is None:
        return None
    changed = edits.changed_lines(before, after)
    return changed[0].strip() if changed else None


def previous_code_line(code: SourceCode, line: int) -> int:
    """The number of the closest line above `line` that holds code (not blank, not a comment)."""
    for number in range(line - 1, 0, -1):
        if code.line(number).strip() and not code.line(number).strip().startswith("#"):
            return number
    return max(line - 1, 1)
