"""The deploy hooks' handlers against a real Postgres and a real Kafka-protocol broker."""

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from aiokafka.abc import AbstractTokenProvider
from psycopg import conninfo, sql

from infra.deploy_hooks import kafka_topics, migrations
from learnflow.db.migrations import available_migrations
from learnflow.events.topics import ALL_TOPICS
from localcloud.embedded import EmbeddedKafka


@pytest.fixture
def empty_database(postgres_server_url: str) -> Iterator[str]:
    name = f"learnflow_hook_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres_server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield conninfo.make_conninfo(postgres_server_url, dbname=name)
    with psycopg.connect(postgres_server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.mark.database
def test_the_migrations_hook_brings_a_new_database_to_the_latest_schema_once(
    empty_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_database)
    latest = available_migrations()[-1].version

    created = migrations.on_event({"RequestType": "Create", "ResourceProperties": {}}, None)
    updated = migrations.on_event(
        {
            "RequestType": "Update",
            "PhysicalResourceId": created["PhysicalResourceId"],
            "ResourceProperties": {},
        },
        None,
    )

    assert created["Data"]["SchemaVersion"] == updated["Data"]["SchemaVersion"] == str(latest)
    assert created["Data"]["AppliedNow"].split(",") == [str(m.version) for m in available_migrations()]
    assert updated["Data"]["AppliedNow"] == ""
    with psycopg.connect(empty_database) as conn:
        row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        assert row is not None and row[0] == latest
        assert conn.execute("SELECT to_regclass('users')").fetchone() == ("users",)


def test_deleting_the_migrations_resource_leaves_the_database_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/nothing")
    answer = migrations.on_event({"RequestType": "Delete", "PhysicalResourceId": "learnflow-schema"}, None)
    assert answer == {"PhysicalResourceId": "learnflow-schema"}


async def test_the_topics_hook_creates_the_missing_contract_topics_once(kafka_broker: EmbeddedKafka) -> None:
    options = {"bootstrap_servers": kafka_broker.bootstrap_servers}
    prefix = f"hook-{uuid.uuid4().hex[:6]}-"
    topics = [f"{prefix}{topic}" for topic in ALL_TOPICS]

    created = await kafka_topics.ensure_topics(options, topics=topics, partitions=3, replication_factor=1)
    again = await kafka_topics.ensure_topics(options, topics=topics, partitions=3, replication_factor=1)

    assert created == topics
    assert again == []


def test_the_topics_hook_talks_to_msk_over_tls_with_iam_tokens() -> None:
    options = kafka_topics.iam_admin_options("b-1.example:9098,b-2.example:9098", region="eu-west-1")
    assert options["bootstrap_servers"] == "b-1.example:9098,b-2.example:9098"
    assert options["security_protocol"] == "SASL_SSL"
    assert options["ssl_context"] is not None
    assert options["sasl_mechanism"] == "OAUTHBEARER"
    assert isinstance(options["sasl_oauth_token_provider"], AbstractTokenProvider)


def test_deleting_the_topics_resource_deletes_no_topic() -> None:
    arn = "arn:aws:kafka:eu-west-1:123456789012:cluster/learnflow-dev-kafka/abcd-1234-5"
    event = {
        "RequestType": "Delete",
        "PhysicalResourceId": f"{arn}/topics",
        "ResourceProperties": {"ClusterArn": arn},
    }
    assert kafka_topics.on_event(event, None) == {"PhysicalResourceId": f"{arn}/topics"}
