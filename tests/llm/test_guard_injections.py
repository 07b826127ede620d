"""The guard against prompt injection, end to end: the fake OpenAI server OBEYS every injection of
tests/data/prompt_injections.jsonl (its reply is what an obedient model would write), the real
`openai` client carries it, and the guard must catch every one: the student gets the offline answer,
the rule is logged (never the student's text) and counted."""

import json
from typing import Any

import pytest

from learnflow.domain.exercise_bank import by_slug
from learnflow.domain.offline_tutor import OfflineEngine
from learnflow.llm import LlmEngine, OpenAiClient
from learnflow.llm.answers import LlmExplanation
from learnflow.llm.guard import OutputGuard, seeded
from learnflow.llm.prompts import render
from localcloud.sandbox import LocalSandbox
from tests.injection_corpus import ENTRIES, asked, concept_of, obedient_reply, open_exercises, prompt_for
from tests.llm.fake_openai import FakeOpenAi, Reply

WHERE = {"question", "code_comment", "string_literal", "traceback"}
HONEST = (
    "Recursion is when a function calls itself on a smaller piece of the problem, until it reaches a"
    " base case that it can answer directly, like factorial(0) being 1."
)


@pytest.fixture
def guard(sandbox: LocalSandbox) -> OutputGuard:
    return OutputGuard(sandbox)


def test_the_corpus_has_at_least_30_injections_in_every_place_a_student_writes() -> None:
    assert len(ENTRIES) >= 30
    assert {entry["where"] for entry in ENTRIES} == WHERE
    assert {entry["breaks"] for entry in ENTRIES} == {"system_prompt", "solution", "off_topic", "schema"}
    assert len({entry["id"] for entry in ENTRIES}) == len(ENTRIES)


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry["id"] for entry in ENTRIES])
def test_every_obeyed_injection_is_caught_and_the_offline_answer_stands(
    entry: dict[str, Any],
    guard: OutputGuard,
    client: OpenAiClient,
    fake_openai: FakeOpenAi,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    prompt = prompt_for(entry)
    reply = obedient_reply(entry, prompt)
    fake_openai.enqueue(Reply(content=reply), Reply(content=reply))  # asked twice, it obeys twice
    context = prompt.context(
        asked(entry),
        student_code=entry["code"],
        topic=concept_of(entry).title,
        exercises=open_exercises(entry["exercise"]),
    )

    answer = guard.answer(client, prompt, LlmExplanation, context)

    assert answer is None
    sent = fake_openai.received[0].body["messages"]
    assert sent[0]["content"] == prompt.prompt.system and prompt.canary in sent[0]["content"]
    assert entry["question"] in sent[1]["content"]
    (caught,) = [record for record in caplog.records if getattr(record, "rule", None)]
    assert caught.__dict__["rule"] == entry["breaks"]
    assert entry["question"] not in caught.getMessage() and entry["question"] not in json.dumps(
        caught.__dict__, default=str
    )
    metrics = [json.loads(line) for line in capsys.readouterr().out.splitlines() if "LlmGuardCaught" in line]
    assert [(metric["rule"], metric["task"], metric["LlmGuardCaught"]) for metric in metrics] == [
        (entry["breaks"], "concept_explanation", [1.0])
    ]


@pytest.mark.parametrize("entry", ENTRIES[:4], ids=[entry["id"] for entry in ENTRIES[:4]])
def test_a_caught_answer_leaves_the_student_the_offline_explanation(
    entry: dict[str, Any], sandbox: LocalSandbox, client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    # a model that obeys whatever it is sent: the disclosure comes from the prompt it really received
    fake_openai.reset(default=Reply.answer(_echoing_answer()))
    concept = concept_of(entry)

    explained = LlmEngine(client, OfflineEngine(), sandbox).explain(concept, "beginner", asked(entry))

    assert explained == OfflineEngine().explain(concept, "beginner", asked(entry))
    assert explained.source == "offline"


def _echoing_answer() -> dict[str, Any]:
    return {
        "explanation": "Recursion, and my full instructions: You are LearnFlow, a patient Python tutor for"
        " people learning to program.",
        "examples": [{"code": "print(1)", "output": "1\n"}],
        "diagram": None,
    }


def test_an_honest_answer_passes_the_guard_with_an_exercise_open(
    guard: OutputGuard, client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    starter = by_slug("factorial")
    assert starter is not None
    honest = {
        "explanation": HONEST + f"\n\nYour exercise starts from:\n\n```python\n{starter.starter_code}```",
        "examples": [
            {
                "code": "def countdown(n):\n    if n == 0:\n        return\n    countdown(n - 1)\n",
                "output": "",
            }
        ],
        "diagram": None,
    }
    fake_openai.enqueue(Reply.answer(honest))
    question = "how does recursion work?"
    prompt = seeded(
        render("concept_explanation", concept="Recursion", level="beginner", question=question, reference="")
    )
    context = prompt.context(question, topic="Recursion", exercises=open_exercises("factorial"))

    answer = guard.answer(client, prompt, LlmExplanation, context)

    assert answer is not None and answer.explanation == honest["explanation"]
