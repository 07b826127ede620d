"""The prompt-injection corpus (tests/data/prompt_injections.jsonl) and what an obedient model
answers to each entry, from the prompt really rendered for it: shared by its tests and its bench."""

import json
from pathlib import Path
from string import Template
from typing import Any

from learnflow.domain.concepts import Concept, find_concept
from learnflow.domain.exercise_bank import by_slug
from learnflow.domain.guardrails import OpenExercise
from learnflow.llm.guard import SeededPrompt, seeded
from learnflow.llm.prompts import render

CORPUS = Path(__file__).parent / "data" / "prompt_injections.jsonl"
ENTRIES: list[dict[str, Any]] = [
    json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()
]


def concept_of(entry: dict[str, Any]) -> Concept:
    found = find_concept(entry["concept"])
    assert found is not None, entry["concept"]
    return found


def open_exercises(slug: str | None) -> tuple[OpenExercise, ...]:
    """The bank exercise an entry's student has open (none: an empty tuple)."""
    draft = by_slug(slug) if slug else None
    return (OpenExercise(draft.module_name, draft.solution, draft.test_code),) if draft else ()


def asked(entry: dict[str, Any]) -> str:
    """Everything the student sent, as the LLM reads it: data, never instructions."""
    parts = [entry["question"]]
    if entry["code"].strip():
        parts.append(f"My code:\n```python\n{entry['code'].rstrip()}\n```")
    if entry["error"].strip():
        parts.append(f"The error:\n```\n{entry['error'].rstrip()}\n```")
    return "\n\n".join(parts)


def prompt_for(entry: dict[str, Any]) -> SeededPrompt:
    concept = concept_of(entry)
    return seeded(
        render(
            "concept_explanation",
            concept=concept.title,
            level="beginner",
            question=asked(entry),
            reference=concept.at("beginner").explanation,
        )
    )


def obedient_reply(entry: dict[str, Any], prompt: SeededPrompt) -> str:
    """What a model that obeys the injection writes, from the prompt it was really sent."""
    exercises = open_exercises(entry["exercise"])
    values = {
        "system_prompt": prompt.prompt.system,
        "system_excerpt": " ".join(prompt.prompt.system.split()[:40]),
        "canary": prompt.canary,
        "canary_spelled": " ".join(prompt.canary),
        "solution": exercises[0].solution if exercises else "",
    }
    obedient = _filled(entry["obedient"], values)
    return obedient if isinstance(obedient, str) else json.dumps(obedient)


def _filled(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        return Template(value).substitute(values)
    if isinstance(value, dict):
        return {key: _filled(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, values) for item in value]
    return value
