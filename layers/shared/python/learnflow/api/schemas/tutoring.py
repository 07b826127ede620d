"""POST /query (a question accepted for a tutor agent) and GET /requests/{request_id} (its answer).

An answer's shape depends on the question's intent and on what the agent could make of it; the same
data arrives on the WebSocket as `{"type": "response", "data": ...}`.
"""

from typing import Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from learnflow.api.schemas.concepts import ConceptExample, ConceptExplanation
from learnflow.api.schemas.debugging import DebugHint, ErrorAnalysis
from learnflow.api.schemas.exercises import GeneratedExercise
from learnflow.api.schemas.left_out import without_default
from learnflow.api.schemas.review import CodeReview
from learnflow.domain.concepts import Level as ConceptLevel
from learnflow.domain.models import RequestStatus
from learnflow.domain.progress import Level
from learnflow.events.schemas import Intent

REQUEST_ID_EXAMPLE = "5b7c9d1e-2f3a-4b5c-8d6e-7f8a9b0c1d2e"


class QueuedQuestion(BaseModel):
    request_id: str = Field(
        description=(
            "The question's id (a UUID): the WebSocket answer and GET /requests/{request_id} carry it"
        ),
        examples=[REQUEST_ID_EXAMPLE],
    )
    intent: Intent = Field(
        description="Which tutor agent the triage sent the question to", examples=["debug"]
    )
    confidence: float = Field(
        ge=0, le=1, description="How sure the triage is of the intent, to 3 decimals", examples=[0.912]
    )
    status: Literal["queued"] = Field(description="Always queued: the answer comes later")


class Clarification(BaseModel):
    """A question too vague to route: the tutor asks back, whatever the intent."""

    clarification: str = Field(
        description="A question to the student",
        examples=[
            "What would you like me to do with this code: find out why it does not work, or review it and"
            " suggest improvements?"
        ],
    )
    source: Literal["offline"]


class UnknownConcept(BaseModel):
    """The concepts intent, when the question names no concept of the curriculum."""

    concept: None
    explanation: str = Field(
        examples=[
            "The offline tutor has no page that answers this: none of its concepts is about “walrus”."
            " The closest topics it has: Variables and Types. Ask about one of them, or name the Python"
            " feature you mean."
        ]
    )
    suggestions: list[str] = Field(
        description="The titles of the closest concepts", examples=[["For Loops", "While Loops"]]
    )
    source: Literal["offline"]


class PythonAnswer(BaseModel):
    """The concepts intent with an LLM configured, when the question names no concept of the curriculum:
    the LLM's answer, checked as every answer is, with the closest topics of the curriculum."""

    concept: None
    level: ConceptLevel = Field(examples=["beginner"])
    explanation: str = Field(
        description="The answer, in Markdown",
        examples=["`sorted()` takes a `key`: `sorted(prices.items(), key=lambda item: item[1])` ..."],
    )
    examples: list[ConceptExample] = Field(
        description="Runnable examples with what they print, each run in the sandbox; empty when none ran"
    )
    diagram: str | None = Field(description="A Mermaid diagram; null when it has none", examples=[None])
    suggestions: list[str] = Field(
        description="The titles of the curriculum's closest topics", examples=[["Dictionaries", "Lambda"]]
    )
    source: Literal["llm"]


class CodeNeeded(BaseModel):
    """The debug intent, when the question holds neither code nor an error to read."""

    error_type: None
    message: str = Field(
        examples=["To help you debug, paste the code that fails and the error message it shows."]
    )
    line: None
    hints: list[DebugHint] = Field(max_length=0, description="Always empty")
    source: Literal["offline"]


class ExerciseAnswer(BaseModel):
    """The exercise intent: a new exercise, handed to the student as POST /exercises/generate does."""

    exercise: GeneratedExercise
    message: str = Field(
        examples=[
            "Here is a medium exercise on Dictionaries: Word count. Ask for a hint whenever you are stuck."
        ]
    )
    source: Literal["llm", "offline"] = Field(description="Which tutor engine produced the exercise")


class TopicMastery(BaseModel):
    topic: str = Field(examples=["control-flow"])
    mastery: int = Field(ge=0, le=100, examples=[72])
    level: Level = Field(examples=["green"])


class ErrorCount(BaseModel):
    error_type: str = Field(examples=["KeyError"])
    count: int = Field(ge=1, description="How often the student met it this week", examples=[3])


class StudyStep(BaseModel):
    concept: str = Field(description="The concept's title", examples=["Dictionaries"])
    slug: str = Field(examples=["dictionaries"])
    topic: str = Field(description="Its curriculum topic", examples=["data-structures"])
    reason: str = Field(examples=["You met KeyError 3 times this week."])


class ProgressSummary(BaseModel):
    """The progress intent: the student's progress in a few figures and sentences."""

    summary: str = Field(
        examples=[
            "Your overall mastery is 58 (yellow). Study Dictionaries: You met KeyError 3 times this week."
        ]
    )
    mastery: int = Field(ge=0, le=100, description="Overall mastery; 0 before any progress", examples=[58])
    level: Level = Field(examples=["yellow"])
    topics: list[TopicMastery] = Field(description="The topics the student started, strongest first")
    strengths: list[str] = Field(description="Topics with mastery 71 or more", examples=[["basics"]])
    exercises_passed: int = Field(ge=0, description="Exercises of the bank passed", examples=[4])
    recent_errors: list[ErrorCount] = Field(description="The error types met this week")
    study_next: list[StudyStep] = Field(
        max_length=3, description="Up to three concepts, each with its reason"
    )
    source: Literal["llm", "offline"] = Field(
        description="llm when an LLM wrote the summary from these figures (every number checked)"
    )
    note: str | None = Field(
        default=None,
        description="Why the offline tutor wrote the summary when the student should know (their daily"
        " LLM allowance is spent); null otherwise",
        examples=[None],
    )


#: what a tutor agent answered; which one depends on the question's intent
TutorAnswer = (
    ConceptExplanation
    | UnknownConcept
    | PythonAnswer
    | ErrorAnalysis
    | CodeNeeded
    | CodeReview
    | ExerciseAnswer
    | ProgressSummary
    | Clarification
)


class TutorRequestState(BaseModel):
    request_id: str = Field(examples=[REQUEST_ID_EXAMPLE])
    status: RequestStatus = Field(
        description=(
            "queued until an agent answers, then done; failed, in the contract for a question no agent"
            " could answer, is worth handling too"
        ),
        examples=["done"],
    )
    intent: Intent = Field(examples=["concepts"])
    response: TutorAnswer | SkipJsonSchema[None] = Field(
        default=None,
        description=(
            "The answer, once there is one; left out while the question is queued. By intent: concepts,"
            " ConceptExplanation (when the question names no concept, PythonAnswer with an LLM, else"
            " UnknownConcept); debug, ErrorAnalysis"
            " (CodeNeeded without code or an error); code_review, CodeReview; exercise, ExerciseAnswer;"
            " progress, ProgressSummary; any intent, Clarification when the question was too vague to route"
        ),
        json_schema_extra=without_default,
    )
