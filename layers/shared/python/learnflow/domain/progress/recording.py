"""Applying a progress event: rescoring, streak milestones, level-ups and their notifications."""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from learnflow.domain.delivery import deliver
from learnflow.domain.notifications import Notification, NotificationStore, new_notification, push
from learnflow.domain.ports import ConnectionPusher, UnitOfWork
from learnflow.domain.progress.assessment import report, snapshot_of
from learnflow.domain.progress.figures import ProgressStore, TopicFigures
from learnflow.domain.progress.rules import (
    CONSISTENCY_WINDOW_DAYS,
    STREAK_MILESTONES,
    EventKind,
    Level,
    local_day,
    milestone_reached,
    rank_of,
    recent_average,
    topic_of,
)
from learnflow.events.schemas import ProgressRecorded


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
    snapshot = snapshot_of(stored, timezone, now)
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
