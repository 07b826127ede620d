"""Registration and sign-in."""

import uuid

from learnflow.domain.errors import AuthenticationError, InvalidInputError
from learnflow.domain.models import User
from learnflow.domain.ports import UnitOfWork
from learnflow.security.passwords import hash_password, verify_password
from learnflow.security.tokens import Role

MIN_PASSWORD_LENGTH = 10


def check_password_policy(email: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInputError(
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters.",
            details=[{"field": "password", "message": f"at least {MIN_PASSWORD_LENGTH} characters"}],
        )
    if password.strip().lower() == email.strip().lower():
        raise InvalidInputError(
            "The password must not be your email address.",
            details=[{"field": "password", "message": "must differ from the email"}],
        )


def register(uow: UnitOfWork, *, email: str, password: str, display_name: str, role: Role) -> User:
    check_password_policy(email, password)
    user = User(id=str(uuid.uuid4()), email=email.strip(), display_name=display_name.strip(), role=role)
    uow.users.add(user, hash_password(password))
    return user


def authenticate(uow: UnitOfWork, *, email: str, password: str) -> User:
    found = uow.users.credentials_by_email(email.strip())
    user, password_hash = found if found else (None, None)
    if not verify_password(password_hash, password) or user is None:
        raise AuthenticationError("The email or password is wrong.")
    return user
