"""Code equivalent to the open exercise's solution is recognised however it is written (pure comparison)."""

from learnflow.domain.guardrails import OpenExercise, solution_leak
from learnflow.domain.guardrails.solution_leak import same_as_solution

FACTORIAL = OpenExercise(
    module_name="factorial",
    solution=(
        "def factorial(n):\n"
        '    """n! computed recursively."""\n'
        "    if n < 0:\n"
        '        raise ValueError("negative")\n'
        "    if n == 0:\n"
        "        return 1\n"
        "    return n * factorial(n - 1)\n"
    ),
    test_code="import unittest\n\nfrom factorial import factorial\n\n\nclass T(unittest.TestCase):\n"
    "    def test_five(self):\n        self.assertEqual(factorial(5), 120)\n",
)


def test_the_solution_renamed_reformatted_and_commented_is_the_solution() -> None:
    rewritten = (
        "def fact(number: int) -> int:  # my version\n"
        "    if number<0: raise ValueError('negative')\n"
        "    if number == 0:\n"
        "        return 1\n"
        "    return number*fact(number-1)\n"
    )
    assert same_as_solution(rewritten, FACTORIAL)
    assert same_as_solution("import math\n\n" + FACTORIAL.solution, FACTORIAL)


def test_the_starter_code_and_other_recursion_are_not_the_solution() -> None:
    assert not same_as_solution(
        'def factorial(n):\n    """n! computed recursively."""\n    pass\n', FACTORIAL
    )
    assert not same_as_solution(
        "def countdown(n):\n    if n == 0:\n        return\n    countdown(n - 1)\n", FACTORIAL
    )
    assert not same_as_solution("this is not python", FACTORIAL)


def test_without_a_sandbox_a_candidate_defining_the_entry_points_counts_as_the_solution() -> None:
    loop = (
        "def factorial(n):\n    result = 1\n    for k in range(2, n + 1):\n        result *= k\n"
        "    return result\n"
    )
    leak = solution_leak([loop], FACTORIAL, None)
    assert leak is not None and leak.found_by == "ungraded"
    assert solution_leak(["print(factorial(3))"], FACTORIAL, None) is None


def test_the_entry_points_are_what_the_tests_import() -> None:
    assert FACTORIAL.entry_points == {"factorial"}
