"""Structured answers from OpenAI (or any compatible server) under one retry policy and a circuit breaker.

- the SDK's own retries are off (`max_retries=0`): tenacity is the one retry policy;
- 429, 5xx and connection errors are retried with exponential backoff and full jitter, or after
  exactly the server's `Retry-After`; a wait longer than `llm_max_retry_wait_seconds` (or past the
  call's budget) gives up at once instead, and a timed-out attempt is not retried;
- every HTTP attempt passes through a circuit breaker that opens after `llm_breaker_failures`
  consecutive failures and lets one trial call through after `llm_breaker_reset_seconds`;
- the answer is parsed into a pydantic model; a malformed one is asked for once more, then the
  call fails with `LlmUnavailable` and the caller falls back to the offline engine;
- `stream` reads the answer as the server writes it and forwards the growing text of one of its
  fields (the prose a student reads) as deltas. Retries and the second ask happen only before the
  first delta is forwarded: after it, a stream that breaks off or an answer that fails validation
  raises `LlmUnavailable` at once, and the caller retracts what was shown.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from typing import Any, Literal

import httpx
import openai
import pybreaker
import pydantic_core
from aws_lambda_powertools.metrics import MetricUnit
from openai.types.chat import ParsedChatCompletion
from pydantic import BaseModel, ValidationError
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
    wait_random_exponential,
)
from tenacity.stop import stop_base
from tenacity.wait import wait_base

from learnflow.llm.prompts import Prompt
from learnflow.llm.settings import LlmSettings
from learnflow.observability import logger, metrics

FailureReason = Literal[
    "circuit_open",
    "timeout",
    "rate_limited",
    "server_error",
    "connection",
    "refused",
    "malformed",
    "over_budget",
    "stream_cut",
]


class MalformedStream(Exception):  # noqa: N818 (reads as what the answer is)
    """What the server is writing cannot be JSON: the answer is malformed before it is finished."""


#: what the model may get wrong without the service being down: these never open the circuit
_ANSWER_ERRORS: tuple[type[Exception], ...] = (
    ValidationError,
    MalformedStream,
    openai.LengthFinishReasonError,
    openai.ContentFilterFinishReasonError,
)


class LlmUnavailable(Exception):  # noqa: N818 (reads as a state, like ConceptNotFound)
    """No usable answer: the caller answers with the offline engine instead."""

    def __init__(self, reason: FailureReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass
class _Tally:
    attempts: int = 0


@dataclass(frozen=True)
class Completion[M: BaseModel]:
    value: M
    model: str
    usage: Usage
    attempts: int


class StreamCut(Exception):  # noqa: N818 (reads as what happened, like LlmUnavailable)
    """The answer's stream ended before the server finished it: a broken connection or a silent server."""

    def __init__(self, message: str, *, timed_out: bool) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class _Prose:
    """The growing text of one string field of a JSON answer, read from successive partial parses of
    what the server has written so far; each new piece goes to `forward` as a delta."""

    def __init__(self, field: str, forward: Callable[[str], None]) -> None:
        self._field = field
        self._forward = forward
        self.text = ""

    @property
    def started(self) -> bool:
        return bool(self.text)

    def update(self, written: str) -> None:
        try:
            partial = pydantic_core.from_json(written, allow_partial="trailing-strings")
        except ValueError:  # nothing parseable yet
            return
        value = partial.get(self._field) if isinstance(partial, dict) else None
        if not isinstance(value, str):
            return
        if value and "\ud800" <= value[-1] <= "\udfff":  # half of a surrogate pair: wait for the rest
            value = value[:-1]
        if len(value) > len(self.text) and value.startswith(self.text):
            delta, self.text = value[len(self.text) :], value
            self._forward(delta)


def retry_after_seconds(error: BaseException | None) -> float | None:
    """The wait a 429/503 answer asks for (`retry-after-ms`, `Retry-After` seconds or HTTP date)."""
    if not isinstance(error, openai.APIStatusError):
        return None
    headers = error.response.headers
    try:
        if "retry-after-ms" in headers:
            return max(0.0, float(headers["retry-after-ms"]) / 1000)
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


def is_transient(error: BaseException) -> bool:
    """429, 5xx and connection failures are worth another attempt; a timeout already took its 10 s."""
    if isinstance(error, openai.APITimeoutError):
        return False
    if isinstance(error, openai.APIStatusError):
        return error.status_code == 429 or error.status_code >= 500
    if isinstance(error, StreamCut):
        return not error.timed_out
    return isinstance(error, openai.APIConnectionError)


#: failures named by their type alone, most specific first (a timeout is a kind of connection error)
_REASON_OF_TYPE: tuple[tuple[type[BaseException], FailureReason], ...] = (
    (pybreaker.CircuitBreakerError, "circuit_open"),
    (openai.APITimeoutError, "timeout"),
    (openai.APIConnectionError, "connection"),
)


