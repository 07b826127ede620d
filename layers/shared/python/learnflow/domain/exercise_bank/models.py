"""An exercise as the bank and the generators hand it over: everything a student needs, and the solution."""

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Difficulty = Literal["easy", "medium", "hard"]
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard")
Source = Literal["llm", "offline"]
HINTS = 3

_MODULE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class ExerciseDraft(BaseModel):
    """An exercise before it is stored. `topic` is the slug of its curriculum concept ("for-loops")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)
    title: str = Field(min_length=3, max_length=120)
    description: str = Field(min_length=40, max_length=4000)
    topic: str = Field(min_length=1, max_length=64)
    difficulty: Difficulty
    module_name: str
    starter_code: str = Field(min_length=1, max_length=20_000)
    solution: str = Field(min_length=1, max_length=20_000)
    test_code: str = Field(min_length=1, max_length=40_000)
    hints: tuple[str, ...] = Field(min_length=HINTS, max_length=HINTS)
    source: Source = "offline"

    @field_validator("module_name")
    @classmethod
    def _module_is_a_plain_name(cls, value: str) -> str:
        if not _MODULE.match(value) or value in {"test", "unittest", "pytest", "main"}:
            raise ValueError("module_name must be a lowercase Python module name such as word_count")
        return value

    @field_validator("hints")
    @classmethod
    def _hints_say_something(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(len(hint.strip()) < 10 for hint in value):
            raise ValueError("each hint must be a sentence")
        return tuple(hint.strip() for hint in value)

    @model_validator(mode="after")
    def _tests_import_the_module(self) -> "ExerciseDraft":
        imports = re.compile(
            rf"^\s*(from\s+{self.module_name}\s+import\b|import\s+{self.module_name}\b)", re.M
        )
        if not imports.search(self.test_code):
            raise ValueError(f"test_code must import the student's module {self.module_name!r}")
        if "def test" not in self.test_code:
            raise ValueError("test_code has no test")
        if self.starter_code.strip() == self.solution.strip():
            raise ValueError("the starter code is already the solution")
        return self
