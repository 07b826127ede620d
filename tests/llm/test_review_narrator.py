"""The LLM writes a review's summary from the checked findings: words only, numbers from the findings."""

from learnflow.domain.review import review_code
from learnflow.domain.review.narrative import narrated
from learnflow.llm import OpenAiClient
from learnflow.llm.review_narrator import LlmReviewNarrator
from tests.llm.fake_openai import FakeOpenAi, Reply

CODE = """import os

def total(xs):
    t = 0
    for i in range(len(xs)):
        t = t + xs[i]
    return t
"""


def test_the_llm_summary_replaces_the_offline_one_and_the_checked_parts_stay(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    review = review_code(CODE, None)
    text = f"Good start: `total` works. Your score is {review.score}. Line 1 imports os but never uses it."
    fake_openai.enqueue(Reply.answer({"summary": text}))

    written = narrated(review, LlmReviewNarrator(client), CODE)

    assert (written.summary, written.source) == (text, "llm")
    assert (written.issues, written.suggestions, written.score) == (
        review.issues,
        review.suggestions,
        review.score,
    )
    user = fake_openai.received[0].body["messages"][1]["content"]
    assert "<<<code\n" + CODE.rstrip("\n") in user
    assert f'"score": {review.score}' in user


def test_code_blocks_or_invented_numbers_keep_the_offline_summary(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    review = review_code(CODE, None)
    fake_openai.enqueue(
        Reply.answer(
            {"summary": "Try this instead:\n```python\ndef total(xs):\n    return sum(xs)\n```\nMuch better!"}
        ),
        Reply.answer({"summary": "Solid work, it runs 37 times faster than most students' code would."}),
    )

    assert narrated(review, LlmReviewNarrator(client), CODE) == review
    assert narrated(review, LlmReviewNarrator(client), CODE) == review
