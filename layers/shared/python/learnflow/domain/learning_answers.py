"""The learning agent: answers questions triaged as `exercise` (a new exercise) or `progress` (a summary
of the student's progress and what to study next). Other intents have agents of their own."""

from typing import Any

from learnflow.domain.concepts import Concept, list_concepts
from learnflow.domain.exercise_assignment import (
    ExerciseAssignments,
    ExerciseCatalog,
    concept_for_topic,
    difficulty_asked,
    new_exercise,
)
from learnflow.domain.exercise_bank import bank, exercises_on
from learnflow.domain.llm_budget import BudgetSpent
from learnflow.domain.ports import ProgressNarrator, TutorEngine, UnitOfWork
from learnflow.domain.progress import level_of
from learnflow.domain.progress.narrative_check import invented_numbers
from learnflow.domain.triage.context import StudentContext
from learnflow.events.schemas import Intent, TutorRequested, TutorResponded
from learnflow.events.topics import Topic

CONSUMER = "learning_agent"
ANSWERED: frozenset[Intent] = frozenset({"exercise", "progress"})
STRONG_FROM = 71
NEXT_STEPS = 3

#: the concept to revisit after meeting an error type often
ERROR_CONCEPTS: dict[str, str] = {
    "KeyError": "dictionaries",
    "IndexError": "lists",
    "TypeError": "variables",
    "ValueError": "exceptions",
    "NameError": "scope",
    "UnboundLocalError": "scope",
    "AttributeError": "classes",
    "ZeroDivisionError": "exceptions",
    "RecursionError": "recursion",
    "FileNotFoundError": "files",
    "ModuleNotFoundError": "modules-and-imports",
    "ImportError": "modules-and-imports",
    "StopIteration": "iterators",
    "SyntaxError": "functions",
    "IndentationError": "functions",
}


def answer(
    uow: UnitOfWork,
    event_id: str,
    request: TutorRequested,
    *,
    catalog: ExerciseCatalog,
    assignments: ExerciseAssignments,
    engine: TutorEngine,
    context: StudentContext,
    narrator: ProgressNarrator | None = None,
) -> bool:
    """Answers once per event; False for intents other agents answer, and for redeliveries."""
    if request.intent not in ANSWERED or not uow.claim_event(CONSUMER, event_id):
        return False
    if request.intent == "exercise":
        concept = concept_for_topic(request.question)
        exercise = new_exercise(
            uow,
            catalog,
            assignments,
            engine,
            context,
            user_id=request.user_id,
            topic=concept.slug if concept else None,
            difficulty=difficulty_asked(request.question),
            request_id=request.request_id,
        )
        payload: dict[str, Any] = {
            "exercise": exercise,
            "message": f"Here is a {exercise['difficulty']} exercise on {_title(exercise['topic'])}:"
            f" {exercise['title']}. Ask for a hint whenever you are stuck.",
            "source": exercise["source"],
        }
    else:
        payload = progress_summary(context, assignments.history(request.user_id).passed)
        if narrator is not None:
            payload = narrated(payload, narrator, request.question)
    uow.requests.record_answer(request.request_id, status="done", source=payload["source"], payload=payload)
    uow.publish(
        Topic.LEARNING_RESPONSES,
        TutorResponded(
            user_id=request.user_id, request_id=request.request_id, intent=request.intent, data=payload
        ),
        user_id=request.user_id,
    )
    return True


def _title(slug: str) -> str:
    return next((c.title for c in list_concepts() if c.slug == slug), slug)


def _finished(concept: Concept, passed: frozenset[str]) -> bool:
    exercises = exercises_on(concept.slug)
    return bool(exercises) and all(exercise.slug in passed for exercise in exercises)


def study_next(context: StudentContext, passed: frozenset[str]) -> list[dict[str, str]]:
    """Up to three concepts to study next, each with the reason it was picked.

    First the concepts behind the errors met most this week, then unfinished concepts of the weakest
    topics already started, then the next concepts of the curriculum.
    """
    concepts = {concept.slug: concept for concept in list_concepts()}
    picks: dict[str, str] = {}
    for pattern in context.recent_errors:
        slug = ERROR_CONCEPTS.get(pattern.error_type)
        if slug and slug not in picks:
            times = "once" if pattern.count == 1 else f"{pattern.count} times"
            picks[slug] = f"You met {pattern.error_type} {times} this week."
    weakest = sorted(
        (mastery, topic) for topic, mastery in context.topic_mastery.items() if mastery < STRONG_FROM
    )
    for mastery, topic in weakest:
        unfinished = [c for c in concepts.values() if c.topic == topic and not _finished(c, passed)]
        if unfinished and unfinished[0].slug not in picks:
            picks[unfinished[0].slug] = f"Your mastery in {topic} is {mastery}: this is its next concept."
    for concept in concepts.values():
        if len(picks) >= NEXT_STEPS:
            break
        started = concept.topic in context.topic_mastery
        if concept.slug not in picks and not _finished(concept, passed) and not started:
            picks[concept.slug] = "It comes next in the curriculum."
    return [
        {"concept": concepts[slug].title, "slug": slug, "topic": concepts[slug].topic, "reason": reason}
        for slug, reason in list(picks.items())[:NEXT_STEPS]
    ]


def progress_summary(context: StudentContext, passed: frozenset[str]) -> dict[str, Any]:
    """The student's progress in a few figures and sentences, and what to study next (offline)."""
    mastery = context.mastery or 0
    topics = sorted(context.topic_mastery.items(), key=lambda item: -item[1])
    strengths = [topic for topic, value in topics if value >= STRONG_FROM]
    next_steps = study_next(context, passed)
    passed_count = len(passed & {exercise.slug for exercise in bank()})
    if context.mastery is None and not topics:
        opening = "You are just starting: there is no progress recorded yet."
    else:
        opening = f"Your overall mastery is {mastery} ({level_of(mastery)})."
        if strengths:
            opening += f" You are strong in {', '.join(strengths)}."
    if passed_count:
        opening += f" You have passed {passed_count} of the {len(bank())} practice exercises."
    advice = " ".join(f"Study {step['concept']}: {step['reason']}" for step in next_steps)
    return {
        "summary": f"{opening} {advice}".strip(),
        "mastery": mastery,
        "level": level_of(mastery),
        "topics": [{"topic": topic, "mastery": value, "level": level_of(value)} for topic, value in topics],
        "strengths": strengths,
        "exercises_passed": passed_count,
        "recent_errors": [{"error_type": e.error_type, "count": e.count} for e in context.recent_errors],
        "study_next": next_steps,
        "source": "offline",
    }


def narrated(summary: dict[str, Any], narrator: ProgressNarrator, question: str) -> dict[str, Any]:
    """The summary in the narrator's words when every number it writes is one of the real figures;
    otherwise (or when it cannot write) the offline summary stands."""
    try:
        text = narrator.narrate(summary, question)
    except BudgetSpent as spent:
        return {**summary, "note": str(spent)}
    if text is None or invented_numbers(text, summary, question):
        return summary
    return {**summary, "summary": text, "source": "llm"}
