"""GET /progress/{user_id}: mastery, its components explained, streaks and recent history.

The same body is pushed on the WebSocket as `{"type": "progress", "data": ...}`.
"""

from datetime import datetime

from pydantic import BaseModel, Field

from learnflow.domain.progress import EventKind, Level
from learnflow.domain.progress.rules import Component


class ProgressComponents(BaseModel):
    """The four parts of mastery, each 0-100 with one decimal."""

    exercises: float = Field(ge=0, le=100, description="40% of mastery", examples=[80.0])
    quizzes: float = Field(ge=0, le=100, description="30% of mastery", examples=[66.7])
    code_quality: float = Field(
        ge=0, le=100, description="20% of mastery; student-wide, the same in every topic", examples=[72.5]
    )
    consistency: float = Field(
        ge=0, le=100, description="10% of mastery: active days among the last 30, as a share", examples=[6.7]
    )


class ComponentExplanations(BaseModel):
    """One sentence per component: which scores it averages, or what to do when there are none."""

    exercises: str
    quizzes: str
    code_quality: str
    consistency: str


class NextLevel(BaseModel):
    level: Level = Field(description="The level above the current one", examples=["green"])
    points_needed: int = Field(ge=1, description="Mastery points still missing to reach it", examples=[4])


class Focus(BaseModel):
    component: Component = Field(description="The component whose improvement lifts mastery most")
    advice: str = Field(examples=["Your quickest gain: take a quiz (30% of mastery)."])


class ProgressExplanation(BaseModel):
    summary: str = Field(
        description="How mastery follows from the weighted components, and the points to the next level",
        examples=[
            "Mastery 67 = 40% x 80.0 + 30% x 66.7 + 20% x 72.5 + 10% x 6.7 = 67.18, rounded half up to 67:"
            " yellow (41-70). 4 more points reach green."
        ],
    )
    components: ComponentExplanations
    next_level: NextLevel | None = Field(description="null at blue, the highest level")
    focus: Focus


class TopicProgress(BaseModel):
    topic: str = Field(description="A curriculum topic, or `general`", examples=["control-flow"])
    mastery: int = Field(ge=0, le=100, description="This topic's mastery", examples=[67])
    level: Level = Field(description="red 0-40, yellow 41-70, green 71-90, blue 91-100", examples=["yellow"])
    components: ProgressComponents = Field(
        description="The topic's exercises and quizzes; the student's own rest"
    )
    explanation: ProgressExplanation


class HistoryItem(BaseModel):
    kind: EventKind = Field(examples=["quiz_attempted"])
    topic: str = Field(description="The curriculum topic it counted for", examples=["control-flow"])
    score: float | None = Field(ge=0, le=100, description="null for plain activity", examples=[66.7])
    occurred_at: datetime = Field(examples=["2026-03-03T09:30:00Z"])


class ProgressReport(BaseModel):
    user_id: str = Field(description="The student's id", examples=["6a1f3c2e-9b4d-4e8a-a7c5-2d3f4b5a6c7d"])
    mastery: int = Field(
        ge=0,
        le=100,
        description="40% exercises + 30% quizzes + 20% code quality + 10% consistency, rounded half up",
        examples=[67],
    )
    level: Level = Field(description="red 0-40, yellow 41-70, green 71-90, blue 91-100", examples=["yellow"])
    components: ProgressComponents = Field(
        description="Exercises and quizzes: the mean over the topics that have scores"
    )
    explanation: ProgressExplanation
    streak_days: int = Field(
        ge=0, description="The current run of active days (it lasts while yesterday was active)", examples=[2]
    )
    longest_streak_days: int = Field(ge=0, examples=[5])
    active_days_last_30: int = Field(ge=0, le=30, description="Days with any activity among the last 30")
    timezone: str = Field(description="The student's time zone, which days are counted in", examples=["UTC"])
    topics: list[TopicProgress] = Field(description="The topics with scores, in curriculum order")
    history: list[HistoryItem] = Field(description="The latest events (at most 10), newest first")
