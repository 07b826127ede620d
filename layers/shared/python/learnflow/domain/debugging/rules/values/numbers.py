"""Numbers an operation cannot use: text that is not a number, a value outside a maths function's
range, and a division by zero."""

import ast
import re

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import RuntimeFacts
from learnflow.domain.debugging.source import expression_text


def _why_not_a_number(value: str, looks_decimal: bool) -> str:
    if looks_decimal:
        return "it has a decimal point, and `int()` only accepts whole numbers."
    if value in {"''", '""'}:
        return "it is empty (nothing was typed)."
    return "it is not made of digits."


def text_not_a_number(facts: RuntimeFacts) -> Diagnosis | None:
    """The student converts text that is no whole number: `int("3.5")`, `int("")`, `int("ten")`."""
    found = re.search(r"invalid literal for int\(\) with base \d+: (.*)$", facts.message) or re.search(
        r"could not convert string to float: (.*)$", facts.message
    )
    if not found:
        return None
    value = found.group(1)
    looks_decimal = re.fullmatch(r"'\s*-?\d+\.\d*\s*'", value) is not None
    fixed = None
    if looks_decimal and facts.code.text:
        fixed = edits.replace_text(facts.code.text, facts.line or 0, "int(", "float(")
    return Diagnosis(
        situation="value_error.not_a_number",
        kind=facts.kind("a piece of text could not be turned into a number"),
        pointer=(
            f"On line {facts.line}, the text {value} was converted to a number, but "
            + _why_not_a_number(value, looks_decimal)
        ),
        fix=(
            "Use `float(...)` for numbers with a decimal point."
            if looks_decimal
            else "Check the text before converting it (`text.isdigit()`), "
            "or catch the error with `try: ... except ValueError:` and ask again."
        ),
        fixed_code=fixed,
        line=facts.line,
    )


def outside_math_domain(facts: RuntimeFacts) -> Diagnosis | None:
    """The student takes the square root or logarithm of a negative number: `math.sqrt(-4)`."""
    if "math domain error" not in facts.message:
        return None
    return Diagnosis(
        situation="value_error.math_domain",
        kind=facts.kind("a maths function was given a value outside what it accepts"),
        pointer=(
            f"On line {facts.line}, a function of `math` received a value it has no answer for, "
            "such as the square root or the logarithm of a negative number."
        ),
        fix=(
            "Check the value before the call (e.g. `if x >= 0:`), "
            "or use `abs(x)` if the sign does not matter."
        ),
        line=facts.line,
    )


def division_by_zero(facts: RuntimeFacts) -> Diagnosis | None:
    """The student divides by a value that is 0: `total / len(scores)` with no scores."""
    divisions = [
        node
        for node in facts.code.nodes_on_line(facts.line, ast.BinOp)
        if isinstance(node.op, ast.Div | ast.FloorDiv | ast.Mod)
    ]
    divisor = expression_text(facts.code, divisions[0].right) if divisions else None
    fixed = None
    if divisions:
        division = divisions[0]
        whole = expression_text(facts.code, division)
        fixed = edits.replace_span(
            facts.code.text,
            (division.lineno, division.col_offset),
            (division.end_lineno or division.lineno, division.end_col_offset or 0),
            f"({whole} if {divisor} != 0 else 0)",
        )
    empty = divisor is not None and divisor.startswith("len(")
    return Diagnosis(
        situation="zero_division",
        kind=facts.kind("a number was divided by zero"),
        pointer=(
            f"On line {facts.line}, "
            + (f"the divisor `{divisor}` is 0 at that moment" if divisor else "the number you divide by is 0")
            + (" (the list is empty)" if empty else "")
            + ". Dividing by zero has no answer, in maths as in Python."
        ),
        fix=(
            f"Check the divisor before dividing, for example `if {divisor or 'divisor'} != 0:` "
            "(or `if items:` for a list), and decide what the answer should be when it is 0."
        ),
        fixed_code=fixed,
        line=facts.line,
    )