def _reason_of(error: BaseException) -> FailureReason:
    if isinstance(error, StreamCut):
        return "timeout" if error.timed_out else "stream_cut"
    if isinstance(error, openai.APIStatusError):
        if error.status_code == 429:
            return "rate_limited"
        return "server_error" if error.status_code >= 500 else "refused"
    for kind, reason in _REASON_OF_TYPE:
        if isinstance(error, kind):
            return reason
    return "malformed" if isinstance(error, _ANSWER_ERRORS) else "refused"


class _RetryAfterOrBackoff(wait_base):
    """Exactly the server's Retry-After when it sent one, else exponential backoff with full jitter."""

    def __init__(self, backoff: wait_base) -> None:
        self._backoff = backoff

    def __call__(self, retry_state: RetryCallState) -> float:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        hinted = retry_after_seconds(error)
        return hinted if hinted is not None else float(self._backoff(retry_state))


class _StopWhenWaitExceeds(stop_base):
    """Gives up rather than wait longer than allowed: the offline engine answers now instead."""

    def __init__(self, longest_wait: float) -> None:
        self._longest_wait = longest_wait

    def __call__(self, retry_state: RetryCallState) -> bool:
        return retry_state.upcoming_sleep > self._longest_wait


class _BreakerLog(pybreaker.CircuitBreakerListener):
    def state_change(
        self, cb: pybreaker.CircuitBreaker, old_state: pybreaker.CircuitBreakerState | None, new_state: Any
    ) -> None:
        logger.warning(
            "llm circuit changed state",
            extra={"circuit": cb.name, "from": getattr(old_state, "name", None), "to": new_state.name},
        )
        if new_state.name == pybreaker.STATE_OPEN:
            metrics.add_metric(name="LlmCircuitOpened", unit=MetricUnit.Count, value=1)


def _is_answer_error(error: BaseException) -> bool:
    """pybreaker's type check misses pydantic's ValidationError (its class has a metaclass): a predicate."""
    return isinstance(error, _ANSWER_ERRORS)


def new_breaker(failures: int, reset_seconds: float) -> pybreaker.CircuitBreaker:
    """A breaker that opens after `failures` consecutive failed attempts; a malformed answer is no failure."""
    return pybreaker.CircuitBreaker(
        fail_max=failures,
        reset_timeout=reset_seconds,
        exclude=[_is_answer_error],
        listeners=[_BreakerLog()],
        name="openai",
    )


@cache
def shared_breaker(failures: int, reset_seconds: float) -> pybreaker.CircuitBreaker:
    """One breaker per execution environment (and policy): every call to the provider shares it."""
    return new_breaker(failures, reset_seconds)


