"""The guardrails' figures for `make bench-tutor`: the guard's catch rate over the prompt-injection
corpus (every entry answered as an obedient model would) and the hint leaks over the debug corpus.

Each obedient reply is built from the prompt really rendered for its entry (the canary included) and
checked as the raw text the LLM sent. Candidate solutions run in the sandbox when it starts here;
without it, a candidate defining the exercise's functions counts as ungraded (caught).
"""

from learnflow.domain.debugging import analyze
from learnflow.domain.guardrails.hint_leak import program_hint_leak
from learnflow.domain.ports import Sandbox
from learnflow.llm.answers import LlmExplanation
from learnflow.llm.guard import OutputGuard
from localcloud.sandbox import LocalSandbox
from tests.data.debug_corpus.truth import corpus_truths
from tests.injection_corpus import ENTRIES, asked, concept_of, obedient_reply, open_exercises, prompt_for


def caught_by_rule(guard: OutputGuard) -> tuple[int, int, list[str]]:
    """(caught, entries, ids of the entries the guard let through or caught under another rule)."""
    missed = []
    for entry in ENTRIES:
        prompt = prompt_for(entry)
        context = prompt.context(
            asked(entry),
            student_code=entry["code"],
            topic=concept_of(entry).title,
            exercises=open_exercises(entry["exercise"]),
        )
        if guard.check(obedient_reply(entry, prompt), context, LlmExplanation).rule != entry["breaks"]:
            missed.append(entry["id"])
    return len(ENTRIES) - len(missed), len(ENTRIES), missed


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
