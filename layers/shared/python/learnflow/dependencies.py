"""Long-lived clients built once per execution environment from a function's settings."""

import atexit
from collections.abc import Callable
from datetime import timedelta
from functools import cache

from learnflow.db.pool import connection_pool
from learnflow.domain.errors import SandboxUnavailableError
from learnflow.domain.ports import Sandbox, TutorEngine
from learnflow.llm import engine_with_sandbox
from learnflow.llm.budget import BudgetedLlm
from learnflow.llm.client import OpenAiClient
from learnflow.llm.hint_writer import LlmHintWriter
from learnflow.llm.progress_narrator import LlmProgressNarrator
from learnflow.llm.provider import StreamingProvider
from learnflow.llm.review_narrator import LlmReviewNarrator
from learnflow.llm.settings import LlmSettings
from learnflow.llm.triage import TriageLlm
from learnflow.messaging.publisher import KafkaEventPublisher
from learnflow.observability import logger
from learnflow.realtime.pusher import ApiGatewayPusher
from learnflow.repositories.database import Database
from learnflow.repositories.usage_ledger import DatabaseUsageLedger
from learnflow.sandbox import LambdaSandbox
from learnflow.security.tokens import TokenService
from learnflow.settings import (
    DatabaseSettings,
    KafkaSettings,
    SandboxSettings,
    TokenSettings,
    WebSocketSettings,
)


@cache
def database(settings: DatabaseSettings) -> Database:
    """The unit-of-work factory; events published through it are relayed after commit when Kafka is set."""
    pool = connection_pool(settings.resolved_url(), settings.database_pool_max)
    return Database(pool, publisher(settings) if isinstance(settings, KafkaSettings) else None)


@cache
def publisher(settings: KafkaSettings) -> KafkaEventPublisher:
    created = KafkaEventPublisher(settings)
    atexit.register(created.close)  # an environment that ends normally closes its connections
    return created


@cache
def token_service(settings: TokenSettings) -> TokenService:
    return TokenService(
        settings.signing_key(),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        access_ttl=timedelta(seconds=settings.access_token_ttl_seconds),
        refresh_ttl=timedelta(seconds=settings.refresh_token_ttl_seconds),
    )


@cache
def pusher(settings: WebSocketSettings) -> ApiGatewayPusher:
    return ApiGatewayPusher(settings.websocket_management_endpoint)


@cache
def sandbox_for(settings: SandboxSettings) -> Sandbox:
    """The sandbox function named by `SANDBOX_FUNCTION_NAME`; without it, SandboxUnavailableError."""
    if not settings.sandbox_function_name:
        raise SandboxUnavailableError("SANDBOX_FUNCTION_NAME is not set: this function has no sandbox")
    return LambdaSandbox(settings.sandbox_function_name)


def optional_sandbox(settings: SandboxSettings, *, without_it: str) -> Sandbox | None:
    """The sandbox for work that can go on without it; logs what is lost (`without_it`) when it is down."""
    try:
        return sandbox_for(settings)
    except SandboxUnavailableError:
        logger.warning(f"the sandbox is unavailable: {without_it}")
        return None


@cache
def llm_provider(settings: LlmSettings, database_settings: DatabaseSettings) -> StreamingProvider | None:
    """The LLM within the daily budgets (usage in the database), or None when no LLM is configured."""
    if not settings.llm_enabled:
        return None
    ledger = DatabaseUsageLedger(database(database_settings))
    return BudgetedLlm(OpenAiClient(settings), ledger, settings.token_budget(), settings.llm_cache_seconds)


def triage_second_opinion(settings: LlmSettings, database_settings: DatabaseSettings) -> TriageLlm | None:
    provider = llm_provider(settings, database_settings)
    return TriageLlm(provider) if provider is not None else None


def progress_narrator(
    settings: LlmSettings, database_settings: DatabaseSettings
) -> LlmProgressNarrator | None:
    provider = llm_provider(settings, database_settings)
    return LlmProgressNarrator(provider) if provider is not None else None


def review_narrator(settings: LlmSettings, database_settings: DatabaseSettings) -> LlmReviewNarrator | None:
    provider = llm_provider(settings, database_settings)
    return LlmReviewNarrator(provider) if provider is not None else None


def tutor_engine_for(
    settings: LlmSettings, database_settings: DatabaseSettings, sandbox: Callable[[], Sandbox]
) -> TutorEngine:
    """The function's tutor engine: the LLM within the daily budgets when one is configured."""
    return engine_with_sandbox(settings, sandbox, llm_provider(settings, database_settings))


def hint_writer(settings: LlmSettings, database_settings: DatabaseSettings) -> LlmHintWriter | None:
    provider = llm_provider(settings, database_settings)
    return LlmHintWriter(provider) if provider is not None else None
