"""Daily token budgets and the prompt cache, over the real openai client and a real ledger in Postgres."""

from collections.abc import Iterator

import pytest
from pydantic import BaseModel, ConfigDict

from learnflow.db.pool import connection_pool
from learnflow.domain.concepts import find_concept
from learnflow.domain.debugging import analyze
from learnflow.domain.guardrails.written_hints import written
from learnflow.domain.learning_answers import narrated as narrated_progress
from learnflow.domain.learning_answers import progress_summary
from learnflow.domain.llm_budget import NOTES, TokenBudget
from learnflow.domain.models import User
from learnflow.domain.offline_tutor import OfflineEngine
from learnflow.domain.review import review_code
from learnflow.domain.review.narrative import narrated as narrated_review
from learnflow.domain.triage import StudentContext
from learnflow.llm import LlmEngine, LlmUnavailable, OpenAiClient
from learnflow.llm.budget import BudgetedLlm, spending_for
from learnflow.llm.hint_writer import LlmHintWriter
from learnflow.llm.progress_narrator import LlmProgressNarrator
from learnflow.llm.prompts import Prompt
from learnflow.llm.review_narrator import LlmReviewNarrator
from learnflow.repositories.database import Database
from learnflow.repositories.usage_ledger import DatabaseUsageLedger
from tests.llm.fake_openai import FakeOpenAi, Reply
from tests.stored_users import stored_user


