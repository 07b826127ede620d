"""Request bodies shared by the REST and WebSocket APIs; limits from the contract."""

from pydantic import BaseModel, ConfigDict, Field

QUESTION_LIMIT = 4096
CODE_LIMIT = 65536


class QuestionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(
        min_length=1,
        max_length=QUESTION_LIMIT,
        description="The student's question, in their words; at most 4 KiB",
        examples=["I get an error when I run this, why?"],
    )
    code: str | None = Field(
        default=None,
        max_length=CODE_LIMIT,
        description="The code the question is about; at most 64 KiB",
        examples=["total = 10\nprint(totl)\n"],
    )
    error: str | None = Field(
        default=None,
        max_length=16384,
        description="The error or traceback the code gave; at most 16 KiB",
        examples=["NameError: name 'totl' is not defined"],
    )
