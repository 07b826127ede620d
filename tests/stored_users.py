"""Users stored straight in the database, for tests that need one without the API."""

import uuid

from learnflow.domain.models import Role, User
from learnflow.repositories.database import Database


def stored_user(db: Database, role: Role = "student") -> User:
    user = User(
        id=str(uuid.uuid4()), email=f"{uuid.uuid4().hex[:8]}@example.com", display_name="Ada", role=role
    )
    with db.transaction("test") as uow:
        uow.users.add(user, "not-a-real-hash")
    return user
