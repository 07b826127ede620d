"""The domain's records."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from learnflow.events.schemas import Intent

RequestStatus = Literal["queued", "done", "failed"]

Role = Literal["student", "teacher", "admin"]


class User(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    email: str
    display_name: str
    role: Role
    timezone: str = "UTC"

    def public(self) -> dict[str, str]:
        return {"id": self.id, "email": self.email, "display_name": self.display_name, "role": self.role}


class TutorRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    user_id: str
    question: str
    code: str | None
    error: str | None
    intent: Intent
    confidence: float
    status: RequestStatus
    correlation_id: str
    created_at: datetime
    response: dict[str, Any] | None = None


class ExerciseInProgress(BaseModel):
    """An exercise a student started (was given it, took a hint, submitted) and has not passed yet:
    no tutor answer may hand over its solution."""

    model_config = ConfigDict(frozen=True)

    module_name: str
    solution: str
    test_code: str