class OpenAiClient:
    """The OpenAI provider: `complete` returns a validated answer or raises `LlmUnavailable`."""

    def __init__(
        self,
        settings: LlmSettings,
        *,
        breaker: pybreaker.CircuitBreaker | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        api_key = settings.api_key()
        if api_key is None:
            raise ValueError("OPENAI_API_KEY is not set: use the offline engine")
        self._settings = settings
        self._sdk = openai.OpenAI(
            api_key=api_key,
            base_url=settings.openai_base_url,
            timeout=settings.llm_timeout_seconds,
            max_retries=0,
        )
        self.breaker = breaker or shared_breaker(
            settings.llm_breaker_failures, settings.llm_breaker_reset_seconds
        )
        self._sleep = sleep

    @property
    def model(self) -> str:
        return self._settings.learnflow_llm_model

    def complete[M: BaseModel](self, prompt: Prompt, schema: type[M]) -> Completion[M]:
        """The answer to `prompt`, parsed and validated as `schema`; a malformed one is asked for twice."""
        return self._answer(prompt, schema, None)

    def stream[M: BaseModel](
        self, prompt: Prompt, schema: type[M], prose_field: str, on_prose: Callable[[str], None]
    ) -> Completion[M]:
        """`complete`, read as the server writes it: each new piece of the string field `prose_field`
        goes to `on_prose` as it arrives. Once a piece has gone, nothing is retried or asked again."""
        return self._answer(prompt, schema, _Prose(prose_field, on_prose))

    def _answer[M: BaseModel](self, prompt: Prompt, schema: type[M], prose: _Prose | None) -> Completion[M]:
        started = time.perf_counter()
        tally = _Tally()
        for answer_try in (1, 2):
            try:
                completion = self._with_retries(prompt, schema, tally, prose)
            except Exception as error:
                reason = _reason_of(error)
                shown = prose is not None and prose.started
                if reason == "malformed" and answer_try == 1 and not shown:
                    logger.warning("llm answer malformed; asking once more", extra={"task": prompt.task})
                    continue
                self._record_failure(prompt, reason, error, tally.attempts, started)
                raise LlmUnavailable(reason, f"the LLM gave no usable answer ({reason})") from error
            parsed = completion.choices[0].message.parsed
            if parsed is None:  # a refusal: the model declined to answer in the schema
                self._record_failure(prompt, "refused", None, tally.attempts, started)
                raise LlmUnavailable("refused", "the LLM refused to answer")
            usage = Usage(
                prompt_tokens=completion.usage.prompt_tokens if completion.usage else 0,
                completion_tokens=completion.usage.completion_tokens if completion.usage else 0,
            )
            self._record_success(prompt, completion.model, usage, tally.attempts, started)
            return Completion(parsed, completion.model, usage, tally.attempts)
        raise AssertionError("unreachable: the second malformed answer raises")  # pragma: no cover

    def _with_retries[M: BaseModel](
        self, prompt: Prompt, schema: type[M], tally: "_Tally", prose: _Prose | None
    ) -> ParsedChatCompletion[M]:
        settings = self._settings

        def worth_retrying(error: BaseException) -> bool:
            return is_transient(error) and not (prose is not None and prose.started)

        retrying = Retrying(
            retry=retry_if_exception(worth_retrying),
            wait=_RetryAfterOrBackoff(
                wait_random_exponential(
                    multiplier=settings.llm_backoff_seconds, max=settings.llm_max_retry_wait_seconds
                )
            ),
            stop=(
                stop_after_attempt(settings.llm_max_attempts)
                | stop_before_delay(settings.llm_budget_seconds)
                | _StopWhenWaitExceeds(settings.llm_max_retry_wait_seconds)
            ),
            sleep=self._sleep,
            before_sleep=_log_retry,
            reraise=True,
        )
        for attempt in retrying:
            with attempt:
                tally.attempts += 1
                if prose is None:
                    completion = self.breaker.call(self._call, prompt, schema)
                else:
                    completion = self.breaker.call(self._streamed, prompt, schema, prose)
        return completion

    def _request(self, prompt: Prompt) -> dict[str, Any]:
        """What every request carries, streamed or not."""
        return {
            "model": self.model,
            "messages": prompt.messages(),
            "max_completion_tokens": self._settings.llm_max_output_tokens,
            "temperature": 0.3,
        }

    def _call[M: BaseModel](self, prompt: Prompt, schema: type[M]) -> ParsedChatCompletion[M]:
        return self._sdk.chat.completions.parse(**self._request(prompt), response_format=schema)

    def _streamed[M: BaseModel](
        self, prompt: Prompt, schema: type[M], prose: _Prose
    ) -> ParsedChatCompletion[M]:
        with self._sdk.chat.completions.stream(
            **self._request(prompt), response_format=schema, stream_options={"include_usage": True}
        ) as stream:
            try:
                for event in stream:
                    if event.type == "content.delta":
                        prose.update(event.snapshot)
            except (openai.APITimeoutError, httpx.TimeoutException) as error:
                raise StreamCut("the server stopped writing the answer", timed_out=True) from error
            except (openai.APIConnectionError, httpx.TransportError) as error:
                raise StreamCut("the answer's stream broke off", timed_out=False) from error
            except ValueError as error:  # the SDK's reading of the JSON so far failed
                raise MalformedStream(str(error)) from error
            choices = stream.current_completion_snapshot.choices
            if not choices or choices[0].finish_reason is None:
                raise StreamCut("the answer's stream ended before it was finished", timed_out=False)
            return stream.get_final_completion()

    def _record_success(
        self, prompt: Prompt, model: str, usage: Usage, attempts: int, started: float
    ) -> None:
        logger.info(
            "llm answered",
            extra={
                "task": prompt.task,
                "model": model,
                "attempts": attempts,
                "prompt_tokens": usage.prompt_tokens,
                "completion_tokens": usage.completion_tokens,
                "total_tokens": usage.total_tokens,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        metrics.add_metric(name="LlmPromptTokens", unit=MetricUnit.Count, value=usage.prompt_tokens)
        metrics.add_metric(name="LlmCompletionTokens", unit=MetricUnit.Count, value=usage.completion_tokens)
        metrics.add_metric(name="LlmAnswers", unit=MetricUnit.Count, value=1)

    def _record_failure(
        self, prompt: Prompt, reason: str, error: BaseException | None, attempts: int, started: float
    ) -> None:
        logger.warning(
            "llm unavailable; the offline engine answers",
            extra={
                "task": prompt.task,
                "reason": reason,
                "attempts": attempts,
                "error_type": type(error).__name__ if error else None,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        metrics.add_metric(name="LlmFallbacks", unit=MetricUnit.Count, value=1)


def _log_retry(retry_state: RetryCallState) -> None:
    error = retry_state.outcome.exception() if retry_state.outcome else None
    logger.info(
        "llm attempt failed; retrying",
        extra={
            "attempt": retry_state.attempt_number,
            "wait_seconds": round(retry_state.upcoming_sleep, 3),
            "error_type": type(error).__name__ if error else None,
        },
    )
