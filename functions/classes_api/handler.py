"""Classes: POST /classes (a teacher opens one), POST /classes/join (a student joins), GET /classes/{id}."""

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.identity import Identity, identity_from_authorizer
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.dependencies import database
from learnflow.domain import classes
from learnflow.observability import logger
from learnflow.settings import DatabaseSettings, cached_settings


class ClassesApiSettings(DatabaseSettings):
    pass


settings = cached_settings(ClassesApiSettings)
app = rest_app()


class NewClass(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)


class JoinRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    join_code: str = Field(min_length=1, max_length=32)


def _caller() -> Identity:
    return identity_from_authorizer(app.current_event.request_context.authorizer.raw_event)


@app.post("/api/v1/classes")
def open_class(body: Annotated[NewClass, Body()]) -> Response[dict[str, Any]]:
    caller = _caller()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        school_class = classes.open_class(uow.classes, caller, body.name)
    logger.info("class opened", extra={"class_id": school_class.id, "teacher_id": caller.user_id})
    return Response(HTTPStatus.CREATED.value, content_types.APPLICATION_JSON, school_class.public())


@app.post("/api/v1/classes/join")
def join(body: Annotated[JoinRequest, Body()]) -> dict[str, Any]:
    caller = _caller()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        school_class = classes.join(uow.classes, caller, body.join_code)
    logger.info("joined a class", extra={"class_id": school_class.id, "student_id": caller.user_id})
    return {"class_id": school_class.id}


@app.get("/api/v1/classes/<class_id>")
def roster(class_id: str) -> dict[str, Any]:
    caller = _caller()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        school_class, members = classes.roster(uow.classes, caller, class_id)
    return school_class.public() | {"students": [member.public() for member in members]}


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
