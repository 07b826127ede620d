"""The LLM layer: the OpenAI provider (retries, circuit breaker, validated structured output), the
LLM tutor engine, prompts kept as files, and `tutor_engine`, which picks the engine from the settings.
"""

from collections.abc import Callable

from learnflow.domain.offline_tutor import OfflineEngine
from learnflow.domain.ports import Sandbox, TutorEngine
from learnflow.llm.client import Completion, LlmUnavailable, OpenAiClient, Usage
from learnflow.llm.engine import LlmEngine
from learnflow.llm.provider import StreamingProvider
from learnflow.llm.settings import LlmSettings
from learnflow.observability import logger


def tutor_engine(
    settings: LlmSettings, sandbox: Sandbox | None = None, llm: StreamingProvider | None = None
) -> TutorEngine:
    """The offline engine when OPENAI_API_KEY is unset, else the LLM engine falling back to it.

    `sandbox` checks what the LLM writes; without one, LLM examples and exercises are not used.
    `llm` is the provider (the budgeted one in the functions); by default the client itself.
    """
    if not settings.llm_enabled:
        return OfflineEngine()
    return LlmEngine(llm or OpenAiClient(settings), OfflineEngine(), sandbox)


def engine_with_sandbox(
    settings: LlmSettings, sandbox: Callable[[], Sandbox], llm: StreamingProvider | None = None
) -> TutorEngine:
    """`tutor_engine` for a function: the sandbox is started only when the LLM is in use."""
    if not settings.llm_enabled:
        return OfflineEngine()
    try:
        runner: Sandbox | None = sandbox()
    except Exception:  # no runner here: LLM explanations keep offline examples, exercises come from the bank
        logger.warning("no sandbox to check LLM answers; LLM examples and exercises are not used")
        runner = None
    return tutor_engine(settings, runner, llm)


__all__ = [
    "Completion",
    "LlmEngine",
    "LlmSettings",
    "LlmUnavailable",
    "OpenAiClient",
    "Usage",
    "engine_with_sandbox",
    "tutor_engine",
]
