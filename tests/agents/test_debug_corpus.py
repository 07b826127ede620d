"""The debug agent against a corpus of beginner programs, checked with what CPython itself reports.

`tests/data/debug_corpus/programs/` holds the programs (each fails in its own way); the truth of
each (error type, and line in the student's file) comes from running CPython on it now, in a
subprocess. The agent must agree for at least 95% of them: from the traceback as printed, from
the ways students paste it, from 3.8-3.13 tracebacks recorded beforehand, and from the code alone.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache

import pytest

from learnflow.domain.debugging import DebugAnalysis, analyze, leaked_lines, parse_traceback
from localcloud.sandbox import LocalSandbox
from tests.data.debug_corpus.truth import PROGRAMS, Truth, corpus_truths, recorded_truths

REQUIRED_ACCURACY = 0.95


@cache
def _truths() -> tuple[Truth, ...]:
    return tuple(corpus_truths())


@pytest.fixture(scope="module")
def truths() -> tuple[Truth, ...]:
    return _truths()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[LocalSandbox]:
    runner = LocalSandbox()
    yield runner
    runner.close()


def paste_variants(stderr: str) -> dict[str, str]:
    """The traceback as students paste it: whole, cut, quoted, without 3.11+'s marks."""
    lines = stderr.splitlines()
    last_file = max(
        (index for index, line in enumerate(lines) if line.lstrip().startswith("File ")), default=0
    )
    return {
        "as printed": stderr,
        "without the Traceback header": "\n".join(line for line in lines if not line.startswith("Traceback")),
        "last frame only": "\n".join(lines[last_file:]),
        "without ^~~ marks (3.8 style)": "\n".join(
            line for line in lines if not re.match(r"^\s*[~^]+\s*$", line)
        ),
        "quoted in Markdown": "```\n" + "\n".join(f"> {line}" for line in lines) + "\n```",
    }


def accuracy(
    truths: tuple[Truth, ...], answer: Callable[[Truth], tuple[str | None, int | None]]
) -> tuple[float, list[str]]:
    misses = []
    for truth in truths:
        found = answer(truth)
        if found != (truth.error_type, truth.line):
            misses.append(
                f"{truth.name}: CPython {truth.error_type} line {truth.line}, agent {found[0]} line "
                f"{found[1]}"
            )
    return 1 - len(misses) / len(truths), misses


def _from_paste(variant: str) -> Callable[[Truth], tuple[str | None, int | None]]:
    def answer(truth: Truth) -> tuple[str | None, int | None]:
        result = analyze(truth.code, paste_variants(truth.stderr)[variant])
        return result.error_type, result.line

    return answer


def test_the_corpus_has_over_100_failing_beginner_programs(truths: tuple[Truth, ...]) -> None:
    assert len(PROGRAMS) >= 100
    assert all(truth.error_type is not None and truth.line is not None for truth in truths), [
        truth.name for truth in truths if truth.error_type is None
    ]
    kinds = Counter(truth.error_type for truth in truths)
    assert len(kinds) >= 20, kinds


@pytest.mark.parametrize("variant", list(paste_variants("")))
def test_error_type_and_line_match_cpython_from_the_pasted_traceback(
    truths: tuple[Truth, ...], variant: str
) -> None:
    rate, misses = accuracy(truths, _from_paste(variant))
    assert rate >= REQUIRED_ACCURACY, misses


def test_error_type_and_line_match_cpython_from_the_code_alone(
    truths: tuple[Truth, ...], sandbox: LocalSandbox
) -> None:
    def answer(truth: Truth) -> tuple[str | None, int | None]:
        result = analyze(truth.code, None, sandbox, stdin=truth.stdin)
        return result.error_type, result.line

    rate, misses = accuracy(truths, answer)
    assert rate >= REQUIRED_ACCURACY, misses


def test_a_pasted_message_without_line_is_located_by_running_the_code(
    truths: tuple[Truth, ...], sandbox: LocalSandbox
) -> None:
    def answer(truth: Truth) -> tuple[str | None, int | None]:
        result = analyze(truth.code, truth.stderr.strip().splitlines()[-1], sandbox, stdin=truth.stdin)
        return result.error_type, result.line

    rate, misses = accuracy(truths, answer)
    assert rate >= REQUIRED_ACCURACY, misses


@pytest.mark.parametrize("version", sorted(recorded_truths()))
def test_tracebacks_recorded_with_other_python_versions_are_read(version: str) -> None:
    recorded = tuple(recorded_truths()[version])
    assert len(recorded) >= 100

    def answer(truth: Truth) -> tuple[str | None, int | None]:
        parsed = parse_traceback(truth.stderr, truth.code)
        return (parsed.error_type, parsed.line) if parsed else (None, None)

    rate, misses = accuracy(recorded, answer)
    assert rate >= REQUIRED_ACCURACY, misses


@cache
def _analyses(sandbox: LocalSandbox) -> tuple[tuple[Truth, DebugAnalysis], ...]:
    return tuple(
        (truth, analyze(truth.code, truth.stderr, sandbox, stdin=truth.stdin)) for truth in _truths()
    )


def test_levels_one_and_two_never_give_away_the_corrected_code(sandbox: LocalSandbox) -> None:
    leaks = []
    for truth, analysis in _analyses(sandbox):
        fixed = analysis.hints[2].code
        for hint in analysis.hints[:2]:
            leaks += [
                f"{truth.name} level {hint.level}: {line}"
                for line in leaked_lines(hint.text, truth.code, fixed)
            ]
    assert leaks == []


def test_help_is_targeted_for_at_least_25_situations_and_nearly_every_program(sandbox: LocalSandbox) -> None:
    analyses = _analyses(sandbox)
    situations = Counter(analysis.situation for _, analysis in analyses)
    generic = [truth.name for truth, analysis in analyses if (analysis.situation or "").endswith(".other")]
    assert len(situations) >= 25, situations
    assert len(generic) <= len(analyses) * 0.05, generic
    assert all(len(analysis.hints) == 3 for _, analysis in analyses)


def test_most_fixes_are_verified_by_running_the_corrected_program(sandbox: LocalSandbox) -> None:
    fixes = [
        (truth.name, analysis.hints[2]) for truth, analysis in _analyses(sandbox) if analysis.hints[2].code
    ]
    verified = [name for name, hint in fixes if hint.verified]
    assert len(fixes) >= 60
    assert len(verified) >= len(fixes) * 0.8, sorted({name for name, _ in fixes} - set(verified))
