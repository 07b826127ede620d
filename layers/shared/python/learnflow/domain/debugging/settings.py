"""Settings of the debug functions (the REST API and the agent): storage, sandbox, struggle rules."""

from datetime import timedelta

from pydantic import Field

from learnflow.domain.struggle import StrugglePolicy
from learnflow.sandbox import SandboxSettings
from learnflow.settings import DatabaseSettings, KafkaSettings


class DebugSettings(DatabaseSettings, KafkaSettings, SandboxSettings):
    #: a struggle is more than this many occurrences of one error type...
    struggle_threshold: int = Field(default=3, ge=1, le=100)
    #: ...within this many minutes
    struggle_window_minutes: int = Field(default=10, ge=1, le=24 * 60)
    #: an episode ends after this many minutes without the error
    struggle_quiet_minutes: int = Field(default=10, ge=1, le=24 * 60)

    def struggle_policy(self) -> StrugglePolicy:
        return StrugglePolicy(
            threshold=self.struggle_threshold,
            window=timedelta(minutes=self.struggle_window_minutes),
            quiet_period=timedelta(minutes=self.struggle_quiet_minutes),
        )
