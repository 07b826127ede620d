"""The OpenAI provider over real HTTP: retries, Retry-After, timeouts, the circuit breaker, validation."""

import time
from typing import Any, cast

import pybreaker
import pytest
from pydantic import BaseModel, ConfigDict

from learnflow.llm import LlmUnavailable, OpenAiClient
from learnflow.llm.client import new_breaker, retry_after_seconds
from learnflow.llm.prompts import Prompt, render
from tests.llm.conftest import settings_for
from tests.llm.fake_openai import FakeOpenAi, Reply


class Greeting(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str


PROMPT = Prompt("greeting", "You greet.", "Say hello.")


def test_a_structured_answer_is_parsed_and_the_request_is_well_formed(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    fake_openai.enqueue(Reply.answer({"text": "hello"}, prompt_tokens=11, completion_tokens=4))

    completion = client.complete(PROMPT, Greeting)

    assert completion.value == Greeting(text="hello")
    assert (completion.usage.prompt_tokens, completion.usage.total_tokens) == (11, 15)
    assert completion.attempts == 1
    (request,) = fake_openai.received
    assert request.body["model"] == "tutor-test-model"
    assert request.body["messages"][0] == {"role": "system", "content": "You greet."}
    assert request.body["response_format"]["type"] == "json_schema"
    assert request.headers["Authorization"] == "Bearer sk-test-not-a-real-key"


def test_token_usage_is_logged(
    client: OpenAiClient, fake_openai: FakeOpenAi, caplog: pytest.LogCaptureFixture
) -> None:
    fake_openai.enqueue(Reply.answer({"text": "hi"}, prompt_tokens=30, completion_tokens=7))
    client.complete(PROMPT, Greeting)
    (answered,) = [record for record in caplog.records if record.getMessage() == "llm answered"]
    usage = tuple(getattr(answered, name) for name in ("prompt_tokens", "completion_tokens", "total_tokens"))
    assert usage == (30, 7, 37)


def test_a_429_is_retried_after_exactly_its_retry_after(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    fake_openai.enqueue(Reply.error(429, headers={"Retry-After": "0.4"}), Reply.answer({"text": "later"}))

    completion = client.complete(PROMPT, Greeting)

    assert completion.value.text == "later" and completion.attempts == 2
    first, second = fake_openai.received
    assert second.at - first.at >= 0.4


def test_a_retry_after_longer_than_allowed_falls_back_at_once(fake_openai: FakeOpenAi) -> None:
    client = OpenAiClient(settings_for(fake_openai), breaker=new_breaker(5, 30))
    fake_openai.enqueue(Reply.error(429, headers={"Retry-After": "120"}))

    started = time.monotonic()
    with pytest.raises(LlmUnavailable) as failed:
        client.complete(PROMPT, Greeting)

    assert failed.value.reason == "rate_limited"
    assert len(fake_openai.received) == 1
    assert time.monotonic() - started < 5


def test_server_errors_are_retried_with_backoff_then_given_up(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    fake_openai.reset(default=Reply.error(503))
    with pytest.raises(LlmUnavailable) as failed:
        client.complete(PROMPT, Greeting)
    assert failed.value.reason == "server_error"
    assert len(fake_openai.received) == 3  # llm_max_attempts: the SDK itself retried nothing


def test_a_timeout_is_not_retried_and_falls_back(client: OpenAiClient, fake_openai: FakeOpenAi) -> None:
    fake_openai.enqueue(Reply.answer({"text": "too late"}, delay_seconds=2))
    with pytest.raises(LlmUnavailable) as failed:
        client.complete(PROMPT, Greeting)
    assert failed.value.reason == "timeout"
    assert len(fake_openai.received) == 1


def test_five_failures_open_the_circuit_which_half_opens_later(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    fake_openai.reset(default=Reply.error(500))
    for _ in range(2):  # 3 attempts, then 2 more: the 5th consecutive failure opens the circuit
        with pytest.raises(LlmUnavailable):
            client.complete(PROMPT, Greeting)
    assert client.breaker.current_state == pybreaker.STATE_OPEN
    assert len(fake_openai.received) == 5

    with pytest.raises(LlmUnavailable) as refused:
        client.complete(PROMPT, Greeting)
    assert refused.value.reason == "circuit_open"
    assert len(fake_openai.received) == 5  # an open circuit sends nothing

    time.sleep(0.35)  # the reset timeout: one trial call goes through, and it succeeds
    fake_openai.enqueue(Reply.answer({"text": "back"}))
    assert client.complete(PROMPT, Greeting).value.text == "back"
    assert client.breaker.current_state == pybreaker.STATE_CLOSED


def test_malformed_json_is_asked_for_once_more(client: OpenAiClient, fake_openai: FakeOpenAi) -> None:
    fake_openai.enqueue(Reply(content="{not json"), Reply.answer({"text": "fixed"}))
    completion = client.complete(PROMPT, Greeting)
    assert completion.value.text == "fixed"
    assert len(fake_openai.received) == 2


def test_twice_malformed_gives_up_without_opening_the_circuit(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    fake_openai.enqueue(Reply(content='{"wrong": 1}'), Reply(content="[]"))
    with pytest.raises(LlmUnavailable) as failed:
        client.complete(PROMPT, Greeting)
    assert failed.value.reason == "malformed"
    assert len(fake_openai.received) == 2
    assert client.breaker.fail_counter == 0  # the service answered: it is not down


def test_retry_after_is_read_in_seconds_milliseconds_or_as_a_date() -> None:
    import httpx
    import openai

    def error(headers: dict[str, str]) -> openai.APIStatusError:
        response = httpx.Response(429, headers=headers, request=httpx.Request("POST", "http://x"))
        return openai.RateLimitError("slow down", response=cast(Any, response), body=None)

    assert retry_after_seconds(error({"Retry-After": "3"})) == 3.0
    assert retry_after_seconds(error({"retry-after-ms": "250"})) == 0.25
    assert retry_after_seconds(error({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})) == 0.0
    assert retry_after_seconds(error({})) is None


def test_prompt_templates_are_package_files_filled_with_the_request() -> None:
    prompt = render(
        "concept_explanation", concept="Recursion", level="beginner", question="what?", reference="x"
    )
    assert "Recursion" in prompt.user and "beginner" in prompt.user
    assert "JSON" in prompt.system
    with pytest.raises(KeyError):
        render("exercise", topic="Lists")
