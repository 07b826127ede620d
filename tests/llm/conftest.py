"""One OpenAI-compatible test server for the LLM tests; each test starts with an empty script."""

from collections.abc import Iterator

import pytest

from learnflow.domain.offline_tutor import OfflineEngine
from learnflow.llm import LlmEngine, LlmSettings, OpenAiClient
from learnflow.llm.client import new_breaker
from localcloud.sandbox import LocalSandbox
from tests.llm.fake_openai import FakeOpenAi, fake_openai_server


@pytest.fixture(scope="session")
def openai_server() -> Iterator[FakeOpenAi]:
    with fake_openai_server() as server:
        yield server


@pytest.fixture
def fake_openai(openai_server: FakeOpenAi) -> FakeOpenAi:
    openai_server.reset()
    return openai_server


def settings_for(server: FakeOpenAi, **overrides: object) -> LlmSettings:
    values: dict[str, object] = {
        "openai_api_key": "sk-test-not-a-real-key",
        "openai_base_url": server.base_url,
        "learnflow_llm_model": "tutor-test-model",
        "llm_timeout_seconds": 0.5,
        "llm_backoff_seconds": 0.01,
        "llm_max_retry_wait_seconds": 2.0,
    }
    return LlmSettings.model_validate(values | overrides)


@pytest.fixture
def client(fake_openai: FakeOpenAi) -> OpenAiClient:
    """The real openai SDK over HTTP, with a breaker of its own (5 failures, 0.3 s to half-open)."""
    breaker = new_breaker(failures=5, reset_seconds=0.3)
    return OpenAiClient(settings_for(fake_openai), breaker=breaker)


@pytest.fixture(scope="session")
def sandbox() -> Iterator[LocalSandbox]:
    """The real sandbox, one for the LLM tests: what the LLM writes is run and graded in it."""
    runner = LocalSandbox()
    yield runner
    runner.close()


@pytest.fixture
def engine(client: OpenAiClient, sandbox: LocalSandbox) -> LlmEngine:
    return LlmEngine(client, OfflineEngine(), sandbox)
