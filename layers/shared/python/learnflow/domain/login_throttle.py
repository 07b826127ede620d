"""Throttling password guessing: sliding windows of failed sign-ins per account and per source IP.

Nothing is locked for good: only failures inside the window count, and refused attempts are not
failures, so the wait always ends. A source the user signed in from successfully before is
exempt from the per-account limit, so guessing at someone's account does not lock them out at
home; the per-source limit still applies to everyone.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from learnflow.domain.errors import DomainError


@dataclass(frozen=True)
class ThrottlePolicy:
    window: timedelta = timedelta(minutes=15)
    failures_per_account: int = 10
    failures_per_source: int = 50
    known_source_for: timedelta = timedelta(days=30)


class LoginThrottledError(DomainError):
    """Too many failed sign-ins: the caller must wait `retry_after_seconds` (429 with Retry-After)."""

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"Too many failed sign-ins; try again in {retry_after_seconds} seconds.")
        self.retry_after_seconds = retry_after_seconds


class LoginAttemptStore(Protocol):
    def serialize(self, account: str) -> None:
        """Makes concurrent attempts on one account wait for each other until the transaction ends."""
        ...

    def recent_failures(
        self, *, since: datetime, limit: int, account: str | None = None, source_ip: str | None = None
    ) -> list[datetime]:
        """When the latest failures (at most `limit`) of the account or source happened, newest first."""
        ...

    def is_known_source(self, account: str, source_ip: str, *, since: datetime) -> bool: ...
    def record_failure(
        self, account: str, source_ip: str, *, at: datetime, forget_before: datetime
    ) -> None: ...
    def record_success(
        self, user_id: str, source_ip: str, *, at: datetime, forget_before: datetime
    ) -> None: ...


def account_key(email: str) -> str:
    """The email as typed, normalized: unknown addresses are throttled like real ones."""
    return email.strip().lower()


def _wait(failures: list[datetime], limit: int, window: timedelta, now: datetime) -> timedelta | None:
    """Until the `limit`-th latest failure leaves the window, making room for one more attempt."""
    if len(failures) < limit:
        return None
    return failures[limit - 1] + window - now


def check(
    store: LoginAttemptStore, policy: ThrottlePolicy, *, account: str, source_ip: str, now: datetime
) -> None:
    """Raises LoginThrottledError when this account or source has failed too often lately."""
    since = now - policy.window
    waits = [
        _wait(
            store.recent_failures(source_ip=source_ip, since=since, limit=policy.failures_per_source),
            policy.failures_per_source,
            policy.window,
            now,
        )
    ]
    if not store.is_known_source(account, source_ip, since=now - policy.known_source_for):
        waits.append(
            _wait(
                store.recent_failures(account=account, since=since, limit=policy.failures_per_account),
                policy.failures_per_account,
                policy.window,
                now,
            )
        )
    longest = max((wait for wait in waits if wait is not None), default=None)
    if longest is not None:
        raise LoginThrottledError(max(1, math.ceil(longest.total_seconds())))
