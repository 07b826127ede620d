"""What is stored of a student's progress, and the store that keeps it."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Protocol

from learnflow.domain.progress.rules import ZERO, EventKind, Level
from learnflow.events.schemas import ProgressRecorded


@dataclass(frozen=True)
class TopicFigures:
    """A topic's exercise and quiz figures, and its mastery and level as of the last event."""

    topic: str
    exercises: Decimal = ZERO
    exercises_counted: int = 0
    quizzes: Decimal = ZERO
    quizzes_counted: int = 0
    mastery: int = 0
    level: Level = "red"


@dataclass(frozen=True)
class OverallFigures:
    """Student-wide code quality, and the overall mastery and level as of the last event."""

    code_quality: Decimal = ZERO
    reviews_counted: int = 0
    mastery: int = 0
    level: Level = "red"


@dataclass(frozen=True)
class HistoryEntry:
    kind: EventKind
    topic: str
    score: Decimal | None
    occurred_at: datetime

    def public(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "topic": self.topic,
            "score": None if self.score is None else float(self.score),
            "occurred_at": rfc3339(self.occurred_at),
        }


@dataclass(frozen=True)
class Stored:
    """A student's stored figures, read together."""

    topics: list[TopicFigures]
    overall: OverallFigures | None
    active_days: list[date]
    #: the newest RECENT_SCORES scores asked for with `load(scores_of=...)`, newest first
    recent_scores: list[Decimal]
    #: whether the student has a WebSocket connection open (read here to save the consumer a query)
    online: bool = False


@dataclass(frozen=True)
class AddedEvent:
    """A newly stored event: its day on the student's calendar, and whether it was that day's first."""

    day: date
    first_of_day: bool
    timezone: str


class ProgressStore(Protocol):
    def add_event(self, event_id: str, event: ProgressRecorded, topic: str) -> AddedEvent | None:
        """Stores the fact and counts it in its day of the student's own calendar.

        None when this event id was already stored or the student does not exist (nothing changes).
        """
        ...

    def load(
        self,
        user_id: str,
        *,
        days_since: date | None = None,
        scores_of: tuple[EventKind, str | None] | None = None,
    ) -> Stored:
        """The student's figures, their active days (all, or from `days_since` on), and with
        `scores_of=(kind, topic)` the newest scores of that kind in that topic (any topic when None)."""
        ...

    def save(self, user_id: str, topic: TopicFigures | None, overall: OverallFigures) -> None: ...
    def history(self, user_id: str, limit: int) -> list[HistoryEntry]: ...


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
