"""Exercises: the offline bank (>= 60 over the curriculum at three difficulties) and how one is chosen."""

from learnflow.domain.exercise_bank.bank import (
    History,
    bank,
    bank_topics,
    by_slug,
    choose,
    difficulty_for_mastery,
    exercises_on,
    first_unfinished_topic,
)
from learnflow.domain.exercise_bank.models import DIFFICULTIES, Difficulty, ExerciseDraft

__all__ = [
    "DIFFICULTIES",
    "Difficulty",
    "ExerciseDraft",
    "History",
    "bank",
    "bank_topics",
    "by_slug",
    "choose",
    "difficulty_for_mastery",
    "exercises_on",
    "first_unfinished_topic",
]
