"""The offline intent classifier, measured on labelled student queries."""

import json
from collections import Counter
from pathlib import Path
from typing import Any, get_args

import pytest

from learnflow.domain.triage import Triage, classify
from learnflow.events.schemas import Intent

DATA = Path(__file__).parents[1] / "data"
DEV_SET = DATA / "triage_queries.jsonl"
HOLDOUT_SET = DATA / "triage_queries_holdout.jsonl"
INTENTS: tuple[str, ...] = get_args(Intent)


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def routed(row: dict[str, Any]) -> str:
    """The intent the classifier routes to; a clarifying question counts as a miss."""
    result = classify(row["question"], row.get("code"), row.get("error"))
    return "clarify" if result.clarification else result.intent


def confusion_report(rows: list[dict[str, Any]]) -> tuple[float, str]:
    counts = Counter((row["intent"], routed(row)) for row in rows)
    columns = [*INTENTS, "clarify"]
    lines = ["expected \\ got".ljust(15) + "".join(c[:11].rjust(12) for c in columns)]
    lines += [
        want.ljust(15) + "".join(str(counts[want, got]).rjust(12) for got in columns) for want in INTENTS
    ]
    misses = [
        f"  {row['intent']} -> {routed(row)}: {row['question'][:70]!r}"
        for row in rows
        if routed(row) != row["intent"]
    ]
    accuracy = sum(counts[intent, intent] for intent in INTENTS) / len(rows)
    return accuracy, "\n".join([f"accuracy {accuracy:.3f}", *lines, "misses:", *misses])


@pytest.mark.parametrize("path", [DEV_SET, HOLDOUT_SET], ids=["dev", "holdout"])
def test_the_labelled_queries_are_varied_and_balanced(path: Path) -> None:
    rows = load(path)
    counts = Counter(row["intent"] for row in rows)
    assert set(counts) == set(INTENTS)
    assert min(counts.values()) >= 0.8 * len(rows) / len(INTENTS)
    assert all(set(row) <= {"question", "code", "error", "intent"} for row in rows)
    assert any("code" in row for row in rows) and any("error" in row for row in rows)


def test_the_data_set_has_at_least_200_queries_and_no_overlap_with_the_holdout() -> None:
    dev, holdout = load(DEV_SET), load(HOLDOUT_SET)
    assert len(dev) + len(holdout) >= 300 and len(dev) >= 200
    assert not {row["question"] for row in dev} & {row["question"] for row in holdout if row["question"]}


def test_accuracy_on_the_held_out_queries_is_at_least_90_percent() -> None:
    accuracy, report = confusion_report(load(HOLDOUT_SET))
    assert accuracy >= 0.90, report


def test_accuracy_on_the_development_queries_is_at_least_90_percent() -> None:
    accuracy, report = confusion_report(load(DEV_SET))
    assert accuracy >= 0.90, report


@pytest.mark.parametrize(
    "question", ["help", "hi", "??", "", "hello", "thanks", "help me please", "i have a question"]
)
def test_vague_queries_get_a_clarifying_question(question: str) -> None:
    result = classify(question)
    assert result.clarification
    assert result.confidence <= 0.3
    assert result.intent in INTENTS


def test_code_without_a_request_asks_what_to_do_with_it() -> None:
    result = classify("help", code="total = 0\nfor n in nums:\n    total += n")
    assert result.clarification and "code" in result.clarification


@pytest.mark.parametrize(
    ("question", "code", "error", "intent"),
    [
        ("what is the difference between a list and a tuple?", None, None, "concepts"),
        ("explain decorators", None, None, "concepts"),
        ("How does a generator work?", None, None, "concepts"),
        ("How do I sort a dictionary by value?", None, None, "concepts"),
        ("how can I remove duplicates from a list?", None, None, "concepts"),
        ("How do I parse JSON in Python?", None, None, "concepts"),
        ("How can I make an HTTP request in python?", None, None, "concepts"),
        ("why does my code crash", "print(1/0)", None, "debug"),
        ("", "print(x)", "NameError: name 'x' is not defined", "debug"),
        ('Traceback (most recent call last):\n  File "a.py", line 1\nKeyError: 3', None, None, "debug"),
        ("it's not working", None, None, "debug"),
        ("give me an exercise on loops", None, None, "exercise"),
        ("quiz me on dictionaries", None, None, "exercise"),
        ("i wanna practise recursion", None, None, "exercise"),
        ("review my code", "def f(x):\n    return x*2", None, "code_review"),
        ("is this pythonic?", "for i in range(len(xs)):\n    print(xs[i])", None, "code_review"),
        ("is this good practice?", "from os import *", None, "code_review"),
        ("how am i doing?", None, None, "progress"),
        ("what should i study next", None, None, "progress"),
        ("whats my streak", None, None, "progress"),
        ("explian the diference between is and ==", None, None, "concepts"),
        ("give me an excersise", None, None, "exercise"),
    ],
)
def test_clear_queries_are_routed_with_confidence(
    question: str, code: str | None, error: str | None, intent: str
) -> None:
    result = classify(question, code, error)
    assert (result.intent, result.clarification) == (intent, None)
    assert 0.5 <= result.confidence <= 1.0


def test_an_error_outweighs_other_wording() -> None:
    result = classify("can you review this?", code="nums[5]", error="IndexError: list index out of range")
    assert result.intent == "debug"


def test_the_result_is_deterministic_and_immutable() -> None:
    first = classify("how do I fix this TypeError", code="'a' + 1")
    assert first == classify("how do I fix this TypeError", code="'a' + 1")
    assert isinstance(first, Triage)
    with pytest.raises(AttributeError):
        first.intent = "progress"  # type: ignore[misc]
