"""Progress facts and figures: events applied, daily activity, per-topic and student-wide figures.

Applying an event takes three statements (store it and count its day; read the figures with the
scores to recompute; save the figures), each written so that one round trip does it.
"""

import json
from datetime import date
from decimal import Decimal
from typing import Any

from psycopg import Connection

from learnflow.domain.progress import (
    RECENT_SCORES,
    AddedEvent,
    EventKind,
    HistoryEntry,
    OverallFigures,
    Stored,
    TopicFigures,
)
from learnflow.events.schemas import ProgressRecorded

# The event, once (its id is the key), counted in its day; no row comes back for a stored event.
# the event's day is read on the student's own calendar (IANA zone, DST included) by Postgres,
# in the same statement that stores it: one round trip per event
_ADD_EVENT = (
    "WITH student AS (SELECT id, timezone FROM users WHERE id = %(user_id)s),"
    " added AS ("
    " INSERT INTO progress_events (event_id, user_id, kind, topic, score, occurred_at, local_day)"
    " SELECT %(event_id)s, id, %(kind)s, %(topic)s, %(score)s, %(occurred_at)s,"
    " (%(occurred_at)s::timestamptz AT TIME ZONE timezone)::date FROM student"
    " ON CONFLICT (event_id) DO NOTHING RETURNING user_id, local_day)"
    " INSERT INTO daily_activity (user_id, day, events) SELECT user_id, local_day, 1 FROM added"
    " ON CONFLICT (user_id, day) DO UPDATE SET events = daily_activity.events + 1"
    " RETURNING events, day, (SELECT timezone FROM student) AS timezone"
)
_TOPICS = (
    "SELECT coalesce(json_agg(json_build_object('topic', topic, 'exercises', exercise_score::text,"
    " 'exercises_counted', exercises_counted, 'quizzes', quiz_score::text,"
    " 'quizzes_counted', quizzes_counted, 'mastery', mastery::int, 'level', level)), '[]'::json)"
    " FROM progress WHERE user_id = %(user_id)s"
)
_OVERALL = (
    "SELECT json_build_object('code_quality', code_quality::text, 'reviews_counted', reviews_counted,"
    " 'mastery', mastery, 'level', level) FROM progress_overall WHERE user_id = %(user_id)s"
)
_ACTIVE_DAYS = "SELECT day FROM daily_activity WHERE user_id = %(user_id)s AND day >= %(since)s ORDER BY day"
_SCORES_IN_TOPIC = (
    "SELECT score FROM progress_events"
    " WHERE user_id = %(user_id)s AND kind = %(kind)s AND topic = %(topic)s AND score IS NOT NULL"
    " ORDER BY occurred_at DESC, event_id DESC LIMIT %(limit)s"
)
_SCORES_ANY_TOPIC = (
    "SELECT score FROM progress_events WHERE user_id = %(user_id)s AND kind = %(kind)s AND score IS NOT NULL"
    " ORDER BY occurred_at DESC, event_id DESC LIMIT %(limit)s"
)
_NO_SCORES = "SELECT NULL::numeric WHERE false"
_ONLINE = "SELECT EXISTS (SELECT 1 FROM websocket_connections WHERE user_id = %(user_id)s)"


def _load(scores: str) -> str:
    return (
        f"SELECT ({_TOPICS}) AS topics, ({_OVERALL}) AS overall,"
        f" ARRAY({_ACTIVE_DAYS}) AS active_days, ARRAY({scores}) AS recent_scores, ({_ONLINE}) AS online"
    )


#: by what the scores are of: nothing, a kind in one topic, a kind in any topic
_LOAD = {"none": _load(_NO_SCORES), "topic": _load(_SCORES_IN_TOPIC), "any": _load(_SCORES_ANY_TOPIC)}

