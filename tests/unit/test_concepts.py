"""The offline concepts curriculum and explainer."""

import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from learnflow.domain.concepts import (
    Concept,
    ConceptNotFound,
    Example,
    explain,
    find_concept,
    level_for_mastery,
    list_concepts,
)
from learnflow.domain.concepts.models import Level

LEVELS: tuple[Level, ...] = ("beginner", "intermediate", "advanced")
CORE_TOPICS = [
    "variables",
    "numbers",
    "strings",
    "f-strings",
    "booleans-and-conditions",
    "lists",
    "tuples",
    "dictionaries",
    "sets",
    "for-loops",
    "while-loops",
    "range",
    "comprehensions",
    "functions",
    "arguments",
    "return-values",
    "scope",
    "recursion",
    "exceptions",
    "files",
    "modules-and-imports",
    "classes",
    "inheritance",
    "dunder-methods",
    "iterators",
    "generators",
    "decorators",
    "context-managers",
    "lambda",
    "type-hints",
    "dataclasses",
    "async-await",
]


def all_examples() -> list[tuple[str, Example]]:
    return [
        (f"{concept.slug}-{level}-{index}", example)
        for concept in list_concepts()
        for level in LEVELS
        for index, example in enumerate(concept.at(level).examples)
    ]


def test_the_curriculum_covers_the_core_python_concepts() -> None:
    slugs = [concept.slug for concept in list_concepts()]
    assert len(slugs) >= 30
    assert len(set(slugs)) == len(slugs)
    assert set(CORE_TOPICS) <= set(slugs)


@pytest.mark.parametrize("concept", list_concepts(), ids=lambda concept: concept.slug)
def test_each_concept_is_explained_at_three_levels(concept: Concept) -> None:
    assert concept.title and concept.topic and concept.aliases
    for level in LEVELS:
        content = concept.at(level)
        assert len(content.explanation) >= 150, f"{level} explanation is too short"
        assert content.examples
    assert len(concept.levels.beginner.examples) == 1
    assert set(concept.related) <= {c.slug for c in list_concepts()} - {concept.slug}


def test_the_curriculum_is_package_data() -> None:
    folder = resources.files("learnflow.domain.concepts") / "curriculum"
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".json"))
    assert names == sorted(f"{concept.slug}.json" for concept in list_concepts())


@pytest.mark.parametrize(("name", "example"), all_examples(), ids=[name for name, _ in all_examples()])
def test_every_example_prints_exactly_its_output(name: str, example: Example, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-I", "-c", example.code],
        capture_output=True,
        text=True,
        timeout=5,
        cwd=tmp_path,
        check=False,
    )
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout == example.output


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("dict", "dictionaries"),
        ("Dictionaries", "dictionaries"),
        ("dictionaries", "dictionaries"),
        ("hash map", "dictionaries"),
        ("what's a dict comprehension?", "comprehensions"),
        ("tell me about list comprehensions", "comprehensions"),
        ("explain *args and **kwargs please", "arguments"),
        ("what does the @ symbol mean above a function", "decorators"),
        ("what does @dataclass do", "dataclasses"),
        ("What is a for loop?", "for-loops"),
        ("how do while loops work", "while-loops"),
        ("how do f-strings work", "f-strings"),
        ("what does __init__ do", "classes"),
        ("if __name__ == '__main__'", "modules-and-imports"),
        ("async/await", "async-await"),
        ("difference between a list and a tuple", "tuples"),
        ("how does with open(...) close the file", "files"),
        ("what does yield do", "generators"),
        ("what is a closure", "scope"),
        ("type-hints", "type-hints"),
        ("Dunder (Magic) Methods", "dunder-methods"),
        ("RECURSION", "recursion"),
        ("what are sets for", "sets"),
        ("try/except", "exceptions"),
    ],
)
def test_concepts_are_found_by_name_alias_or_question(text: str, slug: str) -> None:
    concept = find_concept(text)
    assert concept is not None and concept.slug == slug


@pytest.mark.parametrize("text", ["", "help", "quantum physics", "dictator", "settings"])
def test_text_naming_no_concept_finds_nothing(text: str) -> None:
    assert find_concept(text) is None


@pytest.mark.parametrize(
    ("mastery", "level"),
    [
        (None, "beginner"),
        (0, "beginner"),
        (39, "beginner"),
        (40, "intermediate"),
        (74, "intermediate"),
        (75, "advanced"),
        (100, "advanced"),
    ],
)
def test_the_level_follows_mastery(mastery: int | None, level: Level) -> None:
    assert level_for_mastery(mastery) == level


@pytest.mark.parametrize(("mastery", "level"), [(None, "beginner"), (50, "intermediate"), (90, "advanced")])
def test_explain_gives_the_content_of_the_level(mastery: int | None, level: Level) -> None:
    result = explain("what is a list comprehension?", mastery)
    concept = find_concept("comprehensions")
    assert concept is not None
    assert (result.slug, result.concept, result.level, result.source) == (
        "comprehensions",
        "Comprehensions",
        level,
        "offline",
    )
    assert result.explanation == concept.at(level).explanation
    assert result.examples == list(concept.at(level).examples)
    assert "lists" in result.related


def test_the_explanation_has_the_shape_of_the_api_answer() -> None:
    body = explain("recursion", 10).model_dump(mode="json")
    assert {"concept", "level", "explanation", "examples", "diagram", "source"} <= set(body)
    assert set(body["examples"][0]) == {"code", "output"}
    assert body["diagram"]


@pytest.mark.parametrize(
    ("text", "suggestion"), [("dictionry", "Dictionaries"), ("explain decoraters", "Decorators")]
)
def test_an_unknown_concept_comes_with_suggestions(text: str, suggestion: str) -> None:
    with pytest.raises(ConceptNotFound) as raised:
        explain(text)
    assert suggestion in raised.value.suggestions
    assert isinstance(raised.value, LookupError)


def test_text_unlike_any_concept_has_no_suggestions() -> None:
    with pytest.raises(ConceptNotFound) as raised:
        explain("quantum physics")
    assert raised.value.suggestions == []
