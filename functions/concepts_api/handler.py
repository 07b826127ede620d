"""POST /concepts/explain: a Python concept explained at the student's level (LLM when configured)."""

from functools import cache
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.identity import identity_from_authorizer
from learnflow.api.rest import resolve, rest_app
from learnflow.dependencies import sandbox_for
from learnflow.domain.concepts import find_concept, level_for_mastery
from learnflow.domain.concepts.catalog import suggest
from learnflow.domain.errors import NotFoundError
from learnflow.domain.ports import TutorEngine
from learnflow.llm import LlmSettings, engine_with_sandbox
from learnflow.observability import logger, metrics
from learnflow.settings import SandboxSettings, cached_settings

app = rest_app()


class ConceptsApiSettings(LlmSettings, SandboxSettings):
    pass


settings = cached_settings(ConceptsApiSettings)


class ExplainRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    concept: str = Field(min_length=1, max_length=200)
    mastery_level: int | None = Field(default=None, ge=0, le=100)


@cache
def engine() -> TutorEngine:
    return engine_with_sandbox(settings, lambda: sandbox_for(settings))


@app.post("/api/v1/concepts/explain")
def explain_concept(body: Annotated[ExplainRequest, Body()]) -> dict[str, Any]:
    identity_from_authorizer(app.current_event.request_context.authorizer.raw_event)
    concept = find_concept(body.concept)
    if concept is None:
        suggestions = [{"concept": title} for title in suggest(body.concept)]
        raise NotFoundError(f"No concept called {body.concept!r}.", details=suggestions)
    explained = engine().explain(concept, level_for_mastery(body.mastery_level), body.concept)
    return explained.model_dump(mode="json")


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
