"""Classes: the bodies of POST /classes, POST /classes/join and GET /classes/{class_id}."""

from pydantic import BaseModel, Field

CLASS_ID_EXAMPLE = "0b8e4d2a-5c6f-4a1b-9e3d-7f2c1a0b9d8e"


class OpenedClass(BaseModel):
    id: str = Field(description="The class's id (a UUID)", examples=[CLASS_ID_EXAMPLE])
    name: str = Field(examples=["Python 1, spring term"])
    join_code: str = Field(
        description="Eight characters students type to join (no 0, O, 1, I or L)", examples=["K7QM2XPR"]
    )


class JoinedClass(BaseModel):
    class_id: str = Field(
        description="The id of the class the student is now in", examples=[CLASS_ID_EXAMPLE]
    )


class ClassStudent(BaseModel):
    id: str = Field(description="The student's user id", examples=["6a1f3c2e-9b4d-4e8a-a7c5-2d3f4b5a6c7d"])
    display_name: str = Field(examples=["Ada"])


class ClassRoster(OpenedClass):
    students: list[ClassStudent] = Field(description="Every student who joined the class")
