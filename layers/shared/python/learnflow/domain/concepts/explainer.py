"""The offline concepts explainer: a curriculum concept at the level that suits the student."""

from typing import Literal

from pydantic import BaseModel, ConfigDict

from learnflow.domain.concepts.catalog import find_concept, list_concepts, suggest
from learnflow.domain.concepts.models import Concept, Example, Level

__all__ = [
    "ConceptNotFound",
    "Explanation",
    "explain",
    "find_concept",
    "level_for_mastery",
    "list_concepts",
]

INTERMEDIATE_FROM = 40
ADVANCED_FROM = 75


class Explanation(BaseModel):
    """The answer of `POST /concepts/explain`; `related` holds the slugs of neighbouring concepts."""

    model_config = ConfigDict(frozen=True)

    concept: str
    slug: str
    level: Level
    explanation: str
    examples: list[Example]
    diagram: str | None = None
    source: Literal["llm", "offline"] = "offline"
    related: list[str] = []
    #: why the offline tutor answered when the student should know (a daily LLM budget spent)
    note: str | None = None


class OpenAnswer(BaseModel):
    """An answer to a Python question no curriculum page is about (written by an LLM, then checked)."""

    model_config = ConfigDict(frozen=True)

    concept: None = None
    level: Level
    explanation: str
    #: those that ran in the sandbox, with what they really print
    examples: list[Example]
    diagram: str | None = None
    #: titles of the curriculum's topics closest to the question
    suggestions: list[str]
    source: Literal["llm"] = "llm"


class ConceptNotFound(LookupError):  # noqa: N818 (the name is part of the shared API)
    """No curriculum concept matches the request; `suggestions` are the closest concept titles."""

    def __init__(self, query: str, suggestions: list[str]) -> None:
        super().__init__(f"no Python concept matches {query!r}")
        self.query = query
        self.suggestions = suggestions


def level_for_mastery(mastery: int | None) -> Level:
    """The explanation level for a mastery score (0-100).

    - unknown (`None`) or below 40: `beginner`
    - 40 to 74: `intermediate`
    - 75 and above: `advanced`
    """
    if mastery is None or mastery < INTERMEDIATE_FROM:
        return "beginner"
    if mastery < ADVANCED_FROM:
        return "intermediate"
    return "advanced"


def explanation_of(concept: Concept, level: Level) -> Explanation:
    content = concept.at(level)
    return Explanation(
        concept=concept.title,
        slug=concept.slug,
        level=level,
        explanation=content.explanation,
        examples=list(content.examples),
        diagram=concept.diagram,
        related=list(concept.related),
    )


def explain(concept_or_question: str, mastery_level: int | None = None) -> Explanation:
    """Explain a concept (a slug, a title, an alias or a question naming it) at the student's level.

    Raises `ConceptNotFound`, with suggestions, when the text names no concept of the curriculum.
    """
    concept = find_concept(concept_or_question)
    if concept is None:
        raise ConceptNotFound(concept_or_question, suggest(concept_or_question))
    return explanation_of(concept, level_for_mastery(mastery_level))
