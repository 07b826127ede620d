"""Brackets: the student's `(`, `[` and `{` do not pair up with their closing brackets."""

import io
import re
import tokenize

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import SyntaxFacts
from learnflow.domain.debugging.rules.syntax.compiling import code_part, fixed_if_better

_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {closer: opener for opener, closer in _OPENERS.items()}

#: a bracket and where it is: (bracket, line, column), the column 0-based
type Bracket = tuple[str, int, int]


def _brackets(code: str) -> tuple[list[Bracket], Bracket | None]:
    """Brackets still open at the end, and the first closing one matching nothing."""
    stack: list[Bracket] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type != tokenize.OP:
                continue
            if token.string in _OPENERS:
                stack.append((token.string, *token.start))
            elif token.string in _CLOSERS:
                if not stack or stack[-1][0] != _CLOSERS[token.string]:
                    return stack, (token.string, *token.start)
                stack.pop()
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return stack, None


def _unclosed(facts: SyntaxFacts) -> Bracket | None:
    """The bracket the compiler says is never closed (the last one still open when it does not say)."""
    found = re.match(r"'(.)' was never closed", facts.message)
    if not found and not facts.message.startswith("unexpected EOF while parsing"):
        return None
    still_open, _ = _brackets(facts.code.text)
    if not still_open:
        return None
    if not found:
        return still_open[-1]
    return next((entry for entry in reversed(still_open) if entry[0] == found.group(1)), still_open[-1])


def unclosed_bracket(facts: SyntaxFacts) -> Diagnosis | None:
    """The student opens a bracket and never closes it: `print("total", (a + b)`."""
    unclosed = _unclosed(facts)
    if unclosed is None:
        return None
    opener, line, _ = unclosed
    closer = _OPENERS[opener]
    text = facts.code.line(line)
    code, comment = code_part(text)
    candidates = [edits.replace_line(facts.code.text, line, code + closer + comment)]
    return Diagnosis(
        situation="syntax.unclosed_bracket",
        kind=facts.not_run().replace(facts.where, f"line {line}") + ": a bracket is opened and never closed.",
        pointer=(
            f"The `{opener}` on line {line} (`{text.strip()}`) has no matching `{closer}`, "
            "so Python keeps reading the next lines as part of it. "
            "Count the opening and closing brackets on that line."
        ),
        fix=f"Close the bracket where its expression ends: `{(code + closer).strip()}`",
        fixed_code=fixed_if_better(facts, candidates),
        line=line,
    )


def _mismatched_diagnosis(facts: SyntaxFacts, pointer: str, fix: str, fixed_line: str | None) -> Diagnosis:
    candidates = [edits.replace_line(facts.code.text, facts.line or 0, fixed_line)] if fixed_line else []
    return Diagnosis(
        situation="syntax.mismatched_bracket",
        kind=facts.not_run() + ": its brackets do not pair up.",
        pointer=pointer,
        fix=fix,
        fixed_code=fixed_if_better(facts, candidates),
        line=facts.line,
    )


def bracket_closed_by_another_kind(facts: SyntaxFacts) -> Diagnosis | None:
    """The student closes a bracket with another kind: `items = [1, 2)`."""
    found = re.match(r"closing parenthesis '(.)' does not match opening parenthesis '(.)'", facts.message)
    if not found:
        return None
    wrong, opener = found.group(1), found.group(2)
    right = _OPENERS[opener]
    column = (facts.column or 1) - 1
    text = facts.text
    fixed_line = text[:column] + right + text[column + 1 :] if text[column : column + 1] == wrong else None
    return _mismatched_diagnosis(
        facts,
        pointer=(
            f"The bracket `{wrong}` closes a `{opener}`: "
            "brackets must be closed with the same kind they were opened with, innermost first."
        ),
        fix=f"Close `{opener}` with `{right}`" + (f": `{fixed_line.strip()}`" if fixed_line else "."),
        fixed_line=fixed_line,
    )


def extra_closing_bracket(facts: SyntaxFacts) -> Diagnosis | None:
    """The student closes a bracket that was never opened: `print(total))`."""
    found = re.match(r"unmatched '(.)'", facts.message)
    if not found:
        return None
    wrong = found.group(1)
    column = (facts.column or 1) - 1
    text = facts.text
    fixed_line = text[:column] + text[column + 1 :] if text[column : column + 1] == wrong else None
    return _mismatched_diagnosis(
        facts,
        pointer=f"There is a `{wrong}` with no opening bracket before it on this line or the lines above.",
        fix=f"Remove the extra `{wrong}` (or add the opening bracket it belongs to)"
        + (f": `{fixed_line.strip()}`" if fixed_line else "."),
        fixed_line=fixed_line,
    )
