"""How the tutor engines reach an LLM: OPENAI_API_KEY set uses one, unset means the offline engine."""

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from learnflow.domain.llm_budget import TokenBudget

DEFAULT_MODEL = "gpt-4o-mini"


class LlmSettings(BaseSettings):
    """The OpenAI (or compatible) provider and its failure policy, explained in docs/tutor-engines.md."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    openai_api_key: SecretStr | None = None
    #: on AWS: the Secrets Manager secret {"api_key": "..."} (empty until an operator stores a key)
    openai_api_key_secret_arn: str | None = None
    openai_base_url: str | None = Field(default=None, description="any OpenAI-compatible server")
    learnflow_llm_model: str = Field(default=DEFAULT_MODEL, min_length=1)
    #: one HTTP attempt; a timed-out attempt is not retried (the offline engine answers instead)
    llm_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    #: attempts per call for 429, 5xx and connection errors
    llm_max_attempts: int = Field(default=3, ge=1, le=6)
    #: the first backoff step; each retry waits a random time up to double the previous cap
    llm_backoff_seconds: float = Field(default=0.5, ge=0, le=10)
    #: the longest wait between attempts, a server's Retry-After included; longer means give up now
    llm_max_retry_wait_seconds: float = Field(default=8.0, ge=0, le=60)
    #: all attempts of one call together, waits included
    llm_budget_seconds: float = Field(default=20.0, gt=0, le=120)
    llm_breaker_failures: int = Field(default=5, ge=1, le=100)
    llm_breaker_reset_seconds: float = Field(default=30.0, gt=0, le=3600)
    llm_max_output_tokens: int = Field(default=1500, ge=64, le=16384)
    #: tokens (prompt and answer) one user may spend per UTC day; past it the offline tutor answers
    llm_student_daily_tokens: int = Field(default=60_000, ge=0)
    #: tokens everyone together may spend per UTC day
    llm_deployment_daily_tokens: int = Field(default=3_000_000, ge=0)
    #: an identical prompt within this many seconds is answered from memory, spending nothing
    llm_cache_seconds: float = Field(default=300.0, ge=0, le=86_400)
    #: below this confidence of the offline triage (0-1), the LLM routes the question
    llm_triage_below: float = Field(default=0.6, ge=0, le=1)
    #: a streamed answer's text goes to each of the student's connections at most once per this many ms
    llm_stream_batch_ms: int = Field(default=100, ge=0, le=5000)

    @field_validator("openai_api_key", "openai_base_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    def api_key(self) -> str | None:
        """The key from the environment (local) or from Secrets Manager (AWS, cached 5 minutes)."""
        if self.openai_api_key is not None:
            return self.openai_api_key.get_secret_value()
        if self.openai_api_key_secret_arn:
            from aws_lambda_powertools.utilities.parameters import get_secret

            stored = get_secret(self.openai_api_key_secret_arn, transform="json", max_age=300)
            key = str(stored.get("api_key") or "").strip() if isinstance(stored, dict) else ""
            return key or None
        return None

    def token_budget(self) -> TokenBudget:
        return TokenBudget(self.llm_student_daily_tokens, self.llm_deployment_daily_tokens)

    @property
    def llm_enabled(self) -> bool:
        return self.api_key() is not None
