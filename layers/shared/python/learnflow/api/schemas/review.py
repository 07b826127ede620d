"""POST /review/analyze: findings, complexity, a 0-100 score and suggestions checked before they are made.

The review agent answers a tutor question of the code_review intent with the same body.
"""

from typing import Any, Literal

from pydantic import BaseModel, Field

from learnflow.domain.review.models import Severity

LOOP_BEFORE = (
    "def total(items):\n    result = 0\n    for i in range(len(items)):\n"
    "        result = result + items[i]\n    return result"
)
LOOP_AFTER = (
    "def total(items):\n    result = 0\n    for item in items:\n"
    "        result = result + item\n    return result"
)
CODE_REVIEW_EXAMPLE: dict[str, Any] = {
    "score": 95,
    "summary": "Clean, readable code: well done. 1 part could run much faster.",
    "issues": [
        {
            "line": 3,
            "column": 5,
            "code": "C0200",
            "message": (
                "Looping over `range(len(items))` and then `items[i]`: use `for i, item in enumerate(items)`."
            ),
            "severity": "style",
            "tool": "pylint",
            "tool_message": (
                "Consider using enumerate instead of iterating with range and len (consider-using-enumerate)"
            ),
        }
    ],
    "complexity": {
        "cyclomatic_average": 2.0,
        "cyclomatic_max": 2,
        "maintainability_index": 79.7,
        "maintainability_rank": "A",
        "lines_of_code": 5,
        "source_lines": 5,
        "comment_lines": 0,
        "functions": [{"name": "total", "line": 1, "cyclomatic": 2, "rank": "A", "big_o": "O(n)"}],
    },
    "suggestions": [
        {
            "title": "Loop over the items directly",
            "reason": "`range(len(items))` and then `items[i]` is a roundabout way to reach each item.",
            "before": LOOP_BEFORE,
            "after": LOOP_AFTER,
            "line": 3,
            "checks": {"parses": True, "same_behaviour": True, "samples": 5},
        }
    ],
    "penalties": {"findings": 1.0, "complexity": 0.0, "efficiency": 4.0},
    "parses": True,
    "source": "offline",
}


class ReviewFinding(BaseModel):
    line: int = Field(examples=[3])
    column: int = Field(examples=[5])
    code: str = Field(description="The checker's rule code", examples=["C0200"])
    message: str = Field(
        description="What to change, in words for beginners",
        examples=[CODE_REVIEW_EXAMPLE["issues"][0]["message"]],
    )
    severity: Severity = Field(examples=["style"])
    tool: Literal["ruff", "pylint", "learnflow", "python"] = Field(
        description=(
            "Which checker found it: ruff, pylint, learnflow (efficiency rules) or python (the parser)"
        ),
        examples=["pylint"],
    )
    tool_message: str | None = Field(
        description="The checker's own words when `message` rewrote them; null otherwise",
        examples=[CODE_REVIEW_EXAMPLE["issues"][0]["tool_message"]],
    )


class FunctionComplexity(BaseModel):
    name: str = Field(examples=["total"])
    line: int = Field(examples=[1])
    cyclomatic: int = Field(ge=1, description="McCabe's cyclomatic complexity", examples=[2])
    rank: str = Field(description="radon's rank of that complexity, A (simple) to F", examples=["A"])
    big_o: str = Field(description="The estimated running time in the size n of its input", examples=["O(n)"])


class CodeComplexity(BaseModel):
    cyclomatic_average: float = Field(examples=[2.0])
    cyclomatic_max: int = Field(examples=[2])
    maintainability_index: float = Field(description="radon's maintainability index, 0-100", examples=[79.7])
    maintainability_rank: str = Field(
        description="radon's rank of that index: A (high) to C (low)", examples=["A"]
    )
    lines_of_code: int = Field(examples=[5])
    source_lines: int = Field(description="Lines that hold code", examples=[5])
    comment_lines: int = Field(examples=[0])
    functions: list[FunctionComplexity] = Field(description="Every function and method")


class SuggestionChecks(BaseModel):
    """What LearnFlow checked before suggesting the change."""

    parses: bool = Field(description="The program with this change applied parses")
    same_behaviour: bool | None = Field(
        description=(
            "Whether the changed code gave the same results as before on sample inputs in the sandbox;"
            " null when it could not be checked"
        )
    )
    samples: int = Field(ge=0, description="How many sample inputs were compared", examples=[5])


class ReviewSuggestion(BaseModel):
    title: str = Field(examples=["Loop over the items directly"])
    reason: str = Field(
        description="Why the change is better", examples=[CODE_REVIEW_EXAMPLE["suggestions"][0]["reason"]]
    )
    before: str = Field(description="The code as it is", examples=[LOOP_BEFORE])
    after: str = Field(description="The code with the change", examples=[LOOP_AFTER])
    line: int = Field(description="Where the code it changes starts", examples=[3])
    checks: SuggestionChecks


class ScorePenalties(BaseModel):
    """The points taken from 100 for each reason."""

    findings: float = Field(ge=0, examples=[1.0])
    complexity: float = Field(ge=0, examples=[0.0])
    efficiency: float = Field(ge=0, examples=[4.0])


class CodeReview(BaseModel):
    score: int = Field(
        ge=0,
        le=100,
        description="100 less the penalties, rounded; 0 for code that does not parse",
        examples=[95],
    )
    summary: str = Field(
        description="The review in a sentence or two", examples=[CODE_REVIEW_EXAMPLE["summary"]]
    )
    issues: list[ReviewFinding] = Field(description="The checkers' findings, by line and column")
    complexity: CodeComplexity | None = Field(description="null when the code does not parse")
    suggestions: list[ReviewSuggestion] = Field(
        description="Changes worth making, each checked before it is made"
    )
    penalties: ScorePenalties
    parses: bool = Field(
        description="Whether the code parses; code that does not is not counted toward progress"
    )
    source: Literal["llm", "offline"] = Field(
        description="Which tutor engine produced the answer", examples=["offline"]
    )
    note: str | None = Field(
        default=None,
        description="Why the offline tutor wrote the summary when the student should know (their daily"
        " LLM allowance is spent); null otherwise",
        examples=[None],
    )
