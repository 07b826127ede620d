"""Request bodies shared by the REST and WebSocket APIs; limits from the contract."""

from pydantic import BaseModel, ConfigDict, Field

QUESTION_LIMIT = 4096
CODE_LIMIT = 65536


class QuestionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=QUESTION_LIMIT)
    code: str | None = Field(default=None, max_length=CODE_LIMIT)
    error: str | None = Field(default=None, max_length=16384)
