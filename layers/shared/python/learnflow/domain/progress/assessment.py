"""Assessing a student's progress from the stored figures, and explaining it in words."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from learnflow.domain.access import TeacherRoster, Viewer, ensure_can_view_student, is_valid_id
from learnflow.domain.errors import NotFoundError
from learnflow.domain.ports import UserStore
from learnflow.domain.progress.figures import OverallFigures, ProgressStore, Stored, TopicFigures
from learnflow.domain.progress.rules import (
    ADVICE,
    CONSISTENCY_WINDOW_DAYS,
    HISTORY_LENGTH,
    LEVEL_CEILINGS,
    RECENT_SCORES,
    WEIGHTS,
    Components,
    Level,
    consistency_of,
    level_of,
    level_range,
    local_day,
    mean,
    rank_of,
    round_half_up,
    streaks_of,
    topic_order,
)


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
            "advice": f"Your quickest gain: {ADVICE[focus]} ({int(WEIGHTS[focus] * 100)}% of mastery).",
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


def snapshot_of(stored: Stored, timezone: str, now: datetime) -> Snapshot:
    return Snapshot(
        timezone=timezone,
        topics=stored.topics,
        overall=stored.overall or OverallFigures(),
        active_days=stored.active_days,
        today=local_day(now, timezone),
    )


def report(store: ProgressStore, user_id: str, timezone: str, now: datetime) -> dict[str, Any]:
    """The body of GET /progress/{user_id}, also pushed as `{"type": "progress", "data": ...}`."""
    snapshot = snapshot_of(store.load(user_id), timezone, now)
    overall = snapshot.overall_assessment()
    streaks = streaks_of(snapshot.active_days, snapshot.today)
    active_days, _ = snapshot.consistency()
    topics = sorted(snapshot.topics, key=lambda figures: topic_order(figures.topic))
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
