"""What `make dev`'s shell passes to the functions: the settings an operator tunes, to those that use them."""

from pathlib import Path

import pytest

from infra.wiring import function_named
from learnflow.llm.settings import LlmSettings
from learnflow.settings import LoginThrottleSettings, StruggleSettings
from localcloud.environment import Endpoints, function_environment
from localcloud.lambda_context import REGION

ENDPOINTS = Endpoints(
    "postgresql://learnflow@127.0.0.1:1/learnflow",
    "127.0.0.1:1",
    "http://127.0.0.1:1",
    "x" * 48,
    data_dir=Path("/nonexistent"),
)


def _loaded[S: (LlmSettings, StruggleSettings, LoginThrottleSettings)](
    settings_type: type[S], environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> S:
    for name in list(settings_type.model_fields):
        monkeypatch.delenv(name.upper(), raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return settings_type()


def test_a_tuned_setting_in_the_shell_reaches_the_functions_that_read_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LLM_TRIAGE_BELOW", "0.3")
    monkeypatch.setenv("LLM_STUDENT_DAILY_TOKENS", "1234")
    monkeypatch.setenv("STRUGGLE_THRESHOLD", "5")
    environment = dict(function_environment(function_named("debug_api"), ENDPOINTS))

    llm = _loaded(LlmSettings, environment, monkeypatch)
    struggle = _loaded(StruggleSettings, environment, monkeypatch)

    assert llm.llm_triage_below == 0.3
    assert llm.llm_student_daily_tokens == 1234
    assert struggle.struggle_threshold == 5


def test_the_sign_in_throttle_can_be_tuned_for_make_dev(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGIN_FAILURES_PER_SOURCE", "7")
    environment = dict(function_environment(function_named("auth_api"), ENDPOINTS))

    throttle = _loaded(LoginThrottleSettings, environment, monkeypatch)

    assert throttle.throttle_policy().failures_per_source == 7


def test_llm_settings_reach_only_the_functions_allowed_to_call_the_llm(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-local")
    monkeypatch.setenv("LLM_STREAM_BATCH_MS", "40")

    with_llm = function_environment(function_named("ws_messages"), ENDPOINTS)
    without_llm = function_environment(function_named("progress_api"), ENDPOINTS)

    assert with_llm["OPENAI_API_KEY"] == "sk-local"
    assert with_llm["LLM_STREAM_BATCH_MS"] == "40"
    assert "OPENAI_API_KEY" not in without_llm
    assert "LLM_STREAM_BATCH_MS" not in without_llm


def test_the_shell_cannot_redirect_a_function_to_other_endpoints_or_region(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    monkeypatch.setenv("DATABASE_URL", "postgresql://elsewhere@10.0.0.1/prod")
    monkeypatch.setenv("WEBSOCKET_MANAGEMENT_ENDPOINT", "https://example.com")

    with_database = function_environment(function_named("progress_api"), ENDPOINTS)
    without_database = function_environment(function_named("authorizer"), ENDPOINTS)

    assert with_database["AWS_REGION"] == REGION
    assert with_database["DATABASE_URL"] == ENDPOINTS.database_url
    assert "DATABASE_URL" not in without_database
    assert "WEBSOCKET_MANAGEMENT_ENDPOINT" not in with_database
