"""Checks on what an LLM writes before a student reads it: the offline analysis is the truth.

- `hint_leak`: a debugging hint of level 1 or 2 that gives away the sandbox-verified fix;
- `solution_leak`: an answer holding code equivalent to the open exercise's solution;
- `output_rules`: the rules every LLM answer keeps (no system prompt, no solution, on topic).
"""

from learnflow.domain.guardrails.hint_leak import HintLeak, SafeHints, hint_leak, safe_hints
from learnflow.domain.guardrails.output_rules import AnswerText, OutputRule, broken_rule
from learnflow.domain.guardrails.solution_leak import OpenExercise, solution_leak

__all__ = [
    "AnswerText",
    "HintLeak",
    "OpenExercise",
    "OutputRule",
    "SafeHints",
    "broken_rule",
    "hint_leak",
    "safe_hints",
    "solution_leak",
]
