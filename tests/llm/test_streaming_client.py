"""The OpenAI provider reading an answer as it is written (Server-Sent Events over real HTTP): the prose
field goes out in pieces; retries happen only before the first piece, a broken stream falls back."""

import json

import pybreaker
import pytest
from pydantic import BaseModel, ConfigDict

from learnflow.llm import LlmUnavailable, OpenAiClient
from learnflow.llm.client import Completion
from learnflow.llm.prompts import Prompt
from tests.llm.fake_openai import FakeOpenAi, Reply


class Story(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    text: str


PROMPT = Prompt("story", "You tell stories.", "Tell one.")
TEXT = 'Once upon a time a "loop" ran \\ forever — until a break. Ünïcödé 🐍 stays whole.\nThe end.'
ANSWER = {"title": "Loops", "text": TEXT}


class Pieces:
    def __init__(self) -> None:
        self.received: list[str] = []

    def __call__(self, piece: str) -> None:
        self.received.append(piece)

    @property
    def text(self) -> str:
        return "".join(self.received)


def streamed(client: OpenAiClient, pieces: Pieces) -> Completion[Story]:
    return client.stream(PROMPT, Story, "text", pieces)


def test_the_prose_field_arrives_in_pieces_that_join_to_the_answer(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    fake_openai.enqueue(Reply.answer(ANSWER, chunk_chars=5, prompt_tokens=21, completion_tokens=34))
    pieces = Pieces()

    completion = streamed(client, pieces)

    assert completion.value == Story(title="Loops", text=TEXT)
    assert len(pieces.received) > 10 and pieces.text == TEXT
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (21, 34)
    (request,) = fake_openai.received
    assert request.body["stream"] is True and request.body["stream_options"] == {"include_usage": True}
    assert request.body["response_format"]["type"] == "json_schema"


def test_only_the_prose_field_is_forwarded_whatever_comes_before_it(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    long_title_first = json.dumps({"title": "A long title " * 3, "text": "short"})
    fake_openai.enqueue(Reply(content=long_title_first, chunk_chars=3))
    pieces = Pieces()
    assert streamed(client, pieces).value.text == "short"
    assert pieces.text == "short"


def test_a_slow_first_token_within_the_timeout_is_waited_for(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    fake_openai.enqueue(Reply.answer(ANSWER, first_token_delay_seconds=0.2, chunk_delay_seconds=0.01))
    pieces = Pieces()
    assert streamed(client, pieces).value.text == TEXT == pieces.text


def test_a_first_token_later_than_the_timeout_falls_back_without_a_retry(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    fake_openai.enqueue(Reply.answer(ANSWER, first_token_delay_seconds=1.5), Reply.answer(ANSWER))
    pieces = Pieces()
    with pytest.raises(LlmUnavailable) as failed:
        streamed(client, pieces)
    assert failed.value.reason == "timeout"
    assert pieces.received == [] and len(fake_openai.received) == 1


def test_a_stream_cut_after_the_first_piece_falls_back_at_once(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    fake_openai.enqueue(Reply.answer(ANSWER, chunk_chars=8, cut_after_chunks=6), Reply.answer(ANSWER))
    pieces = Pieces()
    with pytest.raises(LlmUnavailable) as failed:
        streamed(client, pieces)
    assert failed.value.reason == "stream_cut"
    assert pieces.text and TEXT.startswith(pieces.text) and pieces.text != TEXT
    assert len(fake_openai.received) == 1  # what was shown cannot be taken back by a retry
    assert client.breaker.fail_counter == 1  # a broken stream is the service failing


def test_a_stream_cut_before_any_piece_is_retried(client: OpenAiClient, fake_openai: FakeOpenAi) -> None:
    fake_openai.enqueue(Reply.answer(ANSWER, chunk_chars=4, cut_after_chunks=2), Reply.answer(ANSWER))
    pieces = Pieces()
    completion = streamed(client, pieces)
    assert completion.value.text == TEXT == pieces.text
    assert completion.attempts == 2


def test_a_429_before_the_stream_is_retried_after_its_retry_after(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    fake_openai.enqueue(Reply.error(429, headers={"Retry-After": "0.2"}), Reply.answer(ANSWER))
    pieces = Pieces()
    completion = streamed(client, pieces)
    assert completion.value.text == TEXT == pieces.text and completion.attempts == 2


def test_a_storm_of_server_errors_opens_the_circuit_for_streams_too(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    fake_openai.reset(default=Reply.error(502))
    for _ in range(2):
        with pytest.raises(LlmUnavailable):
            streamed(client, Pieces())
    assert client.breaker.current_state == pybreaker.STATE_OPEN
    with pytest.raises(LlmUnavailable) as refused:
        streamed(client, Pieces())
    assert refused.value.reason == "circuit_open"
    assert len(fake_openai.received) == 5


def test_malformed_json_after_the_first_piece_is_not_asked_for_again(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    broken = '{"title": "Loops", "text": "Once upon a time there was a loop", "title": }'
    fake_openai.enqueue(Reply(content=broken, chunk_chars=6), Reply.answer(ANSWER))
    pieces = Pieces()
    with pytest.raises(LlmUnavailable) as failed:
        streamed(client, pieces)
    assert failed.value.reason == "malformed"
    assert pieces.text == "Once upon a time there was a loop"
    assert len(fake_openai.received) == 1 and client.breaker.fail_counter == 0


def test_malformed_json_before_any_piece_is_asked_for_once_more(
    client: OpenAiClient, fake_openai: FakeOpenAi
) -> None:
    fake_openai.enqueue(Reply(content="{not json at all"), Reply.answer(ANSWER))
    pieces = Pieces()
    assert streamed(client, pieces).value.text == TEXT == pieces.text
    assert len(fake_openai.received) == 2
