"""The guessing throttle's sliding window against real Postgres, with the clock given explicitly."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from learnflow.db.pool import Pool, connection_pool
from learnflow.domain import accounts
from learnflow.domain.errors import AuthenticationError
from learnflow.domain.login_throttle import LoginThrottledError, ThrottlePolicy
from learnflow.domain.models import User
from learnflow.repositories.database import Database
from learnflow.security.passwords import password_hasher

pytestmark = pytest.mark.database

POLICY = ThrottlePolicy(window=timedelta(minutes=15), failures_per_account=3, failures_per_source=5)
T0 = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
PASSWORD = "the right passphrase"


@pytest.fixture(scope="module")
def db(database_url: str) -> Database:
    pool: Pool = connection_pool(database_url, 4)
    return Database(pool)


@pytest.fixture
def user(db: Database) -> User:
    with db.transaction("test") as uow:
        return accounts.register(
            uow,
            password_hasher,
            email=f"{uuid.uuid4().hex[:8]}@example.com",
            password=PASSWORD,
            display_name="Ada",
            role="student",
        )


def attempt(
    db: Database, email: str, password: str, *, at: datetime, source: str = "10.0.0.1"
) -> User | AuthenticationError | LoginThrottledError:
    with db.transaction("test") as uow:
        return accounts.sign_in(
            uow.users,
            uow.login_attempts,
            POLICY,
            password_hasher,
            email=email,
            password=password,
            source_ip=source,
            now=at,
        )


@pytest.fixture
def source() -> str:
    """An address of this test's own: failures of other tests never count against it."""
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def test_the_wait_ends_when_the_oldest_counted_failure_leaves_the_window(
    db: Database, user: User, source: str
) -> None:
    for minute in range(3):
        assert isinstance(
            attempt(db, user.email, "wrong", at=T0 + timedelta(minutes=minute), source=source),
            AuthenticationError,
        )
    throttled = attempt(db, user.email, PASSWORD, at=T0 + timedelta(minutes=5), source=source)
    assert isinstance(throttled, LoginThrottledError)
    assert throttled.retry_after_seconds == 10 * 60  # the first failure (09:00) leaves the window at 09:15
    # refused attempts do not count: hammering does not extend the wait
    for second in range(20):
        attempt(db, user.email, "wrong", at=T0 + timedelta(minutes=6, seconds=second), source=source)
    assert isinstance(
        attempt(db, user.email, PASSWORD, at=T0 + timedelta(minutes=15, seconds=1), source=source), User
    )


def test_a_known_source_is_exempt_from_the_account_limit_but_not_the_source_limit(
    db: Database, user: User, source: str
) -> None:
    home = source
    assert isinstance(attempt(db, user.email, PASSWORD, at=T0, source=home), User)
    for second in range(3):
        attempt(db, user.email, "wrong", at=T0 + timedelta(seconds=second), source="192.0.2.66")
    assert isinstance(
        attempt(db, user.email, PASSWORD, at=T0 + timedelta(minutes=1), source="192.0.2.67"),
        LoginThrottledError,
    )
    assert isinstance(attempt(db, user.email, PASSWORD, at=T0 + timedelta(minutes=1), source=home), User)

    for second in range(5):
        attempt(
            db,
            f"{uuid.uuid4().hex}@example.com",
            "wrong",
            at=T0 + timedelta(minutes=2, seconds=second),
            source=home,
        )
    assert isinstance(
        attempt(db, user.email, PASSWORD, at=T0 + timedelta(minutes=3), source=home), LoginThrottledError
    )
    # a source is known for a while only
    later = T0 + POLICY.known_source_for + timedelta(days=1)
    for second in range(3):
        attempt(db, user.email, "wrong", at=later + timedelta(seconds=second), source="192.0.2.68")
    assert isinstance(
        attempt(db, user.email, PASSWORD, at=later + timedelta(minutes=1), source=home), LoginThrottledError
    )


def test_old_failures_are_pruned(db: Database, database_url: str, source: str) -> None:
    email = f"{uuid.uuid4().hex}@example.com"
    attempt(db, email, "wrong", at=T0 - timedelta(days=3), source=source)
    attempt(db, email, "wrong", at=T0, source=source)
    with db.pool.connection() as conn:
        rows = conn.execute(
            "SELECT failed_at FROM login_failures WHERE account = %s ORDER BY failed_at", (email,)
        ).fetchall()
    assert [row["failed_at"] for row in rows] == [T0]
