"""The rules of mastery, levels, streaks and consistency (the package docstring states them)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from learnflow.domain.concepts import list_concepts

Level = Literal["red", "yellow", "green", "blue"]
Component = Literal["exercises", "quizzes", "code_quality", "consistency"]
EventKind = Literal["exercise_submitted", "quiz_attempted", "code_reviewed", "activity"]

WEIGHTS: dict[Component, Decimal] = {
    "exercises": Decimal("0.4"),
    "quizzes": Decimal("0.3"),
    "code_quality": Decimal("0.2"),
    "consistency": Decimal("0.1"),
}
#: each level and the highest whole-number mastery it covers
LEVEL_CEILINGS: tuple[tuple[Level, int], ...] = (("red", 40), ("yellow", 70), ("green", 90), ("blue", 100))
RECENT_SCORES = 5
CONSISTENCY_WINDOW_DAYS = 30
STREAK_MILESTONES = (3, 7, 14, 30, 60, 100, 200, 365)
HISTORY_LENGTH = 10
GENERAL_TOPIC = "general"
ZERO = Decimal(0)

ADVICE: dict[Component, str] = {
    "exercises": "solve exercises",
    "quizzes": "take a quiz",
    "code_quality": "ask for a code review and apply its suggestions",
    "consistency": "practise a little on more days",
}


# --- the rules -----------------------------------------------------------------------------------


def round_half_up(value: Decimal, places: int = 0) -> Decimal:
    """2.45 -> 2.5 and 40.5 -> 41 (Python's round() would give 2.4 and 40: banker's rounding)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def level_of(mastery: int) -> Level:
    for level, ceiling in LEVEL_CEILINGS:
        if mastery <= ceiling:
            return level
    return "blue"


def level_range(level: Level) -> str:
    floor = 0
    for name, ceiling in LEVEL_CEILINGS:
        if name == level:
            return f"{floor}-{ceiling}"
        floor = ceiling + 1
    raise ValueError(level)


def rank_of(level: Level) -> int:
    return [name for name, _ in LEVEL_CEILINGS].index(level)


def mean(values: Sequence[Decimal]) -> Decimal:
    """The mean rounded half up to one decimal; 0 when there is nothing to average."""
    if not values:
        return ZERO
    return round_half_up(sum(values, ZERO) / len(values), 1)


def recent_average(scores_newest_first: Sequence[Decimal]) -> Decimal:
    return mean(scores_newest_first[:RECENT_SCORES])


@dataclass(frozen=True)
class Components:
    exercises: Decimal = ZERO
    quizzes: Decimal = ZERO
    code_quality: Decimal = ZERO
    consistency: Decimal = ZERO

    def value(self, component: Component) -> Decimal:
        figure: Decimal = getattr(self, component)
        return figure

    def weighted_sum(self) -> Decimal:
        return sum((WEIGHTS[name] * self.value(name) for name in WEIGHTS), ZERO)

    def mastery(self) -> int:
        return int(round_half_up(self.weighted_sum()))

    def public(self) -> dict[str, float]:
        return {name: float(self.value(name)) for name in WEIGHTS}


@cache
def zone(name: str) -> ZoneInfo:
    """The IANA zone; a name Python does not know falls back to UTC rather than failing an event."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_day(moment: datetime, timezone: str) -> date:
    """The date on the student's own calendar when `moment` happened (DST included)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone(timezone)).date()


def consistency_of(active_days: Iterable[date], today: date) -> tuple[int, Decimal]:
    """(active days among the 30 ending today, that count / 30 as 0-100 with one decimal)."""
    first = today - timedelta(days=CONSISTENCY_WINDOW_DAYS - 1)
    active = len({day for day in active_days if first <= day <= today})
    return active, round_half_up(Decimal(active * 100) / CONSISTENCY_WINDOW_DAYS, 1)


@dataclass(frozen=True)
class Streaks:
    current: int
    longest: int


def runs_of(active_days: Iterable[date]) -> list[tuple[date, date]]:
    """Runs of consecutive days as (first, last), oldest first."""
    spans: list[tuple[date, date]] = []
    for day in sorted(set(active_days)):
        if spans and day == spans[-1][1] + timedelta(days=1):
            spans[-1] = (spans[-1][0], day)
        else:
            spans.append((day, day))
    return spans


def _length(span: tuple[date, date]) -> int:
    return (span[1] - span[0]).days + 1


def streaks_of(active_days: Iterable[date], today: date) -> Streaks:
    spans = runs_of(active_days)
    longest = max((_length(span) for span in spans), default=0)
    alive = bool(spans) and spans[-1][1] >= today - timedelta(days=1)
    return Streaks(current=_length(spans[-1]) if alive else 0, longest=longest)


def milestone_reached(active_days: set[date], new_day: date, today: date) -> tuple[int, int] | None:
    """(milestone, streak length) when making `new_day` active lifted a current streak past a milestone.

    `active_days` includes `new_day`. A late event may fill a gap and join two runs: the milestone
    counts only if neither run had reached it before. Runs that ended before yesterday are history.
    """
    before = 0
    while new_day - timedelta(days=before + 1) in active_days:
        before += 1
    after = 0
    while new_day + timedelta(days=after + 1) in active_days:
        after += 1
    if new_day + timedelta(days=after) < today - timedelta(days=1):
        return None
    length = before + 1 + after
    crossed = [milestone for milestone in STREAK_MILESTONES if max(before, after) < milestone <= length]
    return (crossed[-1], length) if crossed else None


@cache
def _concept_topics() -> dict[str, str]:
    return {concept.slug: concept.topic for concept in list_concepts()}


@cache
def curriculum_topics() -> tuple[str, ...]:
    """The curriculum's topics in teaching order (basics, control-flow, ...)."""
    return tuple(dict.fromkeys(concept.topic for concept in list_concepts()))


def topic_of(raw: str | None) -> str:
    """The curriculum topic an event counts toward: a concept ("for-loops") counts for its topic."""
    key = "-".join((raw or "").lower().replace("_", " ").split())[:64]
    if not key:
        return GENERAL_TOPIC
    return _concept_topics().get(key, key)


def topic_order(topic: str) -> tuple[int, str]:
    order = curriculum_topics()
    return (order.index(topic), "") if topic in order else (len(order), topic)
