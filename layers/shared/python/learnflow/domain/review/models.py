"""What a code review answers: findings, complexity, suggestions and the score."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["error", "warning", "suggestion", "style"]


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    line: int
    column: int
    code: str
    message: str
    severity: Severity
    #: which checker found it: ruff, pylint, or learnflow (the efficiency rules)
    tool: Literal["ruff", "pylint", "learnflow", "python"]
    #: the checker's own words, when the message was rewritten for beginners
    tool_message: str | None = None


class FunctionComplexity(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    line: int
    cyclomatic: int
    rank: str
    #: estimated running time in the size n of its input, e.g. "O(n²)"
    big_o: str


class Complexity(BaseModel):
    model_config = ConfigDict(frozen=True)

    cyclomatic_average: float
    cyclomatic_max: int
    maintainability_index: float
    maintainability_rank: str
    lines_of_code: int
    source_lines: int
    comment_lines: int
    functions: list[FunctionComplexity] = Field(default_factory=list)


class SuggestionChecks(BaseModel):
    model_config = ConfigDict(frozen=True)

    #: the program with this change applied parses
    parses: bool
    #: the changed code gave the same results as before on sample inputs (None: could not be checked)
    same_behaviour: bool | None
    samples: int = 0


class Suggestion(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: str
    reason: str
    before: str
    after: str
    line: int
    checks: SuggestionChecks


class ScoreBreakdown(BaseModel):
    model_config = ConfigDict(frozen=True)

    findings: float
    complexity: float
    efficiency: float


class Review(BaseModel):
    """The answer of `POST /review/analyze` and of the review agent."""

    model_config = ConfigDict(frozen=True)

    score: int = Field(ge=0, le=100)
    summary: str
    issues: list[Finding]
    complexity: Complexity | None
    suggestions: list[Suggestion]
    penalties: ScoreBreakdown
    parses: bool
    source: Literal["llm", "offline"] = "offline"
    #: why the offline tutor wrote the summary when the student should know (a daily LLM budget spent)
    note: str | None = None
