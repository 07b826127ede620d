"""Handing a student a new exercise: topic, difficulty from mastery, no repeats, stored and announced."""

import re
import uuid
from typing import Any, Protocol

from learnflow.domain.concepts import Concept, find_concept, list_concepts
from learnflow.domain.concepts.catalog import normalize, suggest
from learnflow.domain.errors import NotFoundError
from learnflow.domain.exercise_bank.bank import (
    History,
    bank_topics,
    difficulty_for_mastery,
    exercises_on,
    first_unfinished_topic,
)
from learnflow.domain.exercise_bank.models import Difficulty, ExerciseDraft
from learnflow.domain.exercises import Exercise, ExerciseContent, view
from learnflow.domain.exercises import new_exercise as exercise_of
from learnflow.domain.offline_tutor import ExerciseRequest
from learnflow.domain.ports import TutorEngine, UnitOfWork
from learnflow.domain.triage.context import StudentContext
from learnflow.events.schemas import ExerciseGenerated
from learnflow.events.topics import Topic

BANK_PREFIX = "bank-"
GENERATED_PREFIX = "gen-"


class ExerciseCatalog(Protocol):
    """The exercises API's own store (`ExerciseRepository`): generated exercises live beside teachers'."""

    def add(self, exercise: Exercise) -> bool: ...
    def by_slug(self, slug: str) -> Exercise | None: ...
    def hints_revealed(self, exercise_id: str, user_id: str) -> int: ...


class ExerciseAssignments(Protocol):
    def assign(self, user_id: str, exercise_id: str, source: str, request_id: str | None) -> None: ...
    def history(self, user_id: str) -> History: ...
    def assigned_titles(self, user_id: str, limit: int = 20) -> list[str]: ...


_DIFFICULTY_WORDS: tuple[tuple[Difficulty, re.Pattern[str]], ...] = (
    ("hard", re.compile(r"\b(hard|harder|hardest|difficult|challeng\w*|tough|advanced)\b")),
    ("easy", re.compile(r"\b(easy|easier|easiest|simple|simpler|basic|beginner)\b")),
    ("medium", re.compile(r"\b(medium|intermediate|moderate)\b")),
)


def difficulty_asked(question: str) -> Difficulty | None:
    """The difficulty a question asks for in words ("a hard exercise on loops"), if any."""
    text = question.lower()
    for difficulty, pattern in _DIFFICULTY_WORDS:
        if pattern.search(text):
            return difficulty
    return None


def _topic_groups() -> dict[str, list[Concept]]:
    groups: dict[str, list[Concept]] = {}
    for concept in list_concepts():
        groups.setdefault(normalize(concept.topic), []).append(concept)
    return groups


def concept_for_topic(text: str) -> Concept | None:
    """The concept a topic names: a concept ("list comps") or a curriculum topic ("oop")."""
    concept = find_concept(text)
    if concept is not None:
        return concept
    wanted = normalize(text)
    for group, concepts in _topic_groups().items():
        if group == wanted or group.replace(" ", "") == wanted.replace(" ", ""):
            return next((c for c in concepts if exercises_on(c.slug)), concepts[0])
    return None


def resolve_topic(text: str) -> Concept:
    concept = concept_for_topic(text)
    if concept is None:
        suggestions = [{"topic": title} for title in suggest(text)]
        raise NotFoundError(f"No curriculum topic called {text!r}.", details=suggestions)
    return concept


def stored(catalog: ExerciseCatalog, draft: ExerciseDraft) -> Exercise:
    """The exercise in the exercises table: a bank exercise is stored once (slug `bank-<slug>`) and
    shared; a generated one is stored new (slug `gen-<random>-<slug>`, `generated` true)."""
    content = ExerciseContent(**draft.model_dump(exclude={"hints", "source"}), hints=list(draft.hints))
    if draft.source == "offline":
        slug = f"{BANK_PREFIX}{draft.slug}"
        existing = catalog.by_slug(slug)
        if existing is None:
            exercise = exercise_of(content.model_copy(update={"slug": slug}), author_id=None)
            existing = exercise if catalog.add(exercise) else catalog.by_slug(slug)
        if existing is not None and existing.author_id is None and not existing.generated:
            return existing
        # a teacher took the slug: store this copy under a slug of its own
    slug = f"{GENERATED_PREFIX}{uuid.uuid4().hex[:8]}-{draft.slug}"
    exercise = exercise_of(
        content.model_copy(update={"slug": slug}), author_id=None, generated=draft.source == "llm"
    )
    catalog.add(exercise)
    return exercise


def public_exercise(
    catalog: ExerciseCatalog, exercise: Exercise, user_id: str, source: str
) -> dict[str, Any]:
    """The contract's `exercise` as the student sees it (never the solution), and which engine made it."""
    revealed = catalog.hints_revealed(exercise.id, user_id)
    return {**view(exercise, user_id=user_id, role="student", revealed=revealed), "source": source}


def plan_exercise(
    assignments: ExerciseAssignments,
    context: StudentContext,
    *,
    user_id: str,
    topic: str | None,
    difficulty: Difficulty | None = None,
) -> ExerciseRequest:
    """What to ask the engine for: the topic's concept, the difficulty, and the student's history.

    The difficulty is the one asked for, else from the topic's mastery (<= 40 easy, <= 70 medium,
    else hard). Without a topic, the first topic of the curriculum the student has not finished.
    """
    concept = resolve_topic(topic) if topic else None
    history = assignments.history(user_id)
    chosen = difficulty or difficulty_for_mastery(context.mastery_in(concept.topic if concept else None))
    if concept is None:
        slug = first_unfinished_topic(chosen, history, bank_topics())
        concept = next(c for c in list_concepts() if c.slug == slug)
    return ExerciseRequest(concept, chosen, history, tuple(assignments.assigned_titles(user_id)))


def drafted(engine: TutorEngine, request: ExerciseRequest) -> ExerciseDraft:
    draft = engine.exercise(request)
    if draft is None:
        raise NotFoundError(f"There are no exercises on {request.topic.title} yet.")
    return draft


def hand_out(
    uow: UnitOfWork,
    catalog: ExerciseCatalog,
    assignments: ExerciseAssignments,
    draft: ExerciseDraft,
    *,
    user_id: str,
    request_id: str | None = None,
) -> dict[str, Any]:
    """Stores the exercise, records it as the student's and announces it on exercise.generated."""
    exercise = stored(catalog, draft)
    assignments.assign(user_id, exercise.id, draft.source, request_id)
    uow.publish(
        Topic.EXERCISE_GENERATED,
        ExerciseGenerated(
            user_id=user_id,
            exercise_id=exercise.id,
            topic=exercise.topic,
            difficulty=exercise.difficulty,
            request_id=request_id,
        ),
        user_id=user_id,
    )
    return public_exercise(catalog, exercise, user_id, draft.source)


def new_exercise(
    uow: UnitOfWork,
    catalog: ExerciseCatalog,
    assignments: ExerciseAssignments,
    engine: TutorEngine,
    context: StudentContext,
    *,
    user_id: str,
    topic: str | None,
    difficulty: Difficulty | None = None,
    request_id: str | None = None,
) -> dict[str, Any]:
    """Plan, draft and hand out a new exercise in one go (one transaction)."""
    request = plan_exercise(assignments, context, user_id=user_id, topic=topic, difficulty=difficulty)
    draft = drafted(engine, request)
    return hand_out(uow, catalog, assignments, draft, user_id=user_id, request_id=request_id)
