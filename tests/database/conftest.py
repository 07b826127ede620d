from collections.abc import Iterator

import pytest
from psycopg_pool import ConnectionPool

from learnflow.db.pool import Pool, connection_pool
from learnflow.domain.models import User
from learnflow.repositories.database import Database
from tests.stored_users import stored_user


@pytest.fixture(scope="session")
def pool(database_url: str) -> Pool:
    return connection_pool(database_url, 4)


@pytest.fixture
def db(pool: Pool) -> Database:
    return Database(pool)


@pytest.fixture
def student(db: Database) -> User:
    return stored_user(db)


@pytest.fixture
def clean_outbox(pool: ConnectionPool) -> Iterator[None]:
    with pool.connection() as conn:
        conn.execute("UPDATE event_outbox SET sent_at = now() WHERE sent_at IS NULL")
    yield
