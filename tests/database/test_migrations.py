import psycopg
import pytest

from learnflow.db.migrations import apply_migrations, available_migrations

pytestmark = pytest.mark.database

TABLES = {
    "users",
    "refresh_tokens",
    "classes",
    "class_memberships",
    "modules",
    "topics",
    "exercises",
    "exercise_hint_reveals",
    "submissions",
    "quizzes",
    "quiz_attempts",
    "progress",
    "daily_activity",
    "error_occurrences",
    "notifications",
    "tutor_requests",
    "tutor_responses",
    "websocket_connections",
    "event_outbox",
    "processed_events",
    "schema_migrations",
    "llm_usage",
}


def test_the_schema_has_every_table_of_the_design(database_url: str) -> None:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    assert {row[0] for row in rows} >= TABLES


def test_migrating_again_applies_nothing_and_records_each_version_once(database_url: str) -> None:
    assert apply_migrations(database_url) == []
    with psycopg.connect(database_url) as conn:
        versions = [row[0] for row in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == [migration.version for migration in available_migrations()]


def test_migration_versions_are_unique_and_ordered() -> None:
    versions = [migration.version for migration in available_migrations()]
    assert versions == sorted(set(versions))
