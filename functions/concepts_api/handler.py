"""POST /concepts/explain: a Python concept explained at the student's level (LLM when configured)."""

from functools import cache
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.identity import identity_from_authorizer
from learnflow.api.openapi import SIGNED_IN, Tag, errors, success
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.api.schemas.concepts import CONCEPT_EXPLANATION_EXAMPLE, ConceptExplanation
from learnflow.dependencies import database, optional_sandbox, sandbox_for, tutor_engine_for
from learnflow.domain import concept_answers
from learnflow.domain.concepts import find_concept, level_for_mastery
from learnflow.domain.concepts.catalog import suggest
from learnflow.domain.errors import NotFoundError
from learnflow.domain.ports import TutorEngine
from learnflow.llm import LlmSettings
from learnflow.llm.budget import spending_for
from learnflow.observability import logger, metrics
from learnflow.settings import DatabaseSettings, SandboxSettings, cached_settings

app = rest_app()


class ConceptsApiSettings(DatabaseSettings, LlmSettings, SandboxSettings):
    pass


settings = cached_settings(ConceptsApiSettings)


class ExplainRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    concept: str = Field(
        min_length=1,
        max_length=200,
        description="A concept's name, slug or alias, or a question naming one",
        examples=["for loops"],
    )
    mastery_level: int | None = Field(
        default=None,
        ge=0,
        le=100,
        strict=True,
        description=(
            "The student's mastery, 0-100, which sets the level: below 40 (or none) beginner, below 75"
            " intermediate, else advanced"
        ),
        examples=[50],
    )


def _caller_id() -> str:
    return identity_from_authorizer(app.current_event.request_context.authorizer.raw_event).user_id


@cache
def engine() -> TutorEngine:
    return tutor_engine_for(settings, settings, lambda: sandbox_for(settings))


@app.post(
    "/api/v1/concepts/explain",
    operation_id="explain_concept",
    summary="Explain a Python concept",
    description=(
        "Any signed-in user asks for a concept of the curriculum, explained at the level their mastery"
        " calls for, with runnable examples and their output. With an LLM configured the explanation is"
        " the LLM's and its examples are run in the sandbox first (503 while the sandbox is down); without"
        " one it comes from the offline curriculum. A concept the curriculum does not have is 404, its"
        " `details` naming the closest concepts (`{concept}` objects). No code in the answer is the"
        " solution of an exercise the caller is working on (given, hinted or submitted in the last"
        " 7 days and not passed): such code is left out and `note` says so. Nothing is stored."
    ),
    tags=[Tag.CONCEPTS],
    responses={
        **success(ConceptExplanation, "The concept explained", example=CONCEPT_EXPLANATION_EXAMPLE),
        **errors(400, 401, 404, 413, 422, 429, 503),
    },
    security=SIGNED_IN,
)
def explain_concept(body: Annotated[ExplainRequest, Body()]) -> dict[str, Any]:
    identity_from_authorizer(app.current_event.request_context.authorizer.raw_event)
    concept = find_concept(body.concept)
    if concept is None:
        suggestions = [{"concept": title} for title in suggest(body.concept)]
        raise NotFoundError(f"No concept called {body.concept!r}.", details=suggestions)
    caller = _caller_id()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        open_exercises = uow.assignments.in_progress(caller)
    with spending_for(caller):
        explained = concept_answers.explain_concept(
            concept,
            level_for_mastery(body.mastery_level),
            body.concept,
            engine(),
            open_exercises=open_exercises,
            sandbox=optional_sandbox(settings, without_it=concept_answers.WITHOUT_SANDBOX),
        )
    return explained.model_dump(mode="json")


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
