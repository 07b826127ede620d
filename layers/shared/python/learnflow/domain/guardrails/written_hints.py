"""Debugging hints in an LLM's words, from LearnFlow's own analysis, with no fix given away early."""

from typing import Any

from learnflow.domain.debugging.models import DebugAnalysis
from learnflow.domain.guardrails.hint_leak import safe_hints
from learnflow.domain.llm_budget import BudgetSpent
from learnflow.domain.ports import HintWriter


def facts_of(analysis: DebugAnalysis) -> dict[str, Any]:
    """What the writer may use: the parsed error, the located line, the three offline hints and the
    sandbox-verified fix (level 3's code)."""
    return analysis.model_dump(mode="json", exclude={"source", "frames", "note"})


def written(analysis: DebugAnalysis, writer: HintWriter, code: str, question: str) -> DebugAnalysis:
    """The analysis with the writer's hints where they are safe: a level-1 or level-2 hint that holds
    the fix (as tokens or as code) is replaced by the offline hint of its level; level 3 keeps the
    verified code. Without hints to rewrite, or without the writer's, the offline analysis stands."""
    if not analysis.hints:
        return analysis
    try:
        texts = writer.write_hints(facts_of(analysis), code, question)
    except BudgetSpent as spent:
        return analysis.model_copy(update={"note": str(spent)})
    if texts is None:
        return analysis
    safe = safe_hints(texts, analysis.hints, code)
    if len(safe.replaced) == len(analysis.hints):
        return analysis
    return analysis.model_copy(update={"hints": list(safe.hints), "source": "llm"})
