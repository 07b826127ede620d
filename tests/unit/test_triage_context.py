"""The student's context in the triage: a near tie goes to debugging after recent errors, and the
context is read once per student per 5 minutes."""

import pytest

from learnflow.domain.triage import ErrorPattern, StudentContext, cached_context, classify
from learnflow.domain.triage import context as context_cache
from learnflow.domain.triage.classifier import scores
from learnflow.domain.triage.context import CONTEXT_TTL_SECONDS, forget_cached_contexts

ERRORS = StudentContext(mastery=30, recent_errors=(ErrorPattern("KeyError", 4),))


def test_recent_errors_tip_a_near_tie_towards_debugging() -> None:
    question = "is my loop right?"
    evidence = scores(question)
    assert max(evidence, key=evidence.__getitem__) == "concepts" and evidence["debug"] > 0
    assert classify(question).intent == "concepts"
    routed = classify(question, context=ERRORS)
    assert (routed.intent, routed.clarification) == ("debug", None)


def test_context_never_overrides_a_clear_question() -> None:
    for question in ("what is a list comprehension?", "give me an exercise on loops", "show my progress"):
        assert classify(question, context=ERRORS).intent == classify(question).intent


def test_mastery_of_a_topic_falls_back_to_the_overall_mastery() -> None:
    context = StudentContext(mastery=50, topic_mastery={"functions": 80})
    assert context.mastery_in("functions") == 80
    assert context.mastery_in("oop") == 50
    assert StudentContext().mastery_in(None) is None


class CountingSource:
    def __init__(self) -> None:
        self.reads = 0

    def context_of(self, user_id: str) -> StudentContext:
        self.reads += 1
        return StudentContext(mastery=self.reads)


def test_the_context_is_cached_per_student() -> None:
    forget_cached_contexts()
    source = CountingSource()
    first = cached_context(source, "student-a")
    again = cached_context(source, "student-a")
    other = cached_context(source, "student-b")
    assert first is again and source.reads == 2
    assert other.mastery == 2
    forget_cached_contexts()


def test_a_cached_context_is_read_again_after_five_minutes(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(context_cache, "clock", lambda: now[0])
    forget_cached_contexts()
    source = CountingSource()
    assert cached_context(source, "student-a").mastery == 1
    now[0] += CONTEXT_TTL_SECONDS - 1
    assert cached_context(source, "student-a").mastery == 1
    now[0] += 2
    assert cached_context(source, "student-a").mastery == 2
    assert source.reads == 2
    forget_cached_contexts()
