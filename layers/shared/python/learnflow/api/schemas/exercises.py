"""Exercises: one as its caller may see it, a revealed hint, a graded submission, a generated exercise.

Students never see an exercise's solution and see its hints one at a time; the teacher who wrote it,
and admins, also get `solution` and every hint.
"""

from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from learnflow.api.schemas.left_out import without_default
from learnflow.domain.exercises import Difficulty
from learnflow.domain.sandbox_results import GradeStatus, TestStatus

EXERCISE_ID_EXAMPLE = "8d3e5f7a-1b2c-4d6e-9f0a-b1c2d3e4f5a6"
LEAP_TESTS_EXAMPLE = (
    "import unittest\n\nfrom leap import leap_year\n\n\nclass LeapTest(unittest.TestCase):\n"
    "    def test_year_divisible_by_400_is_leap_year(self):\n        self.assertIs(leap_year(2000), True)\n"
)
LEAP_HINTS_EXAMPLE = [
    "Use the modulo operator %.",
    "Divisible by 100 is special.",
    "But 400 is special again.",
]

STUDENT_VIEW_EXAMPLE: dict[str, Any] = {
    "id": EXERCISE_ID_EXAMPLE,
    "slug": "leap",
    "title": "Leap",
    "description": "Tell whether a year is a leap year in the Gregorian calendar.",
    "topic": "conditionals",
    "difficulty": "easy",
    "module_name": "leap",
    "starter_code": "def leap_year(year):\n    pass\n",
    "test_code": LEAP_TESTS_EXAMPLE,
    "hints_total": 3,
    "hints_revealed": [{"level": 1, "text": LEAP_HINTS_EXAMPLE[0]}],
}
AUTHOR_VIEW_EXAMPLE: dict[str, Any] = STUDENT_VIEW_EXAMPLE | {
    "hints_revealed": [{"level": level, "text": text} for level, text in enumerate(LEAP_HINTS_EXAMPLE, 1)],
    "hints": LEAP_HINTS_EXAMPLE,
    "solution": "def leap_year(year):\n    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)\n",
}


class ExerciseHint(BaseModel):
    level: int = Field(ge=1, description="The hint's place in the exercise's list, from 1", examples=[1])
    text: str = Field(examples=[LEAP_HINTS_EXAMPLE[0]])


class Exercise(BaseModel):
    """The contract's `exercise`: what a student needs to solve it, and more for its author."""

    id: str = Field(description="The exercise's id (a UUID)", examples=[EXERCISE_ID_EXAMPLE])
    slug: str = Field(
        description="Unique, lowercase words joined by dashes; `bank-` and `gen-` slugs are generated",
        examples=["leap"],
    )
    title: str = Field(examples=["Leap"])
    description: str = Field(
        description="The task, in Markdown", examples=[STUDENT_VIEW_EXAMPLE["description"]]
    )
    topic: str = Field(
        description="The teacher's topic, or the curriculum concept's slug for a generated exercise",
        examples=["conditionals"],
    )
    difficulty: Difficulty = Field(examples=["easy"])
    module_name: str = Field(
        description="The module the tests import the student's code as (`leap` for leap.py)",
        examples=["leap"],
    )
    starter_code: str = Field(
        description="Where the student starts; may be empty", examples=[STUDENT_VIEW_EXAMPLE["starter_code"]]
    )
    test_code: str = Field(
        description="The tests a submission is graded with (unittest or pytest style)",
        examples=[LEAP_TESTS_EXAMPLE],
    )
    hints_total: int = Field(ge=0, description="How many hints the exercise has", examples=[3])
    hints_revealed: list[ExerciseHint] = Field(
        description=(
            "The hints this student revealed so far, in order; every hint for the exercise's author and"
            " admins"
        )
    )
    hints: list[str] | SkipJsonSchema[None] = Field(
        default=None,
        description="Every hint, in order: for the exercise's author and admins only, left out for others",
        examples=[LEAP_HINTS_EXAMPLE],
        json_schema_extra=without_default,
    )
    solution: str | SkipJsonSchema[None] = Field(
        default=None,
        description="The reference solution: for the exercise's author and admins only, left out for others",
        examples=[AUTHOR_VIEW_EXAMPLE["solution"]],
        json_schema_extra=without_default,
    )


class ExerciseBody(BaseModel):
    exercise: Exercise


class RevealedHint(BaseModel):
    hint: ExerciseHint = Field(description="The hint just revealed")
    hints_left: int = Field(ge=0, description="How many hints are still hidden", examples=[2])


class GradedTest(BaseModel):
    name: str = Field(
        description="The test's name, with its class for a unittest method",
        examples=["LeapTest.test_year_divisible_by_100_not_by_400_in_common_year"],
    )
    status: TestStatus = Field(
        description="pass; fail (an assertion failed); error (it raised, or the run stopped before it)",
        examples=["fail"],
    )
    message: str = Field(
        description="Why it failed or erred; empty when it passed",
        examples=["AssertionError: True is not False"],
    )
    output: str = Field(description="What the test printed", examples=["checking 1996\n"])


class GradedSubmission(BaseModel):
    submission_id: str = Field(
        description="The stored submission's id (a UUID)", examples=["0b9c8d7e-6f5a-4b3c-2d1e-0f9a8b7c6d5e"]
    )
    score: int = Field(
        ge=0, le=100, description="The share of the tests that passed, 0-100, rounded", examples=[75]
    )
    status: GradeStatus = Field(
        description=(
            "passed (every test passed), failed (some did not) or error (the code could not be tested)"
        ),
        examples=["failed"],
    )
    tests: list[GradedTest] = Field(description="Every test, in the test file's order")
    duration_ms: float = Field(ge=0, description="Wall-clock time of the grading run", examples=[183.4])
    message: str | None = Field(
        description=(
            "What stopped the run, in one sentence for the student (a timeout, a forbidden import);"
            " null otherwise"
        ),
        examples=["Line 1: importing os is not allowed in the sandbox (it reaches the operating system)."],
    )


class GeneratedExercise(Exercise):
    """An exercise handed to a student: from the bank (offline) or written by the LLM and checked."""

    source: Literal["llm", "offline"] = Field(
        description="Which tutor engine produced it: llm, or offline (the exercise bank)",
        examples=["offline"],
    )


class GeneratedExerciseBody(BaseModel):
    exercise: GeneratedExercise
