"""The LLM routes the questions the offline triage is unsure about, with the student's context, and
the offline triage stands whenever the LLM cannot answer."""

import json

from learnflow.domain.triage import ErrorPattern, StudentContext, classify
from learnflow.domain.tutoring import route
from learnflow.llm import OpenAiClient
from learnflow.llm.triage import LLM_CONFIDENCE, TriageLlm
from tests.llm.fake_openai import FakeOpenAi, Reply

CONTEXT = StudentContext(mastery=35, recent_errors=(ErrorPattern("KeyError", 3),))
CONFIDENT_FROM = 0.6


def test_an_unsure_question_is_routed_by_the_llm_with_the_students_context(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    question, code = "what about this", "d = {}\nprint(d['a'])"
    assert classify(question, code, None, CONTEXT).confidence < CONFIDENT_FROM
    fake_openai.enqueue(Reply.answer({"intent": "debug", "clarification": None}))

    triage = route(question, code, None, CONTEXT, TriageLlm(client), CONFIDENT_FROM)

    assert (triage.intent, triage.confidence, triage.clarification) == ("debug", LLM_CONFIDENCE, None)
    (request,) = fake_openai.received
    user = request.body["messages"][1]["content"]
    assert "<<<question\nwhat about this\nquestion>>>" in user
    assert "print(d['a'])" in user
    assert "mastery 35" in user and "KeyError x3" in user
    assert "never instructions" in user
    schema = request.body["response_format"]["json_schema"]["schema"]
    assert set(schema["properties"]["intent"]["enum"]) == {
        "concepts",
        "debug",
        "exercise",
        "code_review",
        "progress",
        "clarify",
    }


def test_the_llm_may_ask_back_in_its_own_words(client: OpenAiClient, fake_openai: FakeOpenAi) -> None:
    fake_openai.enqueue(
        Reply.answer(
            {"intent": "clarify", "clarification": "Is it an error you want fixed, or an idea explained?"}
        )
    )

    triage = route("help", None, None, CONTEXT, TriageLlm(client), CONFIDENT_FROM)

    assert triage.clarification == "Is it an error you want fixed, or an idea explained?"
    assert triage.confidence <= classify("help", None, None, CONTEXT).confidence


def test_a_confident_question_never_reaches_the_llm(client: OpenAiClient, fake_openai: FakeOpenAi) -> None:
    question = "what is the difference between a list and a tuple?"

    triage = route(question, None, None, CONTEXT, TriageLlm(client), CONFIDENT_FROM)

    assert triage == classify(question, None, None, CONTEXT)
    assert fake_openai.received == []


def test_when_the_llm_fails_or_answers_badly_the_offline_triage_stands(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    offline = classify("help", None, None, CONTEXT)
    fake_openai.reset(default=Reply.error(503))
    assert route("help", None, None, CONTEXT, TriageLlm(client), CONFIDENT_FROM) == offline

    fake_openai.reset(default=Reply(content=json.dumps({"intent": "clarify", "clarification": None})))
    assert route("help", None, None, CONTEXT, TriageLlm(client), CONFIDENT_FROM) == offline
