"""The offline exercise bank: TOML files shipped in this package, one per curriculum concept.

Each file `exercises/<concept-slug>.toml` holds `[[exercises]]` tables; the concept is the topic.
"""

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from learnflow.domain.concepts import list_concepts
from learnflow.domain.exercise_bank.models import DIFFICULTIES, Difficulty, ExerciseDraft

_PACKAGE = "learnflow.domain.exercise_bank"
EASY_UP_TO = 40
MEDIUM_UP_TO = 70


def difficulty_for_mastery(mastery: int | None) -> Difficulty:
    """<= 40 easy, <= 70 medium, else hard; no mastery yet counts as 0."""
    score = mastery or 0
    if score <= EASY_UP_TO:
        return "easy"
    return "medium" if score <= MEDIUM_UP_TO else "hard"


@cache
def bank() -> tuple[ExerciseDraft, ...]:
    """Every exercise of the bank, in the curriculum's teaching order then as written in its file."""
    folder = resources.files(_PACKAGE) / "exercises"
    by_topic: dict[str, list[ExerciseDraft]] = {}
    for entry in folder.iterdir():
        if not entry.name.endswith(".toml"):
            continue
        topic = entry.name.removesuffix(".toml")
        tables = tomllib.loads(entry.read_text(encoding="utf-8"))["exercises"]
        by_topic[topic] = [ExerciseDraft.model_validate({**table, "topic": topic}) for table in tables]
    known = [concept.slug for concept in list_concepts()]
    unknown = set(by_topic) - set(known)
    if unknown:
        raise ValueError(f"exercise files for unknown concepts: {sorted(unknown)}")
    exercises = tuple(exercise for slug in known for exercise in by_topic.get(slug, []))
    slugs = [exercise.slug for exercise in exercises]
    if len(set(slugs)) != len(slugs):
        raise ValueError("two bank exercises share a slug")
    return exercises


def exercises_on(topic: str) -> list[ExerciseDraft]:
    return [exercise for exercise in bank() if exercise.topic == topic]


def bank_topics() -> list[str]:
    """The concepts the bank has exercises on, in teaching order."""
    return list(dict.fromkeys(exercise.topic for exercise in bank()))


def by_slug(slug: str) -> ExerciseDraft | None:
    return next((exercise for exercise in bank() if exercise.slug == slug), None)


@dataclass(frozen=True)
class History:
    """A student's past with the bank: slugs passed, and when each was last handed out (bigger: later)."""

    passed: frozenset[str] = frozenset()
    last_assigned: Mapping[str, int] = field(default_factory=dict)


def choose(topic: str, difficulty: Difficulty, history: History) -> ExerciseDraft | None:
    """The next bank exercise on `topic` for a student.

    Never one already passed while an unpassed one remains on the topic; among those, the closest
    difficulty, then one never handed out, then the one handed out longest ago.
    """
    candidates = exercises_on(topic)
    if not candidates:
        return None
    wanted = DIFFICULTIES.index(difficulty)

    def rank(exercise: ExerciseDraft) -> tuple[bool, int, int, int]:
        return (
            exercise.slug in history.passed,
            abs(DIFFICULTIES.index(exercise.difficulty) - wanted),
            history.last_assigned.get(exercise.slug, -1),
            candidates.index(exercise),
        )

    return min(candidates, key=rank)


def first_unfinished_topic(difficulty: Difficulty, history: History, topics: Sequence[str]) -> str:
    """The first topic, in the given order, with an unpassed exercise at `difficulty` (else any unpassed)."""
    for accept_any_difficulty in (False, True):
        for topic in topics:
            for exercise in exercises_on(topic):
                if exercise.slug in history.passed:
                    continue
                if accept_any_difficulty or exercise.difficulty == difficulty:
                    return topic
    return topics[0]
