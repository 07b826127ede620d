"""The debug agent's help: targeted, progressive, verified in the real sandbox, never giving the fix early."""

from collections.abc import Iterator

import pytest

from learnflow.domain.debugging import analyze, leaked_lines
from localcloud.sandbox import LocalSandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[LocalSandbox]:
    runner = LocalSandbox()
    yield runner
    runner.close()


def test_name_error_suggests_a_name_from_the_students_own_code(sandbox: LocalSandbox) -> None:
    code = "total_price = 10\nprint(totl_price)\n"
    result = analyze(code, None, sandbox)
    assert (result.error_type, result.line, result.situation) == ("NameError", 2, "name_error.typo")
    level_one, level_two, level_three = result.hints
    assert "line 2" in level_one.text
    assert "`totl_price`" in level_two.text and "total_price" not in level_two.text
    assert "`total_price`" in level_three.text
    assert level_three.code == "total_price = 10\nprint(total_price)\n"
    assert level_three.verified is True


def test_a_module_used_without_import_is_named(sandbox: LocalSandbox) -> None:
    result = analyze("print(math.sqrt(16))\n", None, sandbox)
    assert result.situation == "name_error.missing_import"
    assert result.hints[2].code == "import math\nprint(math.sqrt(16))\n" and result.hints[2].verified


def test_key_error_offers_the_close_key(sandbox: LocalSandbox) -> None:
    code = 'student = {"name": "Ada", "grade": 90}\nprint(student["grade"], student["nmae"])\n'
    result = analyze(code, None, sandbox)
    assert result.situation == "key_error.close_key"
    assert "'name'" in result.hints[2].text and result.hints[2].verified


def test_attribute_error_offers_the_close_attribute_of_the_students_class(sandbox: LocalSandbox) -> None:
    code = (
        "class Pet:\n    def __init__(self, name):\n        self.name = name\n\n"
        'pet = Pet("Rex")\nprint(pet.nmae)\n'
    )
    result = analyze(code, None, sandbox)
    assert (result.error_type, result.situation) == ("AttributeError", "attribute_error.close_attribute")
    assert "`.name`" in result.hints[2].text and result.hints[2].verified


def test_a_pasted_error_is_explained_without_running_anything() -> None:
    result = analyze("x = [1, 2]\nprint(x[5])\n", "IndexError: list index out of range")
    assert result.found_by == "traceback" and result.error_type == "IndexError"
    assert len(result.hints) == 3 and [hint.level for hint in result.hints] == [1, 2, 3]


def test_code_that_does_not_compile_is_diagnosed_without_the_sandbox() -> None:
    result = analyze("if x = 5:\n    pass\n")
    assert (result.error_type, result.line, result.found_by) == ("SyntaxError", 1, "compiler")
    assert result.situation == "syntax.assignment_in_condition"
    assert result.hints[2].code == "if x == 5:\n    pass\n"


@pytest.mark.parametrize(
    ("code", "situation"),
    [
        ("def add(item, items=[]):\n    items.append(item)\n    return items\n", "logic.mutable_default"),
        (
            "numbers = [1, 2, 2, 3]\nfor n in numbers:\n    if n == 2:\n        "
            "numbers.remove(n)\nprint(numbers)\n",
            "logic.modify_while_iterating",
        ),
        ("def add(a, b):\n    total = a + b\n\nprint(add(1, 2))\n", "logic.missing_return"),
        ("x = 1\nx == 2\nprint(x)\n", "logic.comparison_instead_of_assignment"),
        (
            "names = ['a', 'b']\nfor i in range(len(names) + 1):\n    if i < len(names):\n        "
            "print(names[i])\n",
            "logic.off_by_one",
        ),
    ],
)
def test_mistakes_that_raise_nothing_are_found_when_the_code_runs_cleanly(
    sandbox: LocalSandbox, code: str, situation: str
) -> None:
    result = analyze(code, None, sandbox)
    assert result.error_type is None and result.found_by == "sandbox"
    assert result.situation == situation
    assert result.hints[2].code is not None


def test_clean_code_gets_no_hints(sandbox: LocalSandbox) -> None:
    result = analyze("print(sum([1, 2, 3]))\n", None, sandbox)
    assert result.error_type is None and result.hints == [] and "without an error" in result.message


def test_an_endless_loop_is_recognised_from_the_sandbox_timeout(sandbox: LocalSandbox) -> None:
    result = analyze("count = 0\nwhile count < 3:\n    print('again')\n", None, sandbox)
    assert result.error_type in {"Timeout", "OutputLimit"}
    assert result.situation == "logic.infinite_loop" and "`count`" in result.hints[1].text


def test_the_leak_check_sees_a_corrected_line_in_a_hint() -> None:
    original, fixed = "if x = 5:\n    pass\n", "if x == 5:\n    pass\n"
    assert leaked_lines("Try `if x == 5:` instead", original, fixed) == ["if x == 5:"]
    assert leaked_lines("Compare with the operator for equality", original, fixed) == []
