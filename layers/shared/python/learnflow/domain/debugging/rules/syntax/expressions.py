"""Expressions: operators, commas and arguments the student wrote in a shape Python does not read."""

import re

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import SyntaxFacts
from learnflow.domain.debugging.rules.syntax.compiling import (
    changed_line,
    code_part,
    fixed_if_better,
    line_fixed_if_better,
)

_REVERSED_COMPARISONS = {"=>": ">=", "=<": "<=", "<>": "!=", "=!": "!="}


def reversed_comparison(facts: SyntaxFacts) -> Diagnosis | None:
    """The student writes a comparison's symbols the wrong way round: `if age => 18:`."""
    found = re.search(r"=>|=<|<>|=!", facts.text)
    if not found or not facts.message.startswith("invalid syntax"):
        return None
    right = _REVERSED_COMPARISONS[found.group(0)]
    fixed_line = facts.text.replace(found.group(0), right, 1)
    return Diagnosis(
        situation="syntax.comparison_operator",
        kind=facts.not_run() + ", at a comparison.",
        pointer=(
            f"`{found.group(0)}` is not a Python operator. In comparison operators the `=` always comes last."
        ),
        fix=f"Write `{right}`: `{fixed_line.strip()}`",
        fixed_code=line_fixed_if_better(facts, fixed_line),
        line=facts.line,
    )


def missing_comma(facts: SyntaxFacts) -> Diagnosis | None:
    """The student leaves out a comma between items: `[1 2 3]`, `print("a" b)`."""
    if "forgot a comma" not in facts.message:
        return None
    text = facts.text
    start = (facts.column or 1) - 1
    candidates: list[str | None] = []
    for gap in re.finditer(r"(?<=[\w'\")\]}])\s+(?=[\w'\"(\[{])", text[start:]):
        position = start + gap.start()
        candidates.append(
            edits.replace_line(facts.code.text, facts.line or 0, text[:position] + "," + text[position:])
        )
    fixed = fixed_if_better(facts, candidates)
    fixed_line = changed_line(facts.code.text, fixed)
    return Diagnosis(
        situation="syntax.missing_comma",
        kind=facts.not_run() + ", between two values.",
        pointer=(
            "Two values stand side by side with nothing between them. Inside brackets, the items of a "
            "list, a tuple or a call's arguments must be separated by commas (text is joined with `+`)."
        ),
        fix="Put a comma between the two values" + (f": `{fixed_line}`" if fixed_line else "."),
        fixed_code=fixed,
        line=facts.line,
    )


def _number_touching_name(facts: SyntaxFacts) -> re.Match[str] | None:
    """A number written against a name, `2x`, where the compiler could not read a number."""
    if not facts.message.startswith(("invalid decimal literal", "invalid syntax")):
        return None
    return re.search(r"(?<![\w.])(\d+)([A-Za-z_]\w*)", facts.text)


def _assigns(facts: SyntaxFacts, found: re.Match[str]) -> bool:
    return re.match(rf"^\s*{re.escape(found.group(0))}\s*=[^=]", facts.text) is not None


def name_starts_with_digit(facts: SyntaxFacts) -> Diagnosis | None:
    """The student starts a variable's name with a digit: `1st_place = "Ada"`."""
    found = _number_touching_name(facts)
    if found is None or not _assigns(facts, found):
        return None
    number, name = found.group(1), found.group(2)
    return Diagnosis(
        situation="syntax.name_starts_with_digit",
        kind=facts.not_run() + ", at the variable's name.",
        pointer=f"`{found.group(0)}` starts with a digit, and a name in Python cannot start with a digit.",
        fix=f"Rename it so it starts with a letter, for example `{name}_{number}`, everywhere you use it.",
        line=facts.line,
    )


def multiplication_without_operator(facts: SyntaxFacts) -> Diagnosis | None:
    """The student writes multiplication as in maths: `y = 2x + 1`."""
    found = _number_touching_name(facts)
    if found is None:
        return None
    end_of_number = found.start() + len(found.group(1))
    fixed_line = facts.text[:end_of_number] + " * " + facts.text[end_of_number:]
    return Diagnosis(
        situation="syntax.missing_operator",
        kind=facts.not_run() + ", where a number touches a name.",
        pointer=(
            f"`{found.group(0)}` is read as a (broken) number. "
            "In maths `2x` means 2 times x, but Python needs every operator written out."
        ),
        fix=f"Write the multiplication explicitly: `{fixed_line.strip()}`",
        fixed_code=line_fixed_if_better(facts, fixed_line),
        line=facts.line,
    )


def values_side_by_side(facts: SyntaxFacts) -> Diagnosis | None:
    """The student writes text and a name next to each other to join them: `print("Hello" name)`."""
    code, _ = code_part(facts.text)
    found = re.search(r"""([\w'")\]]+)\s+(['"][^'"]*['"])\s+([\w'"(\[]+)|(['"][^'"]*['"])\s+(\w+)""", code)
    if (
        not found
        or not facts.message.startswith("invalid syntax")
        or re.match(r"^\s*(if|elif|while|for|def|class|return|import|from)\b", code)
    ):
        return None
    return Diagnosis(
        situation="syntax.missing_operator_between_values",
        kind=facts.not_run() + ": two values stand next to each other.",
        pointer=(
            f"On line {facts.line}, a piece of text and a name are written side by side "
            "with no operator between them. Python does not join values by itself."
        ),
        fix=(
            'Join texts with `+` (`first + " " + last`), '
            'or build the text with an f-string: `f"{first} {last}"`.'
        ),
        line=facts.line,
    )


def argument_order(facts: SyntaxFacts) -> Diagnosis | None:
    """The student passes an unnamed argument after a named one: `greet(name="Ada", 3)`."""
    if not facts.message.startswith("positional argument follows keyword argument"):
        return None
    return Diagnosis(
        situation="syntax.argument_order",
        kind=facts.not_run() + ", in the arguments of a call.",
        pointer=(
            "An argument without a name comes after one given as `name=value`. Python matches unnamed "
            "arguments by position, so they must all come first."
        ),
        fix="Move the unnamed arguments before the named ones, or give the later one a name too.",
        line=facts.line,
    )
