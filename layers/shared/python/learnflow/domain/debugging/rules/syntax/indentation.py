"""Indentation: the spaces at the start of the student's lines do not show Python the blocks meant."""

import re

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import SyntaxFacts
from learnflow.domain.debugging.rules.syntax.compiling import (
    fixed_if_better,
    line_fixed_if_better,
    previous_code_line,
)
from learnflow.domain.debugging.source import SourceCode, indentation_of


def tabs_and_spaces(facts: SyntaxFacts) -> Diagnosis | None:
    """The student indents some lines with a tab and others with spaces."""
    if facts.error_type != "TabError" and "inconsistent use of tabs" not in facts.message:
        return None
    candidates = [
        "\n".join(
            indentation_of(line).expandtabs(size) + line.lstrip() for line in facts.code.text.split("\n")
        )
        for size in (4, 8)
    ]
    return Diagnosis(
        situation="indentation.tabs_and_spaces",
        kind=facts.not_run_at(f"the start of line {facts.line}."),
        pointer=(
            f"Line {facts.line} is indented with a tab while the lines around it use spaces "
            "(or the other way round). "
            "They may look the same in your editor, but Python cannot tell how wide a tab is meant to be."
        ),
        fix="Indent with spaces only: 4 spaces per level. Most editors can convert tabs to spaces for you.",
        fixed_code=fixed_if_better(facts, list(candidates)),
        line=facts.line,
    )


def _indent_block(code: SourceCode, start: int, inner: str) -> str:
    """Indents the lines from `start` that are at the outer level, up to the first blank line."""
    text = code.text
    base = indentation_of(code.line(start))
    for number in range(start, len(code.lines) + 1):
        line = code.line(number)
        if not line.strip() or indentation_of(line) != base:
            break
        text = edits.replace_line(text, number, inner + line.lstrip())
    return text


def _block_indented(facts: SyntaxFacts, inner: str) -> str | None:
    """The first of the ways of indenting the block after its header that gets past the error."""
    if facts.line is not None and facts.line <= len(facts.code.lines):
        candidates = [
            edits.replace_line(facts.code.text, facts.line, inner + facts.text.lstrip()),
            _indent_block(facts.code, facts.line, inner),
        ]
    else:
        candidates = [facts.code.text.rstrip("\n") + "\n" + inner + "pass\n"]
    return fixed_if_better(facts, candidates)


def empty_block(facts: SyntaxFacts) -> Diagnosis | None:
    """The student forgets to indent the body of an `if`, loop or function: `print(x)` flush under `if x:`."""
    found = re.match(r"expected an indented block(?: after (.+?) on line (\d+))?", facts.message)
    if not found:
        return None
    header_line = int(found.group(2)) if found.group(2) else previous_code_line(facts.code, facts.line or 0)
    header = facts.code.line(header_line)
    return Diagnosis(
        situation="indentation.expected_block",
        kind=facts.not_run_at(f"the line after line {header_line} (`{header.strip()}`)."),
        pointer=(
            f"Line {header_line} ends with a colon, which announces a block, "
            "but the next line is not indented, so the block is empty. "
            "Python uses indentation to know which lines belong to it."
        ),
        fix=(
            f"Indent the lines that belong to `{header.strip()}` by 4 spaces more than it"
            + (f", starting with line {facts.line}." if facts.line else ".")
            + " If the block should do nothing yet, write `pass` in it."
        ),
        fixed_code=_block_indented(facts, indentation_of(header) + "    "),
        line=facts.line,
    )


def unexpected_indent(facts: SyntaxFacts) -> Diagnosis | None:
    """The student indents a line that opens no block: a stray space before `print(...)`."""
    if not facts.message.startswith("unexpected indent"):
        return None
    previous = facts.code.line(previous_code_line(facts.code, facts.line or 0))
    return Diagnosis(
        situation="indentation.unexpected_indent",
        kind=facts.not_run_at(f"the spaces at the start of line {facts.line}."),
        pointer=(
            f"Line {facts.line} (`{facts.shown}`) is indented more than the line before it, "
            "but the line before does not open a block (it does not end with a colon). "
            "Lines of the same block must start at the same column."
        ),
        fix=f"Remove the extra spaces so that line {facts.line} lines up with the line above it.",
        fixed_code=line_fixed_if_better(facts, indentation_of(previous) + facts.text.lstrip()),
        line=facts.line,
    )


def unindent_mismatch(facts: SyntaxFacts) -> Diagnosis | None:
    """The student ends a block at a column no earlier block used: 3 spaces where the others use 4."""
    if not facts.message.startswith("unindent does not match"):
        return None
    width = len(indentation_of(facts.text).expandtabs(8))
    levels = sorted(
        {
            len(indentation_of(line).expandtabs(8))
            for line in facts.code.lines[: (facts.line or 1) - 1]
            if line.strip() and not line.strip().startswith("#")
        }
    )
    candidates = [
        edits.replace_line(facts.code.text, facts.line or 0, " " * level + facts.text.lstrip())
        for level in sorted(levels, key=lambda level: abs(level - width))
    ]
    return Diagnosis(
        situation="indentation.unindent_mismatch",
        kind=facts.not_run_at(f"the spaces at the start of line {facts.line}."),
        pointer=(
            f"Line {facts.line} is indented by {width} spaces, which matches none of the blocks above it "
            f"(they use {', '.join(str(level) for level in levels) or 'no'} spaces). "
            "When a block ends, the next line must line up exactly with an earlier one."
        ),
        fix=f"Line up line {facts.line} with the block it belongs to, using the same number of spaces.",
        fixed_code=fixed_if_better(facts, candidates),
        line=facts.line,
    )
