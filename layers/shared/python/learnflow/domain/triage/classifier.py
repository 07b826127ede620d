"""Scores the cues of a query for each intent and turns the scores into a routing decision."""

import math
from dataclasses import dataclass

from learnflow.domain.triage.context import StudentContext
from learnflow.domain.triage.lexicon import CUES
from learnflow.domain.triage.text import has_traceback, normalize, split_code
from learnflow.events.schemas import Intent

INTENTS: tuple[Intent, ...] = ("concepts", "debug", "exercise", "code_review", "progress")

# Below this much evidence for the best intent the query is too vague to route.
MIN_EVIDENCE = 1.5
# Softmax temperature: how quickly confidence grows with the lead of the best intent.
TEMPERATURE = 1.5
VAGUE_CONFIDENCE = 0.3

ERROR_WEIGHT = 4.0
CODE_WEIGHTS: dict[Intent, float] = {"code_review": 1.0, "debug": 0.5}
NO_CODE_REVIEW_PENALTY = -1.0
# A student who met errors recently: "debug" wins a near tie (within TIE_MARGIN of the best).
RECENT_ERRORS_NUDGE = 0.5
TIE_MARGIN = 0.5

ASK_WHAT = (
    "Could you tell me a bit more about what you need? I can explain a Python concept, "
    "help you fix an error, give you an exercise, review your code or show your progress."
)
ASK_ABOUT_CODE = (
    "What would you like me to do with this code: find out why it does not work, "
    "or review it and suggest improvements?"
)


@dataclass(frozen=True)
class Triage:
    """Where a query goes: `clarification` is a question to ask back when it is too vague to route."""

    intent: Intent
    confidence: float
    clarification: str | None = None


def _evidence(question: str, code: str | None, error: str | None) -> tuple[dict[Intent, float], bool]:
    prose, code_in_question = split_code(question)
    text = normalize(prose)
    result = dict.fromkeys(INTENTS, 0.0)
    for cue in CUES:
        if cue.pattern.search(text):
            result[cue.intent] += cue.weight
    if (error and error.strip()) or has_traceback(question):
        result["debug"] += ERROR_WEIGHT
    has_code = bool(code and code.strip()) or code_in_question
    if has_code:
        for intent, weight in CODE_WEIGHTS.items():
            result[intent] += weight
    else:
        result["code_review"] += NO_CODE_REVIEW_PENALTY
    return result, has_code


def scores(question: str, code: str | None = None, error: str | None = None) -> dict[Intent, float]:
    """The evidence for each intent: the weights of the cues that match, plus the code and error signals."""
    return _evidence(question, code, error)[0]


def _nudge_for_context(evidence: dict[Intent, float], context: StudentContext | None) -> None:
    """Recent errors break a near tie towards debugging; they never outweigh what the query says."""
    if context is None or not context.recent_errors or evidence["debug"] <= 0:
        return
    best = max(evidence.values())
    if evidence["debug"] < best and best - evidence["debug"] <= TIE_MARGIN:
        evidence["debug"] += RECENT_ERRORS_NUDGE


def classify(
    question: str,
    code: str | None = None,
    error: str | None = None,
    context: StudentContext | None = None,
) -> Triage:
    """Route a student's query to an intent, with a confidence in 0..1.

    A query without enough evidence for any intent ("help", "hi") gets the best guess, a low
    confidence and a clarifying question to ask the student. The student's `context` only breaks
    near ties (recent errors favour debugging).
    """
    evidence, has_code = _evidence(question, code, error)
    _nudge_for_context(evidence, context)
    intent = max(INTENTS, key=evidence.__getitem__)
    top = evidence[intent]
    total = sum(math.exp((value - top) / TEMPERATURE) for value in evidence.values())
    confidence = round(1.0 / total, 3)
    if top >= MIN_EVIDENCE:
        return Triage(intent, confidence)
    return Triage(intent, min(confidence, VAGUE_CONFIDENCE), ASK_ABOUT_CODE if has_code else ASK_WHAT)
