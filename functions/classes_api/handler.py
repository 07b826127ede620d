"""Classes: POST /classes (a teacher opens one), POST /classes/join (a student joins), GET /classes/{id}."""

from datetime import UTC, datetime
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from learnflow.api.identity import Identity, identity_from_authorizer
from learnflow.api.live_notifications import pushed
from learnflow.api.openapi import SIGNED_IN, Tag, errors, link, success
from learnflow.api.rest import correlation_id_of, resolve, rest_app
from learnflow.api.schemas.classes import CLASS_ID_EXAMPLE, ClassRoster, JoinedClass, OpenedClass
from learnflow.dependencies import database, pusher
from learnflow.domain import classes, notifications
from learnflow.observability import count, logger
from learnflow.settings import DatabaseSettings, WebSocketSettings, cached_settings


class ClassesApiSettings(DatabaseSettings, WebSocketSettings):
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


#: ids are UUIDs; the document says so, and any other text reads as a missing class (404, not 422)
UUID = {"format": "uuid"}
OPENED_EXAMPLE = {"id": CLASS_ID_EXAMPLE, "name": "Python 1, spring term", "join_code": "K7QM2XPR"}


@app.post(
    "/api/v1/classes",
    operation_id="open_class",
    summary="Open a class",
    description=(
        "A teacher opens a class and gets its join code to share with students; other roles are 403."
        " The name's spaces are collapsed; a blank name is 422."
    ),
    tags=[Tag.CLASSES],
    responses={
        **success(
            OpenedClass,
            "The new class with its join code",
            status=201,
            example=OPENED_EXAMPLE,
            links={
                "GetClass": link("get_class", "The class's roster", class_id="$response.body#/id"),
                "JoinClass": link(
                    "join_class",
                    "Join with the class's code (students only)",
                    request_body={"join_code": "$response.body#/join_code"},
                ),
            },
        ),
        **errors(400, 401, 403, 413, 422, 429, 503),
    },
    security=SIGNED_IN,
)
def open_class(body: Annotated[NewClass, Body()]) -> Response[dict[str, Any]]:
    caller = _caller()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        school_class = classes.open_class(uow.classes, caller, body.name)
    logger.info("class opened", extra={"class_id": school_class.id, "teacher_id": caller.user_id})
    return Response(HTTPStatus.CREATED.value, content_types.APPLICATION_JSON, school_class.public())


@app.post(
    "/api/v1/classes/join",
    operation_id="join_class",
    summary="Join a class with its code",
    description=(
        "A student joins the class whose join code they were given; other roles are 403. The code is"
        " read without spaces, dashes or case ('k7qm 2xpr' is K7QM2XPR). Joining twice changes nothing;"
        " an unknown code is 404."
    ),
    tags=[Tag.CLASSES],
    responses={
        **success(JoinedClass, "The class the student is in", example={"class_id": CLASS_ID_EXAMPLE}),
        **errors(400, 401, 403, 404, 413, 422, 429, 503),
    },
    security=SIGNED_IN,
)
def join(body: Annotated[JoinRequest, Body()]) -> dict[str, Any]:
    caller, correlation_id = _caller(), correlation_id_of(app)
    with database(settings).transaction(correlation_id) as uow:
        joined = classes.join(uow.classes, caller, body.join_code)
        school_class = joined.school_class
        announced = (
            notifications.student_joined(
                uow.notifications,
                uow.users,
                teacher_id=school_class.teacher_id,
                class_id=school_class.id,
                class_name=school_class.name,
                student_id=caller.user_id,
                now=datetime.now(UTC),
            )
            if joined.new_member
            else None
        )
    # the teacher's class page updates on it, without a reload
    if announced is not None:
        pushed(database(settings), pusher(settings), [announced], correlation_id)
        count("NotificationsSent", kind=announced.kind)
    logger.info("joined a class", extra={"class_id": school_class.id, "new_member": joined.new_member})
    return {"class_id": school_class.id}


@app.get(
    "/api/v1/classes/<class_id>",
    operation_id="get_class",
    summary="Get a class and its students",
    description=(
        "The class's teacher, or an admin, reads the class with its join code and every student who"
        " joined. Students are 403; another teacher's class, or an id that names no class, is 404."
    ),
    tags=[Tag.CLASSES],
    responses={
        **success(
            ClassRoster,
            "The class and its students",
            example=OPENED_EXAMPLE
            | {"students": [{"id": "6a1f3c2e-9b4d-4e8a-a7c5-2d3f4b5a6c7d", "display_name": "Ada"}]},
        ),
        **errors(401, 403, 404, 429, 503),
    },
    security=SIGNED_IN,
)
def roster(
    class_id: Annotated[
        str, Path(description="The class's id (a UUID; any other text is 404)", json_schema_extra=UUID)
    ],
) -> dict[str, Any]:
    caller = _caller()
    with database(settings).transaction(correlation_id_of(app)) as uow:
        school_class, members = classes.roster(uow.classes, caller, class_id)
    return school_class.public() | {"students": [member.public() for member in members]}


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
