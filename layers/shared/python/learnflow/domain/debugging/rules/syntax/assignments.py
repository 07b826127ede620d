"""Assignments: the student's `=` stores into something that cannot receive a value, or stands where
a comparison belongs."""

import re

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import SyntaxFacts
from learnflow.domain.debugging.rules.syntax.compiling import code_part, fixed_if_better, line_fixed_if_better
from learnflow.domain.debugging.source import indentation_of

_KEYWORD_ASSIGNED = re.compile(
    r"^\s*(class|def|for|while|if|in|is|not|and|or|lambda|return|import|from|pass|global|with|as|try|"
    r"except|finally|raise|del|yield|assert|break|continue|elif|else|None|True|False|async|await)\s*=[^=]"
)

_SWAP_OR_COMPARE = (
    "Put the variable on the left of `=` and the value on the right, or use `==` if you meant to compare."
)


def assignment_in_condition(facts: SyntaxFacts) -> Diagnosis | None:
    """The student compares with a single `=`: `if x = 5:`."""
    condition = re.match(r"^\s*(if|elif|while)\b", facts.text)
    single_equals = re.search(r"(?<![=!<>:+\-*/%&|^])=(?!=)", facts.text)
    maybe_equals = "Maybe you meant '=='" in facts.message
    if not (condition and single_equals and (maybe_equals or facts.message.startswith("invalid syntax"))):
        return None
    position = single_equals.start()
    fixed_line = facts.text[:position] + "==" + facts.text[position + 1 :]
    return Diagnosis(
        situation="syntax.assignment_in_condition",
        kind=facts.not_run() + ", inside the condition.",
        pointer=(
            "A single `=` stores a value in a variable; it cannot be used as a question. "
            f"The condition of `{condition.group(1)}` has to compare, and comparing uses another operator."
        ),
        fix=f"Use `==` to compare two values: `{fixed_line.strip()}`",
        fixed_code=line_fixed_if_better(facts, fixed_line),
        line=facts.line,
    )


def _assigned_target(facts: SyntaxFacts) -> str | None:
    """What the compiler says the left of `=` is: a literal, a function call, a reserved word..."""
    found = re.match(
        r"cannot assign to (literal|function call|expression|True|False|None|keyword)", facts.message
    )
    if found:
        return found.group(1)
    return "keyword" if facts.message.startswith("assignment to keyword") else None


def _swap_or_rename(facts: SyntaxFacts, target: str, left: str, right: str) -> tuple[str, list[str | None]]:
    """The fix to advise for an assignment to `target`, and the corrected programs to try."""
    if target == "literal" and right.strip().isidentifier():
        code, comment = code_part(facts.text)
        swapped = f"{indentation_of(code)}{right.strip()} = {left.strip()}"
        fixed = edits.replace_line(facts.code.text, facts.line or 0, swapped + comment)
        return f"The name goes on the left and the value on the right: `{swapped.strip()}`", [fixed]
    if target in {"True", "False", "None", "keyword"}:
        word = left.strip()
        advice = (
            f"`{word}` is a word Python reserves for itself. Choose another name for your variable, "
            f"for example `{word.lower()}_value`, and use it everywhere."
        )
        return advice, []
    return _SWAP_OR_COMPARE, []


def invalid_assignment_target(facts: SyntaxFacts) -> Diagnosis | None:
    """The student assigns to a value or a reserved word: `5 = x`, `True = 1`, `len(x) = 3`."""
    target = _assigned_target(facts)
    if target is None:
        return None
    code, _ = code_part(facts.text)
    left, _, right = code.partition("=")
    fix, candidates = _swap_or_rename(facts, target, left, right)
    return Diagnosis(
        situation="syntax.invalid_assignment_target",
        kind=facts.not_run() + ", on the left of the `=`.",
        pointer=(
            f"Only a variable name (or an item or attribute) can receive a value, but the left side here, "
            f"`{left.strip()}`, is a {target if target != 'keyword' else 'reserved word'}. "
            "`=` always stores the value on its right into the name on its left."
        ),
        fix=fix,
        fixed_code=fixed_if_better(facts, candidates),
        line=facts.line,
    )


def keyword_as_name(facts: SyntaxFacts) -> Diagnosis | None:
    """The student names a variable with a reserved word: `class = "5A"`."""
    found = _KEYWORD_ASSIGNED.match(facts.text)
    if not found or not facts.message.startswith("invalid syntax"):
        return None
    word = found.group(1)
    return Diagnosis(
        situation="syntax.keyword_as_name",
        kind=facts.not_run() + ", at the name you chose.",
        pointer=(
            f"`{word}` is one of Python's reserved words (keywords), so it cannot be used as a variable name."
        ),
        fix=(
            f"Rename the variable everywhere it appears, for example to `{word}_`, `my_{word}` "
            "or a more descriptive name."
        ),
        line=facts.line,
    )
