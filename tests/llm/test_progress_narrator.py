"""The LLM writes the progress summary from the real figures; a summary with invented numbers, or
none at all, leaves the offline one in place."""

from learnflow.domain.learning_answers import narrated, progress_summary
from learnflow.domain.triage import ErrorPattern, StudentContext
from learnflow.llm import OpenAiClient
from learnflow.llm.progress_narrator import LlmProgressNarrator
from tests.llm.fake_openai import FakeOpenAi, Reply

CONTEXT = StudentContext(
    mastery=62, topic_mastery={"functions": 45, "basics": 80}, recent_errors=(ErrorPattern("KeyError", 3),)
)
QUESTION = "how am I doing?"


def offline() -> dict[str, object]:
    return progress_summary(CONTEXT, frozenset())


def test_a_summary_using_only_the_real_figures_is_the_answer(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    text = (
        "You are at 62 overall and strong in basics (80). Functions (45) and the 3 KeyErrors say:"
        " study dictionaries."
    )
    fake_openai.enqueue(Reply.answer({"summary": text}))

    answer = narrated(offline(), LlmProgressNarrator(client), QUESTION)

    assert (answer["summary"], answer["source"]) == (text, "llm")
    assert answer["mastery"] == 62 and answer["study_next"] == offline()["study_next"]
    user = fake_openai.received[0].body["messages"][1]["content"]
    assert '"mastery": 62' in user and "how am I doing?" in user
    assert '"summary"' not in user.split("The figures (JSON):")[1]


def test_an_invented_number_sinks_the_llm_summary(client: OpenAiClient, fake_openai: FakeOpenAi) -> None:
    fake_openai.enqueue(
        Reply.answer({"summary": "You are at 62 overall, in the top 5% of students this week!"})
    )

    answer = narrated(offline(), LlmProgressNarrator(client), QUESTION)

    assert answer == offline()


def test_without_an_llm_answer_the_offline_summary_stands(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    fake_openai.reset(default=Reply.error(500))

    assert narrated(offline(), LlmProgressNarrator(client), QUESTION) == offline()
