"""POST /debug/analyze: a student's error found, located and explained in three hints.

The debug agent answers a tutor question of the debug intent with the same body.
"""

from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from learnflow.api.schemas.left_out import without_default
from learnflow.domain.debugging.models import FoundBy, HintLevel

TYPO_FIXED = "total = 10\nprint(total)\n"
ERROR_ANALYSIS_EXAMPLE: dict[str, Any] = {
    "error_type": "NameError",
    "message": "name 'totl' is not defined",
    "line": 2,
    "column": None,
    "situation": "name_error.typo",
    "frames": [
        {
            "file": "main.py",
            "line": 2,
            "function": "<module>",
            "source": "print(totl)",
            "start_column": None,
            "end_column": None,
        }
    ],
    "found_by": "sandbox",
    "source": "offline",
    "hints": [
        {
            "level": 1,
            "text": (
                "This is a NameError: Python met a name it does not know. It happened while your program"
                " ran, at line 2 (`print(totl)`)."
            ),
        },
        {
            "level": 2,
            "text": (
                "On line 2, `totl` is not a name your program defines, but a name spelled almost the same"
                " is defined in your program. Names must match exactly, including upper and lower case."
            ),
        },
        {
            "level": 3,
            "text": (
                "Did you mean `total`? Write `print(total)` I ran the corrected program and it finished"
                " without an error."
            ),
            "code": TYPO_FIXED,
            "verified": True,
        },
    ],
}


class DebugHint(BaseModel):
    """One of three hints, each saying more: what kind of problem, where exactly, how to fix it."""

    level: HintLevel = Field(
        description="1: the kind of problem and where to look; 2: the exact spot and why; 3: the fix",
        examples=[1],
    )
    text: str = Field(
        description="Levels 1 and 2 never show the corrected code",
        examples=[ERROR_ANALYSIS_EXAMPLE["hints"][0]["text"]],
    )
    code: str | SkipJsonSchema[None] = Field(
        default=None,
        description="Level 3, when there is a fix to show: the whole program corrected; left out otherwise",
        examples=[TYPO_FIXED],
        json_schema_extra=without_default,
    )
    verified: bool | SkipJsonSchema[None] = Field(
        default=None,
        description=(
            "Level 3, when the fix could be checked: whether the corrected program ran without an error"
            " in the sandbox; left out otherwise"
        ),
        examples=[True],
        json_schema_extra=without_default,
    )


class TracebackFrame(BaseModel):
    """One `File "...", line N, in f` entry of the traceback."""

    file: str = Field(examples=["main.py"])
    line: int = Field(description="The line number in that file", examples=[2])
    function: str | None = Field(description="The function it was in", examples=["<module>"])
    source: str | None = Field(description="The line's source text, when the traceback showed it")
    start_column: int | None = Field(
        description="The failing expression's first column, from 1, when the traceback marked it"
    )
    end_column: int | None = Field(description="The failing expression's last column, when marked")


class ErrorAnalysis(BaseModel):
    """The error (or its absence) and the hints; `error_type` null when the code runs cleanly."""

    error_type: str | None = Field(
        description=(
            "The exception's class name (NameError), or what stopped the run: Timeout, MemoryError,"
            " OutputLimit, Blocked; null when there is no error"
        ),
        examples=["NameError"],
    )
    message: str = Field(
        description="The error's message, or what was found when there is no error",
        examples=["name 'totl' is not defined"],
    )
    line: int | None = Field(
        description="The line of the student's code it concerns, when known", examples=[2]
    )
    column: int | None = Field(description="The column on that line, from 1, when known")
    situation: str | None = Field(
        description="The situation the analysis recognised, for programs (family.case); null when none",
        examples=["name_error.typo"],
    )
    hints: list[DebugHint] = Field(
        description="Three hints, levels 1 to 3; empty when there is nothing to explain"
    )
    frames: list[TracebackFrame] = Field(description="The traceback's frames, outermost first; may be empty")
    found_by: FoundBy = Field(
        description=(
            "traceback (read from the error given), compiler, sandbox (the code was run),"
            " static_analysis (it could not be run) or none"
        ),
        examples=["sandbox"],
    )
    note: str | None = Field(
        default=None,
        description="Why the offline tutor wrote the hints when the student should know (their daily"
        " LLM allowance is spent); null otherwise",
        examples=[None],
    )
    source: Literal["llm", "offline"] = Field(
        description="Which tutor engine produced the answer", examples=["offline"]
    )
