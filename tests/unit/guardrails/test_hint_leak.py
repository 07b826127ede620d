"""Hints of levels 1 and 2 that hand over the fix are caught, however the fix is written; honest ones pass."""

import pytest

from learnflow.domain.debugging import Hint
from learnflow.domain.guardrails import hint_leak, safe_hints
from learnflow.domain.guardrails.hint_leak import program_hint_leak

ORIGINAL = "if x = 5:"
FIXED = "if x == 5:"


@pytest.mark.parametrize(
    "hint",
    [
        "Change the line to:\n```python\nif x == 5:\n    print('five')\n```",
        "Write `if x == 5:` instead.",
        "Write `if x==5 :` instead.",
        "Try this:\n\n    if   x ==   5 :\n\nand run it again.",
        "Try this:\n\tif\tx\t==\t5:\nand run it again.",
        "The comparison should read `x == 5`.",
    ],
    ids=[
        "code block",
        "backticks",
        "other spacing",
        "indented line",
        "tabs for spaces",
        "the expression alone",
    ],
)
def test_a_hint_holding_the_fix_is_caught(hint: str) -> None:
    assert hint_leak(hint, FIXED, ORIGINAL) is not None


@pytest.mark.parametrize(
    "hint",
    [
        "On line 3, `=` gives a name a value; comparing two values needs another operator.",
        "Python reads `if x = 5:` as an assignment inside a condition.",
        "Use `==` to compare.",
        "Compare with the operator for equality.",
    ],
)
def test_an_honest_hint_is_not_flagged(hint: str) -> None:
    assert hint_leak(hint, FIXED, ORIGINAL) is None


def test_a_renamed_call_is_caught_as_tokens_and_the_same_statement_as_ast() -> None:
    by_tokens = hint_leak("Did you mean `total_price`?", "print(total_price)", "print(totl_price)")
    by_ast = hint_leak("```\nprint( total_price )\n```", "print(total_price)", "print(totl_price)")
    assert by_tokens is not None and by_tokens.found_by == "tokens"
    assert by_ast is not None and by_ast.found_by == "ast"
    assert hint_leak("`totl_price` is not defined", "print(total_price)", "print(totl_price)") is None


def test_quoting_the_students_own_line_gives_nothing_away() -> None:
    hint = "Look at line 1 (`import sqrt from math`): the import is written in the wrong order."
    assert hint_leak(hint, "from math import sqrt", "import sqrt from math") is None
    assert hint_leak("Write `from math import sqrt`.", "from math import sqrt", "import sqrt from math")


def test_a_fix_that_removes_code_is_caught_by_its_tree() -> None:
    original, fixed = "numbers = numbers.append(3)\n", "numbers.append(3)\n"
    assert program_hint_leak("Just write `numbers.append(3)`.", original, fixed) is not None
    assert program_hint_leak("`append` changes the list and gives back `None`.", original, fixed) is None


def test_leaking_hints_are_replaced_by_the_offline_hints_of_their_level() -> None:
    code, fixed = "x = 4\nif x = 5:\n    print('five')\n", "x = 4\nif x == 5:\n    print('five')\n"
    offline = [
        Hint(level=1, text="This is a SyntaxError on line 2."),
        Hint(level=2, text="On line 2, `=` assigns; a condition compares."),
        Hint(level=3, text="Write `if x == 5:`.", code=fixed, verified=True),
    ]
    written = ["Line 2 cannot be read by Python.", "Replace it with `if x == 5:`", "Use `==`: `if x == 5:`"]

    safe = safe_hints(written, offline, code)

    assert safe.replaced == (2,)
    assert [hint.text for hint in safe.hints] == [written[0], offline[1].text, written[2]]
    assert safe.hints[2].code == fixed and safe.hints[2].verified is True
    assert safe_hints(written[:1], offline, code).replaced == (2, 3)