_SAVE_OVERALL = (
    "INSERT INTO progress_overall (user_id, code_quality, reviews_counted, mastery, level, updated_at)"
    " VALUES (%(user_id)s, %(code_quality)s, %(reviews_counted)s, %(mastery)s, %(level)s, now())"
    " ON CONFLICT (user_id) DO UPDATE SET code_quality = EXCLUDED.code_quality,"
    " reviews_counted = EXCLUDED.reviews_counted, mastery = EXCLUDED.mastery, level = EXCLUDED.level,"
    " updated_at = now()"
)
_SAVE_TOPIC_AND_OVERALL = (
    "WITH saved_topic AS ("  # noqa: S608 - constant parts only
    " INSERT INTO progress (user_id, topic, exercise_score, exercises_counted, quiz_score, quizzes_counted,"
    " mastery, level, updated_at) VALUES (%(user_id)s, %(topic)s, %(exercises)s, %(exercises_counted)s,"
    " %(quizzes)s, %(quizzes_counted)s, %(topic_mastery)s, %(topic_level)s, now())"
    " ON CONFLICT (user_id, topic) DO UPDATE SET exercise_score = EXCLUDED.exercise_score,"
    " exercises_counted = EXCLUDED.exercises_counted, quiz_score = EXCLUDED.quiz_score,"
    " quizzes_counted = EXCLUDED.quizzes_counted, mastery = EXCLUDED.mastery, level = EXCLUDED.level,"
    " updated_at = now()) " + _SAVE_OVERALL
)
_HISTORY = (
    "SELECT kind, topic, score, occurred_at FROM progress_events WHERE user_id = %s"
    " ORDER BY occurred_at DESC, event_id DESC LIMIT %s"
)


def _topic(entry: dict[str, Any]) -> TopicFigures:
    return TopicFigures(
        topic=entry["topic"],
        exercises=Decimal(entry["exercises"]),
        exercises_counted=entry["exercises_counted"],
        quizzes=Decimal(entry["quizzes"]),
        quizzes_counted=entry["quizzes_counted"],
        mastery=entry["mastery"],
        level=entry["level"],
    )


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


class ProgressRepository:
    def __init__(self, conn: Connection[dict[str, Any]]) -> None:
        self._conn = conn

    def add_event(self, event_id: str, event: ProgressRecorded, topic: str) -> AddedEvent | None:
        parameters = {
            "event_id": event_id,
            "user_id": event.user_id,
            "kind": event.kind,
            "topic": topic,
            "score": event.score,
            "occurred_at": event.occurred_at,
        }
        row = self._conn.execute(_ADD_EVENT, parameters).fetchone()
        if row is None:
            return None
        return AddedEvent(day=row["day"], first_of_day=row["events"] == 1, timezone=str(row["timezone"]))

    def load(
        self,
        user_id: str,
        *,
        days_since: date | None = None,
        scores_of: tuple[EventKind, str | None] | None = None,
    ) -> Stored:
        parameters: dict[str, Any] = {
            "user_id": user_id,
            "limit": RECENT_SCORES,
            "since": days_since or date.min,
        }
        if scores_of is None:
            statement = _LOAD["none"]
        else:
            kind, topic = scores_of
            statement = _LOAD["any" if topic is None else "topic"]
            parameters |= {"kind": kind, "topic": topic}
        row = self._conn.execute(statement, parameters).fetchone()
        assert row is not None  # a SELECT without FROM always gives its one row
        overall = _json(row["overall"])
        return Stored(
            topics=[_topic(entry) for entry in _json(row["topics"])],
            overall=None
            if overall is None
            else OverallFigures(
                code_quality=Decimal(overall["code_quality"]),
                reviews_counted=overall["reviews_counted"],
                mastery=overall["mastery"],
                level=overall["level"],
            ),
            active_days=list(row["active_days"]),
            recent_scores=list(row["recent_scores"]),
            online=bool(row["online"]),
        )

    def save(self, user_id: str, topic: TopicFigures | None, overall: OverallFigures) -> None:
        parameters: dict[str, Any] = {
            "user_id": user_id,
            "code_quality": overall.code_quality,
            "reviews_counted": overall.reviews_counted,
            "mastery": overall.mastery,
            "level": overall.level,
        }
        if topic is None:
            self._conn.execute(_SAVE_OVERALL, parameters)
            return
        parameters |= {
            "topic": topic.topic,
            "exercises": topic.exercises,
            "exercises_counted": topic.exercises_counted,
            "quizzes": topic.quizzes,
            "quizzes_counted": topic.quizzes_counted,
            "topic_mastery": topic.mastery,
            "topic_level": topic.level,
        }
        self._conn.execute(_SAVE_TOPIC_AND_OVERALL, parameters)

    def history(self, user_id: str, limit: int) -> list[HistoryEntry]:
        return [
            HistoryEntry(
                kind=row["kind"],
                topic=row["topic"],
                score=None if row["score"] is None else Decimal(row["score"]),
                occurred_at=row["occurred_at"],
            )
            for row in self._conn.execute(_HISTORY, (user_id, limit)).fetchall()
        ]
