"""Grading in the sandbox: teachers' tests against students' modules, in file order, whatever happens."""

from sandbox_image.runner.client import SandboxRunner

TESTS = """import unittest
import pytest

from words import count_words


class CountTest(unittest.TestCase):
    def test_one_word(self):
        self.assertEqual(count_words("hi"), 1)

    def test_two_words(self):
        print("two words please")
        self.assertEqual(count_words("hi there"), 2)


def test_empty():
    assert count_words("") == 0


@pytest.mark.parametrize("text,expected", [("a b c", 3), ("  spaced   out ", 2)])
def test_parametrized(text, expected):
    assert count_words(text) == expected


def test_type_error():
    with pytest.raises(AttributeError):
        count_words(None)
"""
NAMES = [
    "CountTest.test_one_word",
    "CountTest.test_two_words",
    "test_empty",
    "test_parametrized",
    "test_type_error",
]


def test_a_right_module_passes_every_test(runner: SandboxRunner) -> None:
    graded = runner.grade("words", "def count_words(text):\n    return len(text.split())\n", TESTS)
    assert graded["status"] == "passed" and graded["score"] == 100
    assert [test["name"] for test in graded["tests"]] == NAMES
    assert graded["tests"][1]["output"] == "two words please\n"


def test_a_wrong_module_gets_per_test_results_and_a_score(runner: SandboxRunner) -> None:
    graded = runner.grade("words", "def count_words(text):\n    return len(text.split(' '))\n", TESTS)
    assert graded["status"] == "failed" and graded["score"] == 60
    statuses = {test["name"]: test["status"] for test in graded["tests"]}
    assert statuses["test_empty"] == "fail" and statuses["test_parametrized"] == "fail"
    assert "count_words" in next(t for t in graded["tests"] if t["name"] == "test_empty")["message"]


def test_a_crashing_module_errors_each_test(runner: SandboxRunner) -> None:
    graded = runner.grade("words", "raise RuntimeError('broken on import')\n", TESTS)
    assert graded["status"] == "error" and graded["score"] == 0
    assert all(test["status"] == "error" for test in graded["tests"])
    assert "RuntimeError" in graded["message"]


def test_a_hanging_module_keeps_the_tests_that_finished(runner: SandboxRunner) -> None:
    code = (
        "def count_words(text):\n    while text == 'hi there':\n        pass\n    return len(text.split())\n"
    )
    graded = runner.grade("words", code, TESTS)
    assert graded["status"] == "error" and graded["execution_status"] == "timeout"
    assert [test["status"] for test in graded["tests"]] == ["pass", "error", "error", "error", "error"]
    assert graded["score"] == 20


def test_a_student_module_that_reaches_for_the_host_is_refused(runner: SandboxRunner) -> None:
    graded = runner.grade("words", "import socket\ndef count_words(text):\n    return 0\n", TESTS)
    assert graded["status"] == "error" and graded["execution_status"] == "blocked"
    assert graded["message"].startswith("Line 1: importing socket is not allowed")
