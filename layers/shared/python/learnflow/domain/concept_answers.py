"""The concepts agent: answers a triaged question with an explanation at the student's level."""

from collections.abc import Sequence
from typing import Any

from learnflow.domain.concepts import (
    LEVELS,
    Concept,
    Explanation,
    Level,
    explanation_of,
    find_concept,
    level_for_mastery,
)
from learnflow.domain.concepts.catalog import list_concepts, suggest
from learnflow.domain.concepts.question_fit import nearest_topics
from learnflow.domain.guardrails.withheld_solutions import without_solutions
from learnflow.domain.models import ExerciseInProgress
from learnflow.domain.offline_tutor import OfflineEngine
from learnflow.domain.ports import (
    DeltaSink,
    QuestionAnswerer,
    Sandbox,
    StreamingExplainer,
    TutorEngine,
    UnitOfWork,
)
from learnflow.events.schemas import TutorRequested, TutorResponded
from learnflow.events.topics import Topic

CONSUMER = "concepts_agent"
#: topics offered to a question the curriculum has nothing near
STARTING_TOPICS = 3
#: what explanations lose while the sandbox is down (the solution check cannot run the exercises' tests)
WITHOUT_SANDBOX = "examples that define what an open exercise asks for are left out of explanations"


def explanation_for(
    question: str,
    mastery_level: int | None,
    engine: TutorEngine | None = None,
    sink: DeltaSink | None = None,
    open_exercises: Sequence[ExerciseInProgress] = (),
    sandbox: Sandbox | None = None,
) -> dict[str, Any]:
    """The explanation of the concept the question names (by the LLM when configured, else offline),
    or what the curriculum has closest to it when no page is about it."""
    concept, level = find_concept(question), level_for_mastery(mastery_level)
    if concept is None:
        return open_question(question, level, engine, sink=sink, open_exercises=open_exercises)
    explained = explain_concept(
        concept, level, question, engine, sink=sink, open_exercises=open_exercises, sandbox=sandbox
    )
    return explained.model_dump(mode="json")


def explain_concept(
    concept: Concept,
    level: Level,
    question: str,
    engine: TutorEngine | None = None,
    *,
    sink: DeltaSink | None = None,
    open_exercises: Sequence[ExerciseInProgress] = (),
    sandbox: Sandbox | None = None,
) -> Explanation:
    """`concept` explained for the question, holding no code that solves one of `open_exercises`
    (checked against their tests in `sandbox`; without one, code that defines what an exercise asks
    for is left out).

    With a `sink`, an engine that can stream shows the explanation there while it writes it."""
    chosen = engine or OfflineEngine()
    if sink is not None and isinstance(chosen, StreamingExplainer):
        explained = chosen.explain_streaming(concept, level, question, sink, open_exercises)
    else:
        explained = chosen.explain(concept, level, question, open_exercises)
    if not open_exercises:
        return explained
    other_levels = (explanation_of(concept, other) for other in LEVELS if other != level)
    spares = [spare for page in other_levels for spare in page.examples]
    return without_solutions(explained, open_exercises, sandbox, spares)


def open_question(
    question: str,
    level: Level,
    engine: TutorEngine | None,
    *,
    sink: DeltaSink | None = None,
    open_exercises: Sequence[ExerciseInProgress] = (),
) -> dict[str, Any]:
    """A question no curriculum page is about: the LLM answers it when one is configured (its answer
    passed the guard, solutions of open exercises included); otherwise, or when it cannot, the
    offline tutor says so and names the closest topics."""
    if isinstance(engine, QuestionAnswerer):
        nearest = [topic.title for topic in nearest_topics(question)[0]]
        answered = engine.answer_question(question, level, nearest or suggest(question), sink, open_exercises)
        if answered is not None:
            return answered.model_dump(mode="json")
    return no_page_for(question)


def no_page_for(question: str) -> dict[str, Any]:
    """A question no curriculum page is about: said plainly, with the topics closest to its words (or,
    when none is close, where the curriculum starts)."""
    nearest, words = nearest_topics(question)
    suggestions = list(dict.fromkeys([*(topic.title for topic in nearest), *suggest(question)]))
    quoted = ", ".join(f"“{word}”" for word in words)
    if nearest:
        explanation = (
            f"The offline tutor has no page that answers this: none of its concepts is about {quoted}."
            f" The closest topics it has: {', '.join(topic.title for topic in nearest)}. Ask about one of"
            " them, or name the Python feature you mean."
        )
        return _no_page(explanation, suggestions)
    topics = list_concepts()
    suggestions = suggestions or [topic.title for topic in topics[:STARTING_TOPICS]]
    about = f" about {quoted}" if words else ""
    explanation = (
        f"The offline tutor has no page{about}: it teaches Python in {len(topics)} topics, from"
        f" {topics[0].title} to {topics[-1].title}. Name the Python feature you mean, or start with one"
        f" of these: {', '.join(suggestions)}."
    )
    return _no_page(explanation, suggestions)


def _no_page(explanation: str, suggestions: list[str]) -> dict[str, Any]:
    return {"concept": None, "explanation": explanation, "suggestions": suggestions, "source": "offline"}


def answer(
    uow: UnitOfWork,
    event_id: str,
    request: TutorRequested,
    engine: TutorEngine | None = None,
    sink: DeltaSink | None = None,
    sandbox: Sandbox | None = None,
) -> bool:
    """Answers once per event: False when this event was already handled (a redelivery)."""
    if not uow.claim_event(CONSUMER, event_id):
        return False
    open_exercises = uow.assignments.in_progress(request.user_id)
    payload = explanation_for(request.question, request.mastery_level, engine, sink, open_exercises, sandbox)
    uow.requests.record_answer(request.request_id, status="done", source=payload["source"], payload=payload)
    uow.publish(
        Topic.LEARNING_RESPONSES,
        TutorResponded(
            user_id=request.user_id, request_id=request.request_id, intent="concepts", data=payload
        ),
        user_id=request.user_id,
    )
    return True
