"""Struggle detection: a student who keeps hitting the same error is flagged once per episode.

Rules (the numbers are settings):
- more than `threshold` occurrences (default 3) of the same error type within `window` (default
  10 minutes) start an episode, and only the start publishes `struggle.detected`;
- while the episode is open, further occurrences extend it and publish nothing;
- an episode ends after `quiet_period` without that error (default 10 minutes), or when the
  student's code runs cleanly (a passing run); occurrences before the end no longer count.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from learnflow.domain.ports import EventSink
from learnflow.events.schemas import StruggleDetected
from learnflow.events.topics import Topic

EndReason = Literal["quiet_period", "passing_run"]


@dataclass(frozen=True)
class StrugglePolicy:
    threshold: int = 3
    window: timedelta = timedelta(minutes=10)
    quiet_period: timedelta = timedelta(minutes=10)

    def __post_init__(self) -> None:
        if self.threshold < 1 or self.window <= timedelta(0) or self.quiet_period <= timedelta(0):
            raise ValueError("the struggle threshold, window and quiet period must be positive")


@dataclass(frozen=True)
class ErrorOccurrence:
    user_id: str
    error_type: str
    message: str
    occurred_at: datetime
    line: int | None = None
    topic: str | None = None
    source: str = "debug"
    id: str = ""

    def with_id(self) -> "ErrorOccurrence":
        return self if self.id else ErrorOccurrence(**{**vars(self), "id": str(uuid.uuid4())})


@dataclass(frozen=True)
class Episode:
    id: str
    user_id: str
    error_type: str
    started_at: datetime
    last_occurrence_at: datetime
    occurrences: int


class StruggleStore(Protocol):
    """Where occurrences and episodes live; `lock_student` serialises one student's updates."""

    def lock_student(self, user_id: str) -> None: ...
    def add_occurrence(self, occurrence: ErrorOccurrence) -> None: ...
    def open_episode(self, user_id: str, error_type: str) -> Episode | None: ...
    def open_episodes(self, user_id: str) -> list[Episode]: ...
    def has_unsettled_errors(self, user_id: str) -> bool:
        """An open episode, or an error after the last passing run: what a passing run settles."""
        ...

    def count_since(self, user_id: str, error_type: str, since: datetime) -> int: ...
    def last_reset(self, user_id: str, error_type: str) -> datetime | None:
        """When occurrences of this type stopped counting: the last episode's end or passing run."""
        ...

    def start_episode(self, episode: Episode) -> None: ...
    def extend_episode(self, episode_id: str, at: datetime) -> None: ...
    def end_episode(self, episode_id: str, at: datetime, reason: EndReason) -> None: ...
    def record_passing_run(self, user_id: str, at: datetime) -> None: ...


@dataclass(frozen=True)
class Decision:
    """What one more occurrence means: end a stale episode, extend the open one, or start one."""

    end_stale: Episode | None
    extend: Episode | None
    start: bool
    counted: int


def decide(
    policy: StrugglePolicy,
    *,
    now: datetime,
    open_episode: Episode | None,
    counted_in_window: int,
) -> Decision:
    """Pure rule: `counted_in_window` includes this occurrence and only those after the last reset."""
    stale = None
    if open_episode is not None and now - open_episode.last_occurrence_at > policy.quiet_period:
        stale, open_episode = open_episode, None
    if open_episode is not None:
        return Decision(end_stale=None, extend=open_episode, start=False, counted=counted_in_window)
    return Decision(
        end_stale=stale, extend=None, start=counted_in_window > policy.threshold, counted=counted_in_window
    )


def record_error(
    store: StruggleStore, events: EventSink, policy: StrugglePolicy, occurrence: ErrorOccurrence
) -> Episode | None:
    """Records one occurrence; returns the episode it started (and announced), if it started one."""
    occurrence = occurrence.with_id()
    store.lock_student(occurrence.user_id)
    store.add_occurrence(occurrence)
    now = occurrence.occurred_at
    open_episode = store.open_episode(occurrence.user_id, occurrence.error_type)
    stale_end = (
        open_episode.last_occurrence_at + policy.quiet_period
        if open_episode is not None and now - open_episode.last_occurrence_at > policy.quiet_period
        else None
    )
    reset = max(
        (
            moment
            for moment in (store.last_reset(occurrence.user_id, occurrence.error_type), stale_end)
            if moment
        ),
        default=None,
    )
    since = max(now - policy.window, reset) if reset is not None else now - policy.window
    counted = store.count_since(occurrence.user_id, occurrence.error_type, since)
    decision = decide(policy, now=now, open_episode=open_episode, counted_in_window=counted)
    if decision.end_stale is not None and stale_end is not None:
        store.end_episode(decision.end_stale.id, stale_end, "quiet_period")
    if decision.extend is not None:
        store.extend_episode(decision.extend.id, now)
        return None
    if not decision.start:
        return None
    episode = Episode(
        id=str(uuid.uuid4()),
        user_id=occurrence.user_id,
        error_type=occurrence.error_type,
        started_at=now,
        last_occurrence_at=now,
        occurrences=counted,
    )
    store.start_episode(episode)
    events.publish(
        Topic.STRUGGLE_DETECTED,
        StruggleDetected(
            user_id=occurrence.user_id,
            reason=(
                f"{counted} {occurrence.error_type}s within {_minutes(policy.window)} minutes: "
                f'the latest is "{occurrence.message[:200]}"'
            ),
            error_type=occurrence.error_type,
            occurrences=counted,
            window_minutes=_minutes(policy.window),
        ),
        user_id=occurrence.user_id,
    )
    return episode


def record_passing_run(store: StruggleStore, user_id: str, at: datetime) -> list[Episode]:
    """Code of the student ran cleanly: their open episodes end, earlier errors stop counting.

    With nothing to settle (most runs) it only reads: an error recorded meanwhile counts as if it
    came after this run, which it may well have.
    """
    if not store.has_unsettled_errors(user_id):
        return []
    store.lock_student(user_id)
    ended = store.open_episodes(user_id)
    for episode in ended:
        store.end_episode(episode.id, at, "passing_run")
    store.record_passing_run(user_id, at)
    return ended


def _minutes(span: timedelta) -> int:
    return max(1, round(span.total_seconds() / 60))
