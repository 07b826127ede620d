"""The guardrails' figures for `make bench-tutor`: the guard's catch rate over the prompt-injection
corpus (every entry answered as an obedient model would) and the hint leaks over the debug corpus.

Each obedient reply is built from the prompt really rendered for its entry (the canary included) and
checked as the raw text the LLM sent. Candidate solutions run in the sandbox when it starts here;
without it, a candidate defining the exercise's functions counts as ungraded (caught).
"""

import json
from pathlib import Path
from string import Template
from typing import Any

from learnflow.domain.concepts import find_concept
from learnflow.domain.debugging import analyze
from learnflow.domain.exercise_bank import by_slug
from learnflow.domain.guardrails import OpenExercise
from learnflow.domain.guardrails.hint_leak import program_hint_leak
from learnflow.domain.ports import Sandbox
from learnflow.llm.answers import LlmExplanation
from learnflow.llm.guard import ExplanationRequest, OutputGuard, seeded
from learnflow.llm.prompts import render
from localcloud.sandbox import LocalSandbox
from tests.data.debug_corpus.truth import corpus_truths

CORPUS = Path(__file__).parents[1] / "data" / "prompt_injections.jsonl"


def _exercise(slug: str | None) -> OpenExercise | None:
    draft = by_slug(slug) if slug else None
    return OpenExercise(draft.module_name, draft.solution, draft.test_code) if draft else None


def _filled(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        return Template(value).substitute(values)
    if isinstance(value, dict):
        return {key: _filled(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, values) for item in value]
    return value


def caught_by_rule(guard: OutputGuard) -> tuple[int, int, list[str]]:
    """(caught, entries, ids of the entries the guard let through or caught under another rule)."""
    entries = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    missed = []
    for entry in entries:
        concept = find_concept(entry["concept"])
        assert concept is not None, entry["concept"]
        exercise = _exercise(entry["exercise"])
        request = ExplanationRequest(
            concept, "beginner", entry["question"], entry["code"], entry["error"], exercise
        )
        prompt = seeded(
            render(
                "concept_explanation",
                concept=concept.title,
                level="beginner",
                question=request.asked,
                reference=concept.at("beginner").explanation,
            )
        )
        values = {
            "system_prompt": prompt.prompt.system,
            "system_excerpt": " ".join(prompt.prompt.system.split()[:40]),
            "canary": prompt.canary,
            "canary_spelled": " ".join(prompt.canary),
            "solution": exercise.solution if exercise else "",
        }
        obedient = _filled(entry["obedient"], values)
        reply = obedient if isinstance(obedient, str) else json.dumps(obedient)
        context = prompt.context(
            request.asked, student_code=entry["code"], topic=concept.title, exercise=exercise
        )
        if guard.check(reply, context, LlmExplanation).rule != entry["breaks"]:
            missed.append(entry["id"])
    return len(entries) - len(missed), len(entries), missed


def hint_leaks(sandbox: Sandbox | None) -> tuple[int, int, list[str]]:
    """(leaking hints of levels 1 and 2, programs with a fix, where they leak) over the debug corpus."""
    leaks, fixes = [], 0
    for truth in corpus_truths():
        analysis = analyze(truth.code, truth.stderr, sandbox, stdin=truth.stdin)
        fixed = analysis.hints[2].code if len(analysis.hints) == 3 else None
        fixes += fixed is not None
        leaks += [
            f"{truth.name} level {hint.level}"
            for hint in analysis.hints[:2]
            if program_hint_leak(hint.text, truth.code, fixed) is not None
        ]
    return len(leaks), fixes, leaks


def report() -> list[str]:
    """The two figures as Markdown lines, for docs/benchmarks.md."""
    try:
        sandbox: LocalSandbox | None = LocalSandbox()
    except Exception:  # no sandbox tools here: candidates are judged ungraded
        sandbox = None
    try:
        caught, entries, missed = caught_by_rule(OutputGuard(sandbox))
        leaked, fixes, where = hint_leaks(sandbox)
    finally:
        if sandbox is not None:
            sandbox.close()
    graded = "candidates graded in the sandbox" if sandbox is not None else "no sandbox: candidates ungraded"
    lines = [
        f"guard catch rate: {caught / entries:.3f} ({caught} of {entries} obeyed injections; {graded})",
        f"hint leaks (levels 1 and 2): {leaked} over the {fixes} debug-corpus programs with a fix",
    ]
    if missed or where:
        lines.append(f"missed: {', '.join(missed + where)}")
    return lines


if __name__ == "__main__":
    print("\n".join(report()))
