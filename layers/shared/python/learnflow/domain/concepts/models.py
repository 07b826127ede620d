"""The shape of the curriculum: a concept explained at three levels, each with runnable examples."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Level = Literal["beginner", "intermediate", "advanced"]
LEVELS: tuple[Level, ...] = ("beginner", "intermediate", "advanced")


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Example(_Frozen):
    """A snippet and exactly what running it prints on stdout."""

    code: str = Field(min_length=1)
    output: str


class LevelContent(_Frozen):
    explanation: str = Field(min_length=1)
    examples: tuple[Example, ...] = Field(min_length=1)


class Levels(_Frozen):
    beginner: LevelContent
    intermediate: LevelContent
    advanced: LevelContent


class Concept(_Frozen):
    slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    topic: str = Field(min_length=1)
    related: tuple[str, ...] = ()
    diagram: str | None = None
    levels: Levels

    def at(self, level: Level) -> LevelContent:
        match level:
            case "beginner":
                return self.levels.beginner
            case "intermediate":
                return self.levels.intermediate
            case "advanced":
                return self.levels.advanced
