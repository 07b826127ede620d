"""Mastery, levels, streaks and consistency: how a student's progress is computed and explained.

docs/progress.md states the same rules in prose. In short:

- mastery = 40% exercises + 30% quizzes + 20% code quality + 10% consistency, each 0-100;
- exercises and quizzes (per topic) and code quality (student-wide) are the average of the
  RECENT_SCORES most recent scores, by when they happened;
- consistency = active days among the last 30 days of the student's own calendar / 30;
- components are rounded half up to one decimal, mastery (from the rounded components) half up
  to a whole number, and the level is read from that whole number: red 0-40, yellow 41-70,
  green 71-90, blue 91-100;
- a streak is a run of consecutive active days in the student's time zone; it is current while
  its last day is today or yesterday (today is not over yet).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from learnflow.domain.access import TeacherRoster, Viewer, ensure_can_view_student, is_valid_id
from learnflow.domain.concepts import list_concepts
from learnflow.domain.delivery import deliver
from learnflow.domain.errors import NotFoundError
from learnflow.domain.notifications import Notification, NotificationStore, new_notification, push
from learnflow.domain.ports import ConnectionPusher, UnitOfWork, UserStore
from learnflow.events.schemas import ProgressRecorded

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

_ADVICE: dict[Component, str] = {
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


def _topic_order(topic: str) -> tuple[int, str]:
    order = curriculum_topics()
    return (order.index(topic), "") if topic in order else (len(order), topic)


# --- what is stored -------------------------------------------------------------------------------


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


# --- assessing and explaining -----------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """How many scores stand behind each component, for the explanation."""

    exercises_counted: int = 0
    quizzes_counted: int = 0
    reviews_counted: int = 0
    active_days: int = 0
    topics_with_exercises: int = 0
    topics_with_quizzes: int = 0


@dataclass(frozen=True)
class Assessment:
    components: Components
    evidence: Evidence
    topic: str | None
    timezone: str

    @property
    def mastery(self) -> int:
        return self.components.mastery()

    @property
    def level(self) -> Level:
        return level_of(self.mastery)

    def explanation(self) -> dict[str, Any]:
        """In words, for the student; built only when shown (the consumer needs the level alone)."""
        return _explain(self.components, self.evidence, topic=self.topic, timezone=self.timezone)

    def public(self) -> dict[str, Any]:
        return {
            "mastery": self.mastery,
            "level": self.level,
            "components": self.components.public(),
            "explanation": self.explanation(),
        }


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _scored_sentence(
    what: str, counted: int, value: Decimal, weight: str, where: str, missing_advice: str
) -> str:
    if counted == 0:
        return f"No {what} scores {where} yet, so this {weight} part counts as 0: {missing_advice}."
    latest = "your latest" if counted < RECENT_SCORES else f"your {RECENT_SCORES} most recent"
    return f"The average of {latest} {_plural(counted, what + ' score')} {where}: {value}."


def _explain(
    components: Components, evidence: Evidence, *, topic: str | None, timezone: str
) -> dict[str, Any]:
    where = f"in {topic}" if topic else "across your topics"
    if topic:
        exercises = _scored_sentence(
            "exercise", evidence.exercises_counted, components.exercises, "40%", where, "submit an exercise"
        )
        quizzes = _scored_sentence(
            "quiz", evidence.quizzes_counted, components.quizzes, "30%", where, "take a quiz"
        )
    else:
        exercises = (
            f"The average of your exercise figures in the {_plural(evidence.topics_with_exercises, 'topic')}"
            f" where you submitted exercises: {components.exercises}."
            if evidence.topics_with_exercises
            else "No exercise submitted yet, so this 40% part counts as 0: submit an exercise."
        )
        quizzes = (
            f"The average of your quiz figures in the {_plural(evidence.topics_with_quizzes, 'topic')}"
            f" where you took quizzes: {components.quizzes}."
            if evidence.topics_with_quizzes
            else "No quiz taken yet, so this 30% part counts as 0: take a quiz."
        )
    code_quality = _scored_sentence(
        "code review",
        evidence.reviews_counted,
        components.code_quality,
        "20%",
        "(all topics: code quality counts the same everywhere)",
        "ask the tutor to review your code",
    )
    consistency = (
        f"You were active on {evidence.active_days} of the last {CONSISTENCY_WINDOW_DAYS} days"
        f" ({timezone} calendar): {evidence.active_days}/{CONSISTENCY_WINDOW_DAYS}"
        f" = {components.consistency}."
    )
    mastery = components.mastery()
    level = level_of(mastery)
    terms = " + ".join(f"{int(WEIGHTS[name] * 100)}% x {components.value(name)}" for name in WEIGHTS)
    summary = (
        f"Mastery {mastery} = {terms} = {round_half_up(components.weighted_sum(), 2)}, rounded half up to"
        f" {mastery}: {level} ({level_range(level)})."
    )
    next_level: dict[str, Any] | None = None
    if level != "blue":
        following = LEVEL_CEILINGS[rank_of(level) + 1][0]
        needed = dict(LEVEL_CEILINGS)[level] + 1 - mastery
        next_level = {"level": following, "points_needed": needed}
        summary += f" {_plural(needed, 'more point')} reach {following}."
    focus = max(WEIGHTS, key=lambda name: WEIGHTS[name] * (100 - components.value(name)))
    return {
        "summary": summary,
        "components": {
            "exercises": exercises,
            "quizzes": quizzes,
            "code_quality": code_quality,
            "consistency": consistency,
        },
        "next_level": next_level,
        "focus": {
            "component": focus,
            "advice": f"Your quickest gain: {_ADVICE[focus]} ({int(WEIGHTS[focus] * 100)}% of mastery).",
        },
    }


def assess(components: Components, evidence: Evidence, *, topic: str | None, timezone: str) -> Assessment:
    return Assessment(components, evidence, topic, timezone)


@dataclass(frozen=True)
class Snapshot:
    """Everything the figures are computed from, read at one moment."""

    timezone: str
    topics: list[TopicFigures]
    overall: OverallFigures
    active_days: list[date]
    today: date

    def consistency(self) -> tuple[int, Decimal]:
        return consistency_of(self.active_days, self.today)

    def topic_assessment(self, figures: TopicFigures) -> Assessment:
        active, consistency = self.consistency()
        components = Components(figures.exercises, figures.quizzes, self.overall.code_quality, consistency)
        evidence = Evidence(
            exercises_counted=figures.exercises_counted,
            quizzes_counted=figures.quizzes_counted,
            reviews_counted=self.overall.reviews_counted,
            active_days=active,
        )
        return assess(components, evidence, topic=figures.topic, timezone=self.timezone)

    def overall_assessment(self) -> Assessment:
        active, consistency = self.consistency()
        with_exercises = [t.exercises for t in self.topics if t.exercises_counted]
        with_quizzes = [t.quizzes for t in self.topics if t.quizzes_counted]
        components = Components(
            mean(with_exercises), mean(with_quizzes), self.overall.code_quality, consistency
        )
        evidence = Evidence(
            reviews_counted=self.overall.reviews_counted,
            active_days=active,
            topics_with_exercises=len(with_exercises),
            topics_with_quizzes=len(with_quizzes),
        )
        return assess(components, evidence, topic=None, timezone=self.timezone)


def _snapshot(stored: Stored, timezone: str, now: datetime) -> Snapshot:
    return Snapshot(
        timezone=timezone,
        topics=stored.topics,
        overall=stored.overall or OverallFigures(),
        active_days=stored.active_days,
        today=local_day(now, timezone),
    )


def report(store: ProgressStore, user_id: str, timezone: str, now: datetime) -> dict[str, Any]:
    """The body of GET /progress/{user_id}, also pushed as `{"type": "progress", "data": ...}`."""
    snapshot = _snapshot(store.load(user_id), timezone, now)
    overall = snapshot.overall_assessment()
    streaks = streaks_of(snapshot.active_days, snapshot.today)
    active_days, _ = snapshot.consistency()
    topics = sorted(snapshot.topics, key=lambda figures: _topic_order(figures.topic))
    return {
        "user_id": user_id,
        **overall.public(),
        "streak_days": streaks.current,
        "longest_streak_days": streaks.longest,
        "active_days_last_30": active_days,
        "timezone": timezone,
        "topics": [{"topic": t.topic, **snapshot.topic_assessment(t).public()} for t in topics],
        "history": [entry.public() for entry in store.history(user_id, HISTORY_LENGTH)],
    }


def progress_of(
    users: UserStore, store: ProgressStore, roster: TeacherRoster, viewer: Viewer, user_id: str, now: datetime
) -> dict[str, Any]:
    """GET /progress/{user_id}: for the student, a teacher of one of their classes, or an admin."""
    if not is_valid_id(user_id):
        raise NotFoundError("No such user.")
    ensure_can_view_student(viewer, user_id, roster)
    user = users.by_id(user_id)
    if user is None:
        raise NotFoundError("No such user.")
    return report(store, user_id, user.timezone, now)


# --- applying an event ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    """What applying one event changed that someone should hear about."""

    user_id: str
    notifications: list[Notification]
    #: whether the student had a connection open, so that pushing is worth building the report
    online: bool = False
    timezone: str = "UTC"


def _rescored(figures: TopicFigures, kind: EventKind, scores: list[Decimal]) -> TopicFigures:
    if kind == "exercise_submitted":
        return replace(figures, exercises=recent_average(scores), exercises_counted=len(scores))
    return replace(figures, quizzes=recent_average(scores), quizzes_counted=len(scores))


def _days_needed(day: date, today: date, first_of_day: bool) -> date:
    """Consistency reads 30 days; a new active day also needs its streak (as far as the last milestone)."""
    window = today - timedelta(days=CONSISTENCY_WINDOW_DAYS - 1)
    if not first_of_day:
        return window
    return min(window, day) - timedelta(days=STREAK_MILESTONES[-1] + 1)


def _scores_to_recompute(event: ProgressRecorded, topic: str) -> tuple[EventKind, str | None] | None:
    """Exercises and quizzes are figures of their topic; code quality is student-wide."""
    if event.score is None or event.kind == "activity":
        return None
    return (event.kind, None if event.kind == "code_reviewed" else topic)


def _level_up(
    user_id: str, before: Level, after: Level, mastery: int, topic: str | None, now: datetime
) -> Notification:
    where = f"in {topic}" if topic else "overall"
    return new_notification(
        user_id,
        "level_up",
        f"You reached {after} {where}: mastery {mastery}. Well done!",
        {
            "scope": "topic" if topic else "overall",
            "topic": topic,
            "level": after,
            "previous_level": before,
            "mastery": mastery,
        },
        now=now,
    )


def record(
    store: ProgressStore,
    notifications: NotificationStore,
    event_id: str,
    event: ProgressRecorded,
    *,
    now: datetime,
) -> Recorded | None:
    """Applies one event; None when it was already applied or its student is unknown.

    Scores are recomputed from the stored facts in the order they happened, so delivery order does
    not matter; level-ups and streak milestones become notifications for the student.
    """
    topic = topic_of(event.topic)
    added = store.add_event(event_id, event, topic)
    if added is None:
        return None
    day, first_of_day, timezone = added.day, added.first_of_day, added.timezone
    rescore = _scores_to_recompute(event, topic)
    today = local_day(now, timezone)
    stored = store.load(event.user_id, days_since=_days_needed(day, today, first_of_day), scores_of=rescore)
    snapshot = _snapshot(stored, timezone, now)
    overall = snapshot.overall
    alerts: list[Notification] = []
    saved_topic: TopicFigures | None = None

    if rescore is not None and event.kind != "code_reviewed":
        figures = {figures.topic: figures for figures in snapshot.topics}
        before = figures.get(topic, TopicFigures(topic))
        figures[topic] = _rescored(before, event.kind, stored.recent_scores)
        snapshot = replace(snapshot, topics=list(figures.values()))
        assessed = snapshot.topic_assessment(figures[topic])
        saved_topic = replace(figures[topic], mastery=assessed.mastery, level=assessed.level)
        if rank_of(assessed.level) > rank_of(before.level):
            alerts.append(
                _level_up(event.user_id, before.level, assessed.level, assessed.mastery, topic, now)
            )
    elif rescore is not None:
        scores = stored.recent_scores
        overall = replace(overall, code_quality=recent_average(scores), reviews_counted=len(scores))
        snapshot = replace(snapshot, overall=overall)

    assessed_overall = snapshot.overall_assessment()
    store.save(
        event.user_id,
        saved_topic,
        replace(overall, mastery=assessed_overall.mastery, level=assessed_overall.level),
    )
    if rank_of(assessed_overall.level) > rank_of(overall.level):
        alerts.append(
            _level_up(
                event.user_id, overall.level, assessed_overall.level, assessed_overall.mastery, None, now
            )
        )
    if first_of_day:
        reached = milestone_reached(set(snapshot.active_days), day, snapshot.today)
        if reached:
            milestone, length = reached
            alerts.append(
                new_notification(
                    event.user_id,
                    "streak_milestone",
                    f"{milestone}-day streak! You have practised {length} days in a row.",
                    {"milestone": milestone, "streak_days": length},
                    now=now,
                )
            )
    for alert in alerts:
        notifications.add(alert)
    return Recorded(event.user_id, alerts, stored.online, timezone)


def consume(
    uow: UnitOfWork,
    store: ProgressStore,
    notifications: NotificationStore,
    pusher: ConnectionPusher,
    event_id: str,
    event: ProgressRecorded,
    now: datetime,
) -> Recorded | None:
    """One progress.events event, in the caller's transaction: applied once, then pushed live.

    Pushes happen before the commit, so a failed push rolls back and the event is retried. The
    stored event itself is the idempotency record (its id is the key of progress_events), so a
    redelivered event changes nothing and returns None without a separate claim.
    """
    recorded = record(store, notifications, event_id, event, now=now)
    if recorded is None or not recorded.online:
        return recorded
    snapshot = report(store, event.user_id, recorded.timezone, now)
    deliver(uow.connections, pusher, event.user_id, {"type": "progress", "data": snapshot})
    push(uow.connections, pusher, recorded.notifications)
    return recorded
