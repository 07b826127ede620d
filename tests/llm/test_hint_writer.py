"""The LLM writes the three debugging hints from LearnFlow's analysis; a level-1 or level-2 hint that
gives the fix away is replaced by the offline hint of its level, and level 3 keeps the verified code."""

from learnflow.domain.debugging.analyzer import analyze
from learnflow.domain.guardrails.written_hints import written
from learnflow.llm import OpenAiClient
from learnflow.llm.hint_writer import LlmHintWriter
from tests.llm.fake_openai import FakeOpenAi, Reply

CODE = "total = 10\nprint(totl)\n"
ERROR = "NameError: name 'totl' is not defined"
QUESTION = "why does this crash?"

HONEST = [
    "Python stopped at line 2 because it met a name it has never seen. Look closely at that line.",
    "Compare the name you print with the name you created on line 1, letter by letter. Are they the same?",
    "The name on line 2 is misspelled: use the name you defined on line 1, and the program prints 10.",
]


def test_honest_hints_are_the_students_and_the_verified_fix_stays(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    offline = analyze(CODE, ERROR, None)
    fake_openai.enqueue(Reply.answer({"hints": HONEST}))

    answer = written(offline, LlmHintWriter(client), CODE, QUESTION)

    assert answer.source == "llm"
    assert [hint.text for hint in answer.hints] == HONEST
    assert answer.hints[2].code == offline.hints[2].code == "total = 10\nprint(total)\n"
    user = fake_openai.received[0].body["messages"][1]["content"]
    assert "<<<code\ntotal = 10\nprint(totl)" in user and '"error_type": "NameError"' in user


def test_a_hint_that_gives_the_fix_away_early_is_replaced_by_the_offline_one(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    offline = analyze(CODE, ERROR, None)
    leaking = [HONEST[0], "Just write `print( total )` on line 2 and you are done.", HONEST[2]]
    fake_openai.enqueue(Reply.answer({"hints": leaking}))

    answer = written(offline, LlmHintWriter(client), CODE, QUESTION)

    assert [hint.text for hint in answer.hints] == [HONEST[0], offline.hints[1].text, HONEST[2]]


def test_without_the_llm_the_offline_hints_stand(client: OpenAiClient, fake_openai: FakeOpenAi) -> None:
    offline = analyze(CODE, ERROR, None)
    fake_openai.reset(default=Reply.error(500))

    assert written(offline, LlmHintWriter(client), CODE, QUESTION) == offline
