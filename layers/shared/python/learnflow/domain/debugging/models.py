"""What the debug agent reads from an error and what it answers."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

HintLevel = Literal[1, 2, 3]
FoundBy = Literal["traceback", "compiler", "sandbox", "static_analysis", "none"]


class Frame(BaseModel):
    """One `File "...", line N, in f` entry of a traceback, with its source line when it was shown."""

    model_config = ConfigDict(frozen=True)

    file: str
    line: int
    function: str | None = None
    source: str | None = None
    #: 1-based columns of the failing expression, from 3.11+'s `~~~^^^` marks or a SyntaxError's caret
    start_column: int | None = None
    end_column: int | None = None


class ChainedError(BaseModel):
    """An exception earlier in a chain ("During handling of the above exception...")."""

    model_config = ConfigDict(frozen=True)

    error_type: str
    message: str
    relation: Literal["context", "cause"]


class ParsedError(BaseModel):
    """The error a student pasted, read as well as the text allows."""

    model_config = ConfigDict(frozen=True)

    error_type: str
    #: as printed, e.g. `json.decoder.JSONDecodeError`; `error_type` is the class name alone
    qualified_type: str
    message: str
    #: the line in the student's own code where it happened (None when the paste does not say)
    line: int | None = None
    column: int | None = None
    end_column: int | None = None
    frames: tuple[Frame, ...] = ()
    chain: tuple[ChainedError, ...] = ()
    #: the source text of the failing line as the traceback showed it
    source_line: str | None = None


class Hint(BaseModel):
    model_config = ConfigDict(frozen=True)

    level: HintLevel
    text: str
    #: level 3 only: the whole program with the fix applied, and whether the sandbox confirmed it
    code: str | None = None
    verified: bool | None = None


class Diagnosis(BaseModel):
    """Targeted help for one situation, before it is shaped into progressive hints."""

    model_config = ConfigDict(frozen=True)

    situation: str
    #: level 1: what kind of problem it is and where to look
    kind: str
    #: level 2: the exact name, expression or line, and why it fails
    pointer: str
    #: level 3: how to fix it (may show the corrected line)
    fix: str
    fixed_code: str | None = None
    line: int | None = None
    suggestions: tuple[str, ...] = ()


class DebugAnalysis(BaseModel):
    """The answer of `POST /debug/analyze` and of the debug agent."""

    model_config = ConfigDict(frozen=True)

    error_type: str | None
    message: str
    line: int | None
    column: int | None = None
    situation: str | None = None
    hints: list[Hint] = Field(default_factory=list)
    frames: list[Frame] = Field(default_factory=list)
    #: how the error was found: read from the paste, compiled, or run in the sandbox
    found_by: FoundBy
    source: Literal["llm", "offline"] = "offline"
    #: why the offline tutor wrote the hints when the student should know (a daily LLM budget spent)
    note: str | None = None
