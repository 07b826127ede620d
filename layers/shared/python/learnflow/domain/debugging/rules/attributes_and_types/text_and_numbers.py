"""TypeError of operands: the student mixes text and numbers in one operation."""

import ast
import re

from learnflow.domain.debugging import edits
from learnflow.domain.debugging.models import Diagnosis
from learnflow.domain.debugging.rules.facts import RuntimeFacts
from learnflow.domain.debugging.source import SourceCode, expression_text


def _from_input(code: SourceCode, name: str) -> bool:
    """Whether `name` is given the text `input()` returns (not converted to a number)."""
    for node in code.nodes():
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(target, ast.Name) and target.id == name for target in node.targets)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id == "input"
        ):
            return True
    return False


def _input_variables_on_line(facts: RuntimeFacts) -> list[ast.Name]:
    return [
        node for node in facts.code.nodes_on_line(facts.line, ast.Name) if _from_input(facts.code, node.id)
    ]


def _convert_input(facts: RuntimeFacts, name: str, to: str) -> str | None:
    """The program with the call that gives `name` its value wrapped in `to(...)`."""
    for node in facts.code.nodes():
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(target, ast.Name) and target.id == name for target in node.targets)
            and isinstance(node.value, ast.Call)
        ):
            call = node.value
            return edits.replace_span(
                facts.code.text,
                (call.lineno, call.col_offset),
                (call.end_lineno or call.lineno, call.end_col_offset or call.col_offset),
                f"{to}({expression_text(facts.code, call)})",
            )
    return None


def input_not_converted(facts: RuntimeFacts) -> Diagnosis | None:
    """The student computes with what `input()` gave back: `age = input()` then `age + 1`."""
    mixes_text = re.search(
        r"'str' and '(int|float)'|'(int|float)' and 'str'|concatenate str \(not \"(int|float)\"\)|"
        r"can't multiply sequence by non-int of type 'str'",
        facts.message,
    )
    from_input = _input_variables_on_line(facts)
    if not mixes_text or not from_input:
        return None
    name = from_input[0].id
    number = "float" if "float" in facts.message else "int"
    return Diagnosis(
        situation="type_error.input_not_converted",
        kind=facts.kind("text and a number are mixed in one operation"),
        pointer=(
            f"`{name}` comes from `input()`, and `input()` always gives back text (a `str`), "
            f"even when the user types digits. On line {facts.line} that text meets a number, "
            "and Python will not guess which you meant."
        ),
        fix=f"Convert the text to a number where you read it: `{name} = {number}(input(...))`.",
        fixed_code=_convert_input(facts, name, number),
        line=facts.line,
    )


def _looks_textual(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _looks_textual(node.left) or _looks_textual(node.right)
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"str", "input"}


def _number_beside_text(facts: RuntimeFacts) -> ast.expr | None:
    """The operand of a `+` on the failing line that is not text while the other one is."""
    for node in facts.code.nodes_on_line(facts.line, ast.BinOp):
        if not isinstance(node.op, ast.Add):
            continue
        for side, partner in ((node.right, node.left), (node.left, node.right)):
            if _looks_textual(partner) and not _looks_textual(side):
                return side
    return None


def str_plus_number(facts: RuntimeFacts) -> Diagnosis | None:
    """The student adds a str and a number: `'Age: ' + 5`."""
    found = re.search(r'can only concatenate str \(not "(\w+)"\) to str', facts.message) or re.search(
        r"unsupported operand type\(s\) for \+=?: '(int|float)' and 'str'", facts.message
    )
    if not found:
        return None
    number = _number_beside_text(facts)
    fixed = None
    if number is not None:
        fixed = edits.replace_span(
            facts.code.text,
            (number.lineno, number.col_offset),
            (number.end_lineno or number.lineno, number.end_col_offset or number.col_offset),
            f"str({expression_text(facts.code, number)})",
        )
    fixed_line = SourceCode.of(fixed).line(facts.line).strip() if fixed else None
    return Diagnosis(
        situation="type_error.str_plus_number",
        kind=facts.kind("text and a number are joined with `+`"),
        pointer=(
            f"On line {facts.line}, `+` has a piece of text (`str`) on one side "
            f"and a number (`{found.group(1)}`) on the other. "
            "`+` joins two texts or adds two numbers; it cannot do both at once."
        ),
        fix=(
            "Turn the number into text with `str(...)` before joining"
            + (f": `{fixed_line}`" if fixed_line else "")
            + '. An f-string also works: `f"Total: {total}"`.'
        ),
        fixed_code=fixed,
        line=facts.line,
    )


def compare_different_types(facts: RuntimeFacts) -> Diagnosis | None:
    """The student orders text against a number: `if input() > 18:`."""
    found = re.search(r"'([<>=!]+)' not supported between instances of '(\w+)' and '(\w+)'", facts.message)
    if not found:
        return None
    return Diagnosis(
        situation="type_error.compare_different_types",
        kind=facts.kind("two values of different types are compared"),
        pointer=(
            f"On line {facts.line}, `{found.group(1)}` compares a `{found.group(2)}` "
            f"with a `{found.group(3)}`. "
            "Python only orders values of the same kind: numbers with numbers, text with text."
        ),
        fix=(
            "Convert one side so both have the same type, for example `int(text)` to turn text into a number."
        ),
        line=facts.line,
    )