class Greeting(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str


@pytest.fixture(scope="module")
def db(database_url: str) -> Iterator[Database]:
    pool = connection_pool(database_url, 2)
    yield Database(pool)
    pool.close()


@pytest.fixture
def student(db: Database) -> User:
    return stored_user(db)


def budgeted(
    client: OpenAiClient, db: Database, *, student: int, deployment: int, cache: float = 0
) -> BudgetedLlm:
    return BudgetedLlm(client, DatabaseUsageLedger(db), TokenBudget(student, deployment), cache)


def prompt(text: str) -> Prompt:
    return Prompt("greeting", "You greet.", text)


def test_each_answer_is_charged_to_the_student_it_was_for(
    client: OpenAiClient, fake_openai: FakeOpenAi, db: Database, student: User
) -> None:
    llm = budgeted(client, db, student=10_000, deployment=10**9)
    fake_openai.enqueue(Reply.answer({"text": "hi"}, prompt_tokens=30, completion_tokens=12))

    with spending_for(student.id):
        assert llm.complete(prompt("Say hello."), Greeting).value.text == "hi"

    assert DatabaseUsageLedger(db).spent_today(student.id)[0] == 42


def test_over_the_students_budget_the_llm_is_not_asked_and_the_note_says_why(
    client: OpenAiClient, fake_openai: FakeOpenAi, db: Database, student: User
) -> None:
    llm = budgeted(client, db, student=50, deployment=10**9)
    fake_openai.enqueue(Reply.answer({"text": "hi"}, prompt_tokens=40, completion_tokens=20))
    with spending_for(student.id):
        llm.complete(prompt("Say hello."), Greeting)

        with pytest.raises(LlmUnavailable) as refused:
            llm.complete(prompt("Say hello again."), Greeting)

    assert refused.value.reason == "over_budget"
    assert str(refused.value) == NOTES["student_spent"]
    assert len(fake_openai.received) == 1
    other = stored_user(db)
    fake_openai.enqueue(Reply.answer({"text": "hello"}))
    with spending_for(other.id):
        assert llm.complete(prompt("Say hello again."), Greeting).value.text == "hello"


def test_over_the_deployments_budget_nobody_spends_more(
    client: OpenAiClient, fake_openai: FakeOpenAi, db: Database, student: User
) -> None:
    everyone_today = DatabaseUsageLedger(db).spent_today(None)[1]
    llm = budgeted(client, db, student=10**9, deployment=everyone_today)

    with spending_for(student.id), pytest.raises(LlmUnavailable) as refused:
        llm.complete(prompt("Say hello."), Greeting)

    assert str(refused.value) == NOTES["deployment_spent"]
    assert fake_openai.received == []


def test_an_identical_prompt_is_answered_from_memory_without_spending(
    client: OpenAiClient, fake_openai: FakeOpenAi, db: Database, student: User
) -> None:
    llm = budgeted(client, db, student=10_000, deployment=10**9, cache=300)
    fake_openai.enqueue(Reply.answer({"text": "hi"}, prompt_tokens=30, completion_tokens=12))

    with spending_for(student.id):
        first = llm.complete(prompt("Say hello."), Greeting)
        again = llm.complete(prompt("Say hello."), Greeting)

    assert again.value == first.value
    assert len(fake_openai.received) == 1
    assert DatabaseUsageLedger(db).spent_today(student.id)[0] == 42


class Story(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str


def test_a_streamed_answer_is_charged_and_shown_whole_from_memory_the_next_time(
    client: OpenAiClient, fake_openai: FakeOpenAi, db: Database, student: User
) -> None:
    llm = budgeted(client, db, student=10_000, deployment=10**9, cache=300)
    fake_openai.enqueue(
        Reply.answer(
            {"text": "Once upon a loop, a list met a tuple."},
            chunk_chars=6,
            prompt_tokens=9,
            completion_tokens=11,
        )
    )
    first: list[str] = []
    again: list[str] = []

    with spending_for(student.id):
        llm.stream(prompt("Tell a story."), Story, "text", first.append)
        llm.stream(prompt("Tell a story."), Story, "text", again.append)

    assert len(first) > 1 and "".join(first) == "Once upon a loop, a list met a tuple."
    assert again == ["Once upon a loop, a list met a tuple."]
    assert len(fake_openai.received) == 1
    assert DatabaseUsageLedger(db).spent_today(student.id)[0] == 20


def test_over_budget_a_stream_shows_nothing(
    client: OpenAiClient, fake_openai: FakeOpenAi, db: Database, student: User
) -> None:
    llm = budgeted(client, db, student=0, deployment=10**9)
    shown: list[str] = []

    with spending_for(student.id), pytest.raises(LlmUnavailable):
        llm.stream(prompt("Tell a story."), Story, "text", shown.append)

    assert shown == [] and fake_openai.received == []


def test_over_budget_the_offline_explanation_says_why(
    client: OpenAiClient, fake_openai: FakeOpenAi, db: Database, student: User
) -> None:
    engine = LlmEngine(budgeted(client, db, student=0, deployment=10**9), OfflineEngine(), None)
    concept = find_concept("for loops")
    assert concept is not None

    with spending_for(student.id):
        explained = engine.explain(concept, "beginner", "explain for loops")

    assert explained.source == "offline"
    assert explained.note == NOTES["student_spent"]
    assert (
        explained.explanation == OfflineEngine().explain(concept, "beginner", "explain for loops").explanation
    )
    assert fake_openai.received == []


def test_over_budget_the_hints_review_and_progress_come_from_the_offline_tutor_saying_why(
    client: OpenAiClient, fake_openai: FakeOpenAi, db: Database, student: User
) -> None:
    llm = budgeted(client, db, student=0, deployment=10**9)
    code = "total = 0\nfor n in [1, 2]:\n    totl += n\n"
    analysis = analyze(code, "NameError: name 'totl' is not defined")
    review = review_code(code, check_behaviour=False)
    summary = progress_summary(StudentContext(mastery=40), frozenset())

    with spending_for(student.id):
        hinted = written(analysis, LlmHintWriter(llm), code, "why does it fail?")
        reviewed = narrated_review(review, LlmReviewNarrator(llm), code)
        progressed = narrated_progress(summary, LlmProgressNarrator(llm), "how am I doing?")

    assert hinted.hints == analysis.hints and hinted.note == NOTES["student_spent"]
    assert reviewed.summary == review.summary and reviewed.note == NOTES["student_spent"]
    assert progressed["summary"] == summary["summary"] and progressed["note"] == NOTES["student_spent"]
    assert fake_openai.received == []
