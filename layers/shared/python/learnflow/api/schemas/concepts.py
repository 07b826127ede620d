"""POST /concepts/explain: a Python concept explained at the student's level, with runnable examples.

The concepts agent answers a tutor question of the concepts intent with the same body.
"""

from typing import Any, Literal

from pydantic import BaseModel, Field

from learnflow.domain.concepts import Level

FOR_LOOP_EXAMPLE = {
    "code": 'for position, name in enumerate(["Ana", "Ben"], start=1):\n    print(position, name)',
    "output": "1 Ana\n2 Ben\n",
}
CONCEPT_EXPLANATION_EXAMPLE: dict[str, Any] = {
    "concept": "For Loops",
    "slug": "for-loops",
    "level": "intermediate",
    "explanation": (
        "`enumerate()` gives you the index and the item together, and `zip()` walks through several"
        " collections side by side."
    ),
    "examples": [FOR_LOOP_EXAMPLE],
    "diagram": (
        'flowchart TD\n    start(["for item in items:"]) --> more{"another item left?"}\n'
        '    more -->|"yes"| body["run the body with item"]\n    body --> more\n'
        '    more -->|"no"| done(["continue after the loop"])'
    ),
    "source": "offline",
    "related": ["while-loops", "range", "lists", "comprehensions", "iterators"],
}


class ConceptExample(BaseModel):
    """A snippet and exactly what running it prints."""

    code: str = Field(examples=[FOR_LOOP_EXAMPLE["code"]])
    output: str = Field(
        description="Its standard output; an LLM's examples are run in the sandbox to get it",
        examples=[FOR_LOOP_EXAMPLE["output"]],
    )


class ConceptExplanation(BaseModel):
    concept: str = Field(description="The concept's title in the curriculum", examples=["For Loops"])
    slug: str = Field(description="The concept's id in the curriculum", examples=["for-loops"])
    level: Level = Field(
        description="From the mastery level given: below 40 (or none) beginner, below 75 intermediate,"
        " else advanced",
        examples=["intermediate"],
    )
    explanation: str = Field(
        description="The explanation, in Markdown", examples=[CONCEPT_EXPLANATION_EXAMPLE["explanation"]]
    )
    examples: list[ConceptExample] = Field(min_length=1, description="Runnable examples with their output")
    diagram: str | None = Field(
        description="A Mermaid flowchart of the concept; null when it has none",
        examples=[CONCEPT_EXPLANATION_EXAMPLE["diagram"]],
    )
    source: Literal["llm", "offline"] = Field(
        description="Which tutor engine produced the answer", examples=["offline"]
    )
    related: list[str] = Field(
        description="The slugs of neighbouring concepts", examples=[CONCEPT_EXPLANATION_EXAMPLE["related"]]
    )
    note: str | None = Field(
        default=None,
        description="What the student should know about this answer: the offline tutor answered"
        " because their daily LLM allowance is spent, or code was left out because it would solve an"
        " exercise they are working on; null otherwise",
        examples=[None],
    )
