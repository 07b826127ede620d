"""Python concepts explained offline from a curated curriculum, at the student's level."""

from learnflow.domain.concepts.catalog import find_concept, list_concepts
from learnflow.domain.concepts.explainer import (
    ConceptNotFound,
    Explanation,
    OpenAnswer,
    explain,
    explanation_of,
    level_for_mastery,
)
from learnflow.domain.concepts.models import LEVELS, Concept, Example, Level, LevelContent

__all__ = [
    "LEVELS",
    "Concept",
    "ConceptNotFound",
    "Example",
    "Explanation",
    "Level",
    "LevelContent",
    "OpenAnswer",
    "explain",
    "explanation_of",
    "find_concept",
    "level_for_mastery",
    "list_concepts",
]
