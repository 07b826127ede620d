"""EXPLAIN proves every query on the progress, quiz and notification paths reads through an index.

The plans are taken on generated data (600 students x 200 events, analyzed), with the very
statements the repositories run and real parameters. At this size the planner still reads a
handful of rows (a student's unread notifications) through the index and sorts them, which is
right; what must never appear is a sequential scan of a growing table.
"""

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row

from learnflow.repositories import classes, notifications, progress
from tests.bench.progress_data import generate

pytestmark = pytest.mark.database


PREFIX = f"plans-{uuid.uuid4().hex[:6]}"


@pytest.fixture(scope="module")
def conn(database_url: str) -> Iterator[psycopg.Connection[dict[str, Any]]]:
    with psycopg.connect(database_url, row_factory=dict_row, autocommit=True) as connection:
        generate(connection, prefix=PREFIX, students=600, events_per_student=200)
        # statistics as a server has them once autovacuum has seen the rows, not whenever it happens to
        connection.execute("ANALYZE")
        # tables that are tiny here (a student's open connections) may be scanned whole when that
        # is cheaper, which varies between Postgres versions and statistics; with sequential scans
        # priced out the plan shows whether an index serves each query, on every server alike
        connection.execute("SET enable_seqscan = off")
        yield connection


@pytest.fixture(scope="module")
def sample(conn: psycopg.Connection[dict[str, Any]]) -> dict[str, Any]:
    row = conn.execute(
        "SELECT m.student_id::text AS student, c.teacher_id::text AS teacher, n.id::text AS notification,"
        " n.created_at FROM class_memberships m JOIN classes c ON c.id = m.class_id"
        " JOIN notifications n ON n.user_id = m.student_id JOIN users u ON u.id = m.student_id"
        # one of the generated students, with their 200 events, not one another test left behind
        " WHERE u.email LIKE %s LIMIT 1",
        (f"{PREFIX}-student-%",),
    ).fetchone()
    assert row is not None
    return row


def plan_nodes(
    conn: psycopg.Connection[dict[str, Any]], statement: str, parameters: Any
) -> list[dict[str, Any]]:
    row = conn.execute(f"EXPLAIN (FORMAT JSON) {statement}".encode(), parameters).fetchone()
    assert row is not None
    found: list[dict[str, Any]] = []

    def walk(node: dict[str, Any]) -> None:
        found.append(node)
        for child in node.get("Plans", []):
            walk(child)

    plan = row["QUERY PLAN"]
    walk((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"])
    return found


def assert_reads_through(
    nodes: list[dict[str, Any]],
    index: str,
    *,
    in_index_order: bool = False,
    small_tables: tuple[str, ...] = (),
) -> None:
    described = [(node["Node Type"], node.get("Index Name"), node.get("Relation Name")) for node in nodes]
    assert any(name == index for _, name, _ in described), f"no {index} in " + "; ".join(map(str, described))
    assert not [node for node in described if node[0] == "Seq Scan" and node[2] not in small_tables], (
        described
    )
    if in_index_order:
        assert not [node for node in described if "Sort" in node[0]], described


def test_reading_a_students_figures_uses_the_indexes(
    conn: psycopg.Connection[dict[str, Any]], sample: dict[str, Any]
) -> None:
    student = sample["student"]
    everything = {"user_id": student, "since": date.min}
    in_topic = everything | {"kind": "exercise_submitted", "topic": "functions", "limit": 5}
    any_topic = everything | {"kind": "code_reviewed", "limit": 5}
    figures = [
        "progress_pkey",
        "progress_overall_pkey",
        "daily_activity_pkey",
        "websocket_connections_user_idx",
    ]
    for variant, parameters, indexes in [
        ("none", everything, figures),
        ("topic", in_topic, figures),
        # the reviews of every topic come from one index range; only those rows are then sorted
        ("any", any_topic, figures),
    ]:
        nodes = plan_nodes(conn, progress._LOAD[variant], parameters)
        for index in indexes:
            assert_reads_through(nodes, index)
        if variant != "none":
            # the student's scores come from one of progress_events' indexes on the student: the
            # scores index, or the history index when the statistics price it cheaper (both are a
            # range of this student's rows; which one wins varies with ANALYZE's sample)
            used = {node.get("Index Name") for node in nodes}
            assert used & {"progress_events_scores_idx", "progress_events_history_idx"}, used
    assert_reads_through(plan_nodes(conn, "SELECT id FROM users WHERE id = %s", (student,)), "users_pkey")
    # the newest 10 of 200 events come straight off the index, already in order
    history = plan_nodes(conn, progress._HISTORY, (student, 10))
    assert_reads_through(history, "progress_events_history_idx", in_index_order=True)


def arbiters(nodes: list[dict[str, Any]]) -> list[list[str]]:
    return [node.get("Conflict Arbiter Indexes", []) for node in nodes if node["Node Type"] == "ModifyTable"]


def test_applying_an_event_finds_conflicting_rows_through_the_keys(
    conn: psycopg.Connection[dict[str, Any]], sample: dict[str, Any]
) -> None:
    # a redelivered event, the day's row, the topic's and the student's figures: each found by its key
    student = sample["student"]
    event = {
        "event_id": str(uuid.uuid4()),
        "user_id": student,
        "kind": "activity",
        "topic": "general",
        "score": None,
        "occurred_at": datetime.now(UTC),
    }
    assert sorted(arbiters(plan_nodes(conn, progress._ADD_EVENT, event))) == [
        ["daily_activity_pkey"],
        ["progress_events_pkey"],
    ]
    figures = {
        "user_id": student,
        "code_quality": 50,
        "reviews_counted": 1,
        "mastery": 10,
        "level": "red",
        "topic": "functions",
        "exercises": 50,
        "exercises_counted": 1,
        "quizzes": 0,
        "quizzes_counted": 0,
        "topic_mastery": 20,
        "topic_level": "red",
    }
    assert sorted(arbiters(plan_nodes(conn, progress._SAVE_TOPIC_AND_OVERALL, figures))) == [
        ["progress_overall_pkey"],
        ["progress_pkey"],
    ]


def test_notification_pages_read_in_index_order(
    conn: psycopg.Connection[dict[str, Any]], sample: dict[str, Any]
) -> None:
    student = sample["student"]
    after = {"created_at": sample["created_at"], "id": sample["notification"]}
    for (unread, with_cursor), statement in notifications._PAGE.items():
        parameters = {"user_id": student, "limit": 21} | (after if with_cursor else {})
        index = "notifications_unread_idx" if unread else "notifications_user_idx"
        assert_reads_through(plan_nodes(conn, statement, parameters), index)
    # a page after a cursor starts inside the index: the row comparison is an index condition
    cursor_page = plan_nodes(
        conn, notifications._PAGE[(False, True)], {"user_id": student, "limit": 21} | after
    )
    assert any("ROW(created_at, id) <" in node.get("Index Cond", "") for node in cursor_page)
    assert_reads_through(
        plan_nodes(conn, notifications._BY_ID, (sample["notification"],)), "notifications_pkey"
    )


def test_teacher_checks_use_the_membership_index(
    conn: psycopg.Connection[dict[str, Any]], sample: dict[str, Any]
) -> None:
    # classes is one row per teacher: read whole while it fits a few pages, by its key after that
    teaches = plan_nodes(conn, classes._TEACHES, (sample["teacher"], sample["student"]))
    assert_reads_through(teaches, "class_memberships_student_idx", small_tables=("classes",))
    teachers = plan_nodes(conn, classes._TEACHERS_OF, (sample["student"],))
    assert_reads_through(teachers, "class_memberships_student_idx", small_tables=("classes",))
