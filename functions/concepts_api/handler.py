"""POST /concepts/explain: a Python concept explained at the student's level."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.identity import identity_from_authorizer
from learnflow.api.rest import resolve, rest_app
from learnflow.domain.concepts import ConceptNotFound, explain
from learnflow.domain.errors import NotFoundError
from learnflow.observability import logger

app = rest_app()


class ExplainRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    concept: str = Field(min_length=1, max_length=200)
    mastery_level: int | None = Field(default=None, ge=0, le=100)


@app.post("/api/v1/concepts/explain")
def explain_concept(body: Annotated[ExplainRequest, Body()]) -> dict[str, Any]:
    identity_from_authorizer(app.current_event.request_context.authorizer.raw_event)
    try:
        return explain(body.concept, body.mastery_level).model_dump(mode="json")
    except ConceptNotFound as missing:
        suggestions = [{"concept": title} for title in missing.suggestions]
        raise NotFoundError(f"No concept called {body.concept!r}.", details=suggestions) from None


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
