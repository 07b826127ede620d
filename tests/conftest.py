"""Shared fixtures: real Postgres (embedded, or DATABASE_URL) and a real Kafka-protocol broker."""

import asyncio
import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import conninfo, sql

from learnflow.db.migrations import apply_migrations
from localcloud.embedded import EmbeddedKafka, EmbeddedPostgres

REPO_ROOT = Path(__file__).resolve().parent.parent

# the running local cloud (`cloud`, `api`, `student`), one per session for every folder that uses it
pytest_plugins = ["tests.cloud_fixtures", "tests.tiers"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """DATABASE_URL when set (CI runs the database tests against a second server), else embedded Postgres."""
    external = os.environ.get("DATABASE_URL")
    if external:
        yield external
        return
    server = EmbeddedPostgres(tmp_path_factory.mktemp("embedded-postgres"))
    url = asyncio.run(server.start())
    yield url
    asyncio.run(server.stop())


@pytest.fixture(scope="session")
def database_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh, migrated database of its own for this test session."""
    name = f"learnflow_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres_server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = conninfo.make_conninfo(postgres_server_url, dbname=name)
    apply_migrations(url)
    yield url
    with psycopg.connect(postgres_server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def kafka_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedKafka]:
    broker = EmbeddedKafka(tmp_path_factory.mktemp("kafka"), port=free_port())
    asyncio.run(broker.start())
    yield broker
    asyncio.run(broker.stop())
