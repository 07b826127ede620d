"""Quizzes: GET /quizzes (questions without their answers) and a graded POST /quizzes/{quiz_id}/attempts."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema


def _without_default(schema: dict[str, Any]) -> None:
    """A field that is left out rather than null: the document shows no default for it."""
    schema.pop("default", None)


class MultipleChoiceQuestion(BaseModel):
    """Answered with the index of one choice, counted from 0."""

    id: str = Field(description="The question's id within the bank", examples=["basics-1"])
    type: Literal["multiple_choice"]
    concept: str = Field(description="The curriculum concept it checks", examples=["variables"])
    prompt: str = Field(examples=['After `x = 5` and then `x = "five"`, what is true?'])
    code: str | SkipJsonSchema[None] = Field(
        default=None,
        description="Code the question is about; left out when the prompt holds it all",
        json_schema_extra=_without_default,
    )
    choices: list[str] = Field(min_length=2, max_length=6)
    answer_format: Literal["the index of one choice, from 0"]


class PredictOutputQuestion(BaseModel):
    """Answered with the exact text the code prints."""

    id: str = Field(description="The question's id within the bank", examples=["basics-2"])
    type: Literal["predict_output"]
    concept: str = Field(description="The curriculum concept it checks", examples=["numbers"])
    prompt: str = Field(examples=["What does this print?"])
    code: str = Field(min_length=1, examples=["print(7 // 2, 7 % 2, 7 / 2)"])
    answer_format: Literal["the exact text the code prints"]


QuizQuestion = Annotated[MultipleChoiceQuestion | PredictOutputQuestion, Field(discriminator="type")]


class PublicQuiz(BaseModel):
    """A quiz as students see it before answering: never the answers or their explanations."""

    id: str = Field(
        description="The quiz's id (a UUID derived from its slug, stable across deployments)",
        examples=["60f32b44-8a72-50e1-9399-cab045e68a86"],
    )
    slug: str = Field(examples=["basics-values-and-text"])
    title: str = Field(examples=["Values, numbers and text"])
    topic: str = Field(description="The curriculum topic", examples=["basics"])
    questions: list[QuizQuestion] = Field(
        min_length=3, description="In order: an attempt sends one answer per question, in this order"
    )


class QuizList(BaseModel):
    items: list[PublicQuiz] = Field(description="In curriculum order")


class QuestionResult(BaseModel):
    question_id: str = Field(examples=["basics-1"])
    correct: bool
    expected: str = Field(
        description="The right answer as text: the right choice, or what the code prints",
        examples=['x now refers to the string "five"'],
    )
    explanation: str = Field(description="Why that is the answer")


class GradedAttempt(BaseModel):
    attempt_id: str = Field(description="The stored attempt's id (a UUID)")
    score: int = Field(
        ge=0, le=100, description="Correct answers / questions x 100, rounded half up", examples=[67]
    )
    results: list[QuestionResult] = Field(description="One per question, in the quiz's order")
