"""Notifications: a user's pages of them, and one a teacher or an admin sent.

A notification is also pushed on the WebSocket as `{"type": "notification", "data": ...}`.
"""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

NOTIFICATION_EXAMPLE: dict[str, Any] = {
    "id": "c4a9e7d2-3b1f-4e6a-8d5c-9f0e1a2b3c4d",
    "kind": "level_up",
    "message": "You reached green in control-flow: mastery 72. Well done!",
    "data": {
        "scope": "topic",
        "topic": "control-flow",
        "level": "green",
        "previous_level": "yellow",
        "mastery": 72,
    },
    "created_at": "2026-03-03T09:30:02.114Z",
    "read": False,
}


class Notification(BaseModel):
    id: str = Field(description="The notification's id (a UUID)", examples=[NOTIFICATION_EXAMPLE["id"]])
    kind: str = Field(
        description=(
            "LearnFlow's own: level_up, streak_milestone, struggle_alert (to the student),"
            " student_struggling and student_joined (to their teachers); or the kind a teacher or admin"
            " chose"
        ),
        examples=["level_up"],
    )
    message: str = Field(description="For people", examples=[NOTIFICATION_EXAMPLE["message"]])
    data: dict[str, Any] = Field(
        description=(
            "Details for programs, by kind: level_up {scope, topic, level, previous_level, mastery};"
            " streak_milestone {milestone, streak_days}; struggle_alert and student_struggling"
            " {student_id, reason, error_type, occurrences, window_minutes}, with student_name for"
            " teachers; student_joined {class_id, student_id, student_name}; a sent one {from: {id,"
            " display_name, role}}"
        ),
        examples=[NOTIFICATION_EXAMPLE["data"]],
    )
    created_at: datetime = Field(examples=[NOTIFICATION_EXAMPLE["created_at"]])
    read: bool = Field(description="Whether the recipient marked it read")


class NotificationPage(BaseModel):
    items: list[Notification] = Field(description="Newest first")
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page",
        examples=[
            "MjAyNi0wMy0wM1QwOTozMDowMi4xMTQwMDArMDA6MDB8YzRhOWU3ZDItM2IxZi00ZTZhLThkNWMtOWYwZTFhMmIzYzRk"
        ],
    )


class SentNotification(BaseModel):
    notification: Notification
