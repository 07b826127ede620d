"""Registration and sign-in."""

import uuid
from datetime import UTC, datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from learnflow.domain import login_throttle
from learnflow.domain.errors import AuthenticationError, InvalidInputError, NotFoundError
from learnflow.domain.login_throttle import LoginAttemptStore, LoginThrottledError, ThrottlePolicy
from learnflow.domain.models import Role, User
from learnflow.domain.ports import PasswordHasher, UnitOfWork, UserStore

MIN_PASSWORD_LENGTH = 10
#: what anyone may choose when signing up; admins are created with `learnflow admin create` only
SelfServiceRole = Literal["student", "teacher"]
WRONG_CREDENTIALS = "The email or password is wrong."


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


def _create(
    uow: UnitOfWork, hasher: PasswordHasher, *, email: str, password: str, display_name: str, role: Role
) -> User:
    check_password_policy(email, password)
    user = User(id=str(uuid.uuid4()), email=email.strip(), display_name=display_name.strip(), role=role)
    uow.users.add(user, hasher.hash(password))
    return user


def register(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    *,
    email: str,
    password: str,
    display_name: str,
    role: SelfServiceRole,
) -> User:
    if role not in ("student", "teacher"):  # the type says so; this holds whatever a caller passes
        raise InvalidInputError(
            "Choose the role student or teacher.",
            details=[{"field": "role", "message": "must be 'student' or 'teacher'"}],
        )
    return _create(uow, hasher, email=email, password=password, display_name=display_name, role=role)


def create_admin(
    uow: UnitOfWork, hasher: PasswordHasher, *, email: str, password: str, display_name: str
) -> User:
    """For the operators' CLI only: no API route can create an admin."""
    return _create(uow, hasher, email=email, password=password, display_name=display_name, role="admin")


def authenticate(users: UserStore, hasher: PasswordHasher, *, email: str, password: str) -> User | None:
    """The user whose credentials these are; an unknown email costs as much time as a wrong password."""
    found = users.credentials_by_email(email.strip())
    user, password_hash = found if found else (None, None)
    return user if hasher.verify(password_hash, password) and user is not None else None


def sign_in(
    users: UserStore,
    attempts: LoginAttemptStore,
    policy: ThrottlePolicy,
    hasher: PasswordHasher,
    *,
    email: str,
    password: str,
    source_ip: str,
    now: datetime | None = None,
) -> User | AuthenticationError | LoginThrottledError:
    """Checks credentials under the guessing throttle.

    Refusals are returned, not raised, so the caller commits the failure it records before answering.
    """
    now = now or datetime.now(UTC)
    account = login_throttle.account_key(email)
    attempts.serialize(account)
    try:
        login_throttle.check(attempts, policy, account=account, source_ip=source_ip, now=now)
    except LoginThrottledError as throttled:
        return throttled
    user = authenticate(users, hasher, email=email, password=password)
    if user is None:
        attempts.record_failure(account, source_ip, at=now, forget_before=now - policy.window)
        return AuthenticationError(WRONG_CREDENTIALS)
    attempts.record_success(user.id, source_ip, at=now, forget_before=now - policy.known_source_for)
    return user


def update_profile(
    uow: UnitOfWork, *, user_id: str, display_name: str | None = None, timezone: str | None = None
) -> User:
    """Changes what a user may change about themselves: the name shown and the time zone their
    streaks and active days are counted in (an IANA name such as Europe/Berlin)."""
    user = uow.users.by_id(user_id)
    if user is None:
        raise NotFoundError("No such user.")
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInputError(
                f"{timezone!r} is not a time zone; use a name such as Europe/Berlin or America/New_York.",
                details=[{"field": "timezone", "message": "an IANA time zone name"}],
            ) from None
    changed = user.model_copy(
        update={
            "display_name": (display_name or user.display_name).strip(),
            "timezone": timezone or user.timezone,
        }
    )
    uow.users.update_profile(user_id, display_name=changed.display_name, timezone=changed.timezone)
    return changed
