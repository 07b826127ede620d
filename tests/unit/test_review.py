"""The code review: real ruff and pylint findings, complexity, big-O, the score, checked suggestions."""

import ast
from collections.abc import Iterator

import pytest

from learnflow.domain.review import Review, review_code
from localcloud.sandbox import LocalSandbox

SLOW_AND_SLOPPY = """import os
def fib(n):
    if n < 2:
        return n
    return fib(n-1) + fib(n-2)

def total(xs=[]):
    s = ""
    for i in range(len(xs)):
        s += str(xs[i])
    return s

def common(words):
    best = None
    for w in words:
        if best == None or words.count(w) > words.count(best):
            best = w
    return best

def shared(a, b):
    found = []
    wanted = [x for x in b]
    for x in a:
        if x in wanted:
            found.append(x)
    return found
"""

CLEAN = '''"""Small helpers for scores."""


def average(scores: list[float]) -> float:
    """The mean of the scores, 0 when there are none."""
    if not scores:
        return 0.0
    return sum(scores) / len(scores)


def best(scores: list[float]) -> float:
    """The highest score, 0 when there are none."""
    return max(scores, default=0.0)
'''


@pytest.fixture(scope="module")
def sandbox() -> Iterator[LocalSandbox]:
    runner = LocalSandbox()
    yield runner
    runner.close()


@pytest.fixture(scope="module")
def sloppy(sandbox: LocalSandbox) -> Review:
    return review_code(SLOW_AND_SLOPPY, sandbox)


def test_findings_come_from_ruff_pylint_and_the_efficiency_rules_with_a_severity(sloppy: Review) -> None:
    by_code = {finding.code: finding for finding in sloppy.issues}
    assert by_code["F401"].tool == "ruff" and by_code["F401"].severity == "warning"
    assert by_code["E711"].severity == "warning" and "is None" in by_code["E711"].message
    assert by_code["E302"].severity == "style"
    assert by_code["C0200"].tool == "pylint"
    for rule in ("recursion-without-memoization", "string-concatenation-in-loop", "repeated-index-count"):
        assert by_code[rule].tool == "learnflow"
    assert "membership-in-list" in by_code
    assert all(finding.severity in {"error", "warning", "suggestion", "style"} for finding in sloppy.issues)


def test_complexity_and_an_estimated_big_o_per_function(sloppy: Review) -> None:
    assert sloppy.complexity is not None
    big_o = {function.name: function.big_o for function in sloppy.complexity.functions}
    assert big_o == {"fib": "O(2^n)", "total": "O(n)", "common": "O(n²)", "shared": "O(n²)"}
    assert sloppy.complexity.maintainability_rank in {"A", "B", "C"}
    assert all(function.cyclomatic >= 1 for function in sloppy.complexity.functions)


def test_each_suggestion_parses_and_the_checked_ones_behave_the_same(sloppy: Review) -> None:
    titles = {suggestion.title for suggestion in sloppy.suggestions}
    assert {"Remember results with @functools.cache", "Count everything once with Counter"} <= titles
    for suggestion in sloppy.suggestions:
        ast.parse(suggestion.after)
        assert suggestion.before != suggestion.after and suggestion.checks.parses
        assert suggestion.checks.same_behaviour is not False
    checked = [suggestion for suggestion in sloppy.suggestions if suggestion.checks.same_behaviour]
    assert len(checked) >= 4 and all(suggestion.checks.samples > 0 for suggestion in checked)


def test_a_rewrite_that_changes_behaviour_is_not_suggested(sandbox: LocalSandbox) -> None:
    # a set lookup would change the result here: the list changes inside the loop
    code = (
        "def dupes(items):\n    seen = []\n    for x in items:\n"
        "        if x in seen:\n            return x\n        seen.append(x)\n"
    )
    review = review_code(code, sandbox)
    assert all("set" not in suggestion.title.lower() for suggestion in review.suggestions)


def test_clean_code_scores_high_and_sloppy_code_lower(sloppy: Review, sandbox: LocalSandbox) -> None:
    clean = review_code(CLEAN, sandbox)
    assert clean.score >= 90 and not [finding for finding in clean.issues if finding.severity != "style"]
    assert sloppy.score < 70 < clean.score
    assert sloppy.penalties.efficiency > 0 and sloppy.penalties.findings > 0


def test_code_that_does_not_parse_scores_zero_with_the_syntax_error() -> None:
    review = review_code("def f(:\n    pass\n")
    assert review.score == 0 and not review.parses and review.issues[0].severity == "error"


def test_reviews_work_without_a_sandbox_but_leave_behaviour_unchecked() -> None:
    review = review_code(SLOW_AND_SLOPPY, None)
    assert review.suggestions and all(
        suggestion.checks.same_behaviour is None for suggestion in review.suggestions
    )
