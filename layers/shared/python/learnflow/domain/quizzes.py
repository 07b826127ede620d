"""Quizzes: an offline bank per curriculum topic, graded on the server.

The bank is the JSON files in `quiz_bank/` beside this module, one per curriculum topic. A
question is either multiple choice (answered with the index of a choice) or "predict the
output" (answered with the text the code prints). Students see questions without their answers;
an attempt is scored here, stored, and published as a progress event, and only then are the
right answers and their explanations shown.
"""

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from learnflow.domain.access import Viewer, is_valid_id, require_role
from learnflow.domain.concepts import list_concepts
from learnflow.domain.errors import InvalidInputError, NotFoundError
from learnflow.domain.ports import EventSink
from learnflow.domain.progress import round_half_up, topic_of
from learnflow.events.schemas import ProgressRecorded
from learnflow.events.topics import Topic

_BANK = "quiz_bank"
#: quiz ids are derived from their slugs, so they stay the same across deployments
QUIZ_NAMESPACE = uuid.UUID("5d7f0d3e-8a51-4b0e-9a47-6c1f4f3b2a90")

Answer = int | str | None


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MultipleChoice(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    type: Literal["multiple_choice"]
    concept: str
    prompt: str = Field(min_length=1)
    code: str | None = None
    choices: tuple[str, ...] = Field(min_length=2, max_length=6)
    answer: int = Field(ge=0)
    explanation: str = Field(min_length=1)

    @model_validator(mode="after")
    def _answer_is_a_choice(self) -> "MultipleChoice":
        if self.answer >= len(self.choices):
            raise ValueError(f"{self.id}: answer {self.answer} is not one of the {len(self.choices)} choices")
        if len(set(self.choices)) != len(self.choices):
            raise ValueError(f"{self.id}: two choices are the same")
        return self

    def is_correct(self, given: Answer) -> bool:
        return isinstance(given, int) and not isinstance(given, bool) and given == self.answer

    def expected(self) -> str:
        return self.choices[self.answer]


class PredictOutput(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    type: Literal["predict_output"]
    concept: str
    prompt: str = Field(min_length=1)
    code: str = Field(min_length=1)
    #: exactly what running `code` prints (the test suite runs it to check)
    answer: str
    explanation: str = Field(min_length=1)

    def is_correct(self, given: Answer) -> bool:
        return isinstance(given, str) and normalize_output(given) == normalize_output(self.answer)

    def expected(self) -> str:
        return self.answer


Question = Annotated[MultipleChoice | PredictOutput, Field(discriminator="type")]


def normalize_output(text: str) -> str:
    """Forgives what a person cannot see: line endings, trailing spaces and trailing blank lines."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).rstrip("\n")


def public_question(question: MultipleChoice | PredictOutput) -> dict[str, Any]:
    """What a student sees before answering: never the answer or its explanation."""
    shown: dict[str, Any] = {
        "id": question.id,
        "type": question.type,
        "concept": question.concept,
        "prompt": question.prompt,
    }
    if question.code is not None:
        shown["code"] = question.code
    if isinstance(question, MultipleChoice):
        shown["choices"] = list(question.choices)
        shown["answer_format"] = "the index of one choice, from 0"
    else:
        shown["answer_format"] = "the exact text the code prints"
    return shown


class Quiz(_Frozen):
    slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str = Field(min_length=1)
    topic: str
    questions: tuple[Question, ...] = Field(min_length=3)

    @property
    def id(self) -> str:
        return str(uuid.uuid5(QUIZ_NAMESPACE, self.slug))

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "slug": self.slug,
            "title": self.title,
            "topic": self.topic,
            "questions": [public_question(question) for question in self.questions],
        }


class _BankFile(_Frozen):
    topic: str
    quizzes: tuple[Quiz, ...] = Field(min_length=1)


@cache
def bank() -> dict[str, Quiz]:
    """Every quiz by id, in curriculum order; a malformed bank fails loudly at first use."""
    concepts = {concept.slug: concept.topic for concept in list_concepts()}
    topics = list(dict.fromkeys(concepts.values()))
    folder = resources.files("learnflow.domain") / _BANK
    files = {entry.name: entry for entry in folder.iterdir() if entry.name.endswith(".json")}
    quizzes: dict[str, Quiz] = {}
    question_ids: set[str] = set()
    for topic in topics:
        entry = files.pop(f"{topic}.json", None)
        if entry is None:
            raise ValueError(f"the quiz bank has no {topic}.json for the curriculum topic {topic!r}")
        loaded = _BankFile.model_validate(json.loads(entry.read_text(encoding="utf-8")))
        for quiz in loaded.quizzes:
            if loaded.topic != topic or quiz.topic != topic:
                raise ValueError(f"{quiz.slug}: belongs in {quiz.topic}.json, not {topic}.json")
            for question in quiz.questions:
                if concepts.get(question.concept) != topic:
                    raise ValueError(f"{question.id}: {question.concept!r} is not a concept of {topic}")
                if question.id in question_ids:
                    raise ValueError(f"the question id {question.id!r} is used twice")
                question_ids.add(question.id)
            if quiz.id in quizzes:
                raise ValueError(f"the quiz slug {quiz.slug!r} is used twice")
            quizzes[quiz.id] = quiz
    if files:
        raise ValueError(f"quiz files for no curriculum topic: {sorted(files)}")
    return quizzes


def quizzes_on(topic: str | None) -> list[Quiz]:
    """GET /quizzes?topic=: a curriculum topic ("control-flow") or one of its concepts ("for-loops")."""
    quizzes = list(bank().values())
    if topic is None or not topic.strip():
        return quizzes
    wanted = topic_of(topic)
    return [quiz for quiz in quizzes if quiz.topic == wanted]


def quiz_by_id(quiz_id: str) -> Quiz:
    quiz = bank().get(quiz_id) if is_valid_id(quiz_id) else None
    if quiz is None:
        raise NotFoundError("No such quiz.")
    return quiz


@dataclass(frozen=True)
class Graded:
    score: int
    results: list[dict[str, Any]]


def grade(quiz: Quiz, answers: list[Answer]) -> Graded:
    """Score = correct / questions x 100, rounded half up; an unanswered question (null) is wrong."""
    if len(answers) != len(quiz.questions):
        raise InvalidInputError(
            f"This quiz has {len(quiz.questions)} questions: send one answer for each, in order.",
            details=[
                {"field": "answers", "message": f"expected {len(quiz.questions)} answers, got {len(answers)}"}
            ],
        )
    problems = [
        {"field": f"answers.{index}", "message": "must be the index of a choice (a whole number)"}
        for index, (question, given) in enumerate(zip(quiz.questions, answers, strict=True))
        if isinstance(question, MultipleChoice) and given is not None and not _is_choice_index(given)
    ]
    if problems:
        raise InvalidInputError("Some answers are not in the form their question asks for.", details=problems)
    results = []
    correct = 0
    for question, given in zip(quiz.questions, answers, strict=True):
        right = question.is_correct(given)
        correct += right
        results.append(
            {
                "question_id": question.id,
                "correct": right,
                "expected": question.expected(),
                "explanation": question.explanation,
            }
        )
    score = int(round_half_up(Decimal(correct * 100) / len(quiz.questions)))
    return Graded(score, results)


def _is_choice_index(given: Answer) -> bool:
    return isinstance(given, int) and not isinstance(given, bool)


@dataclass(frozen=True)
class Attempt:
    id: str
    quiz: Quiz
    user_id: str
    answers: list[Answer]
    graded: Graded
    created_at: datetime

    def public(self) -> dict[str, Any]:
        return {"attempt_id": self.id, "score": self.graded.score, "results": self.graded.results}


class QuizStore(Protocol):
    def add_attempt(self, attempt: Attempt) -> None:
        """Stores the attempt (and the quiz as it was answered, the first time it is attempted)."""
        ...


def attempt(
    store: QuizStore,
    events: EventSink,
    viewer: Viewer,
    quiz_id: str,
    answers: list[Answer],
    now: datetime,
) -> Attempt:
    """POST /quizzes/{quiz_id}/attempts (students): graded, stored and published in one transaction."""
    require_role(viewer, "student")
    quiz = quiz_by_id(quiz_id)
    taken = Attempt(str(uuid.uuid4()), quiz, viewer.user_id, answers, grade(quiz, answers), now)
    store.add_attempt(taken)
    events.publish(
        Topic.PROGRESS_EVENTS,
        ProgressRecorded(
            user_id=viewer.user_id,
            kind="quiz_attempted",
            topic=quiz.topic,
            score=taken.graded.score,
            occurred_at=now,
        ),
        user_id=viewer.user_id,
    )
    return taken
