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

from learnflow.domain.progress.assessment import Evidence, assess, progress_of, report
from learnflow.domain.progress.figures import (
    AddedEvent,
    HistoryEntry,
    OverallFigures,
    ProgressStore,
    Stored,
    TopicFigures,
)
from learnflow.domain.progress.recording import Recorded, consume, record
from learnflow.domain.progress.rules import (
    RECENT_SCORES,
    Components,
    EventKind,
    Level,
    consistency_of,
    curriculum_topics,
    level_of,
    local_day,
    milestone_reached,
    recent_average,
    round_half_up,
    streaks_of,
    topic_of,
)

__all__ = [
    "RECENT_SCORES",
    "AddedEvent",
    "Components",
    "EventKind",
    "Evidence",
    "HistoryEntry",
    "Level",
    "OverallFigures",
    "ProgressStore",
    "Recorded",
    "Stored",
    "TopicFigures",
    "assess",
    "consistency_of",
    "consume",
    "curriculum_topics",
    "level_of",
    "local_day",
    "milestone_reached",
    "progress_of",
    "recent_average",
    "record",
    "report",
    "round_half_up",
    "streaks_of",
    "topic_of",
]
