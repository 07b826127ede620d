"""`make bench-db`: progress and notifications at scale, measured at the database.

1. Generates 10,000 students x 200 progress events each (plus their daily activity, figures,
   30 notifications each and classes) into a dedicated database, `learnflow_bench_db`, on the
   embedded Postgres (or on DATABASE_URL's server), with generate_series on the server.
2. p50/p95 of what GET /progress/{user_id} and GET /notifications/{user_id} run at the database,
   through the same domain and repository code as the functions (a teacher reading a student's
   progress, so the class check is included), beside a `SELECT 1` round trip as the same-run
   baseline.
3. Progress events per second through the consumer's domain code (`progress.consume`: claim,
   apply, recompute, notify; one transaction each), with 1, 3 and 6 concurrent consumers, each a
   process of its own with its own connection (one per partition of the topic, as Lambda polls
   MSK), beside transactions that only claim the event (the floor any exactly-once consumer pays)
   as the baseline.

Environment: LEARNFLOW_BENCH_STUDENTS (10000), LEARNFLOW_BENCH_EVENTS (200 per student),
LEARNFLOW_BENCH_SAMPLES (1000 reads per measurement), LEARNFLOW_BENCH_CONSUMED (2000 events a
round; each throughput is the median of 3 rounds).
"""

import asyncio
import multiprocessing
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import psycopg
from psycopg import conninfo, sql
from psycopg.rows import dict_row
from rich.console import Console
from rich.table import Table

from learnflow.api.identity import Identity
from learnflow.db.migrations import apply_migrations
from learnflow.db.pool import connection_pool
from learnflow.domain import notifications, progress
from learnflow.events.schemas import ProgressRecorded
from learnflow.repositories.database import Database
from localcloud.embedded import EmbeddedPostgres
from tests.bench.progress_data import generate

STUDENTS = int(os.environ.get("LEARNFLOW_BENCH_STUDENTS", "10000"))
EVENTS = int(os.environ.get("LEARNFLOW_BENCH_EVENTS", "200"))
SAMPLES = int(os.environ.get("LEARNFLOW_BENCH_SAMPLES", "1000"))
CONSUMED = int(os.environ.get("LEARNFLOW_BENCH_CONSUMED", "2000"))
ROUNDS = 3
DATABASE = "learnflow_bench_db"
console = Console()


class NoSocketsOpen:
    """The benchmark's students have no WebSocket open: pushes are the @connections hop, not measured here."""

    def push(self, connection_id: str, message: dict[str, Any]) -> bool:
        raise AssertionError("no pushes expected")


@contextmanager
def server_url() -> Iterator[str]:
    external = os.environ.get("DATABASE_URL")
    if external:
        yield external
        return
    with tempfile.TemporaryDirectory(prefix="learnflow-bench-db-") as folder:
        server = EmbeddedPostgres(Path(folder))
        url = asyncio.run(server.start())
        try:
            yield url
        finally:
            asyncio.run(server.stop())


def fresh_database(url: str) -> str:
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
    bench_url = conninfo.make_conninfo(url, dbname=DATABASE)
    apply_migrations(bench_url)
    return bench_url


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94]


def timed(samples: int, once: Callable[[int], object]) -> list[float]:
    for index in range(min(50, samples)):  # warm-up
        once(index)
    elapsed = []
    for index in range(samples):
        started = time.perf_counter()
        once(index)
        elapsed.append((time.perf_counter() - started) * 1000)
    return elapsed


def pairs(bench_url: str) -> list[dict[str, Any]]:
    with psycopg.connect(bench_url, row_factory=dict_row) as conn:
        return conn.execute(
            "SELECT m.student_id::text AS student, c.teacher_id::text AS teacher"
            " FROM class_memberships m JOIN classes c ON c.id = m.class_id"
        ).fetchall()


def read_latencies(db: Database, students: list[dict[str, Any]]) -> dict[str, list[float]]:
    chooser = random.Random(3)
    picks = [chooser.choice(students) for _ in range(SAMPLES + 50)]
    now = datetime.now(UTC)

    def baseline(index: int) -> None:
        with db.pool.connection() as conn, conn.transaction():
            conn.execute("SELECT 1").fetchone()

    def progress_read(index: int) -> None:
        pick = picks[index]
        with db.transaction("bench") as uow:
            progress.progress_of(
                uow.users,
                uow.progress,
                uow.classes,
                Identity(pick["teacher"], "teacher"),
                pick["student"],
                now,
            )

    def notifications_read(unread: bool) -> Callable[[int], None]:
        def read(index: int) -> None:
            pick = picks[index]
            with db.transaction("bench") as uow:
                store = uow.notifications
                first = notifications.page_of(
                    store, Identity(pick["student"], "student"), pick["student"], unread_only=unread
                )
                if first.next_cursor and not unread:
                    notifications.page_of(
                        store, Identity(pick["student"], "student"), pick["student"], cursor=first.next_cursor
                    )

        return read

    return {
        "SELECT 1 in a transaction (baseline)": timed(SAMPLES, baseline),
        "GET /progress (teacher viewing a student)": timed(SAMPLES, progress_read),
        "GET /notifications (first and second page)": timed(SAMPLES, notifications_read(False)),
        "GET /notifications?unread=true": timed(SAMPLES, notifications_read(True)),
    }


def new_events(
    students: list[dict[str, Any]], count: int, seed: int = 0
) -> list[tuple[str, ProgressRecorded]]:
    chooser = random.Random(seed)
    kinds = ("exercise_submitted", "quiz_attempted", "code_reviewed", "activity")
    topics = ("for-loops", "lists", "functions", "classes", "generators", None)
    now = datetime.now(UTC)
    events = []
    for _ in range(count):
        kind = chooser.choice(kinds)
        recorded = ProgressRecorded.model_validate(
            {
                "user_id": chooser.choice(students)["student"],
                "kind": kind,
                "topic": chooser.choice(topics),
                "score": None if kind == "activity" else chooser.randrange(101),
                "occurred_at": now - timedelta(minutes=chooser.randrange(60 * 24 * 3)),
            }
        )
        events.append((str(uuid.uuid4()), recorded))
    return events


Share = list[tuple[str, ProgressRecorded]]


def apply_share(db: Database, share: Share, *, claim_only: bool) -> None:
    """One consumer's events, one transaction each, as the progress_consumer handler runs them."""
    now = datetime.now(UTC)
    for event_id, recorded in share:
        with db.transaction("bench") as uow:
            if claim_only:
                uow.claim_event("bench_baseline", event_id)
                continue
            progress.consume(
                uow,
                uow.progress,
                uow.notifications,
                NoSocketsOpen(),
                event_id,
                recorded,
                now,
            )


def consumer_process(
    bench_url: str, share: Share, claim_only: bool, start: Barrier, finished: Queue[float]
) -> None:
    """A consumer in its own process with its own connection, like a Lambda execution environment."""
    db = Database(connection_pool(bench_url, 1))
    apply_share(db, share[:1], claim_only=claim_only)  # connected and warm before the clock starts
    start.wait()
    apply_share(db, share[1:], claim_only=claim_only)
    finished.put(time.perf_counter())
    db.pool.close()


def throughput(bench_url: str, events: Share, workers: int, *, claim_only: bool) -> float:
    """Events per second with `workers` consumers, each taking every workers-th event (a partition)."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(workers + 1)
    finished: Queue[float] = context.Queue()
    shares = [events[index::workers] for index in range(workers)]
    processes = [
        context.Process(target=consumer_process, args=(bench_url, share, claim_only, start, finished))
        for share in shares
    ]
    for process in processes:
        process.start()
    start.wait()
    started = time.perf_counter()
    ended = max(finished.get(timeout=600) for _ in processes)
    for process in processes:
        process.join()
    return sum(len(share) - 1 for share in shares) / (ended - started)


def main() -> None:
    with server_url() as url:
        bench_url = fresh_database(url)
        console.print(f"Generating {STUDENTS:,} students x {EVENTS} events into {DATABASE}...")
        started = time.perf_counter()
        with psycopg.connect(bench_url) as conn:
            generate(conn, prefix="bench", students=STUDENTS, events_per_student=EVENTS, report=True)
        console.print(f"  generated in {time.perf_counter() - started:.1f} s")

        students = pairs(bench_url)
        db = Database(connection_pool(bench_url, 8))
        reads = read_latencies(db, students)
        table = Table(title=f"Reads at the database ({SAMPLES} samples each, {STUDENTS:,} students)")
        for column in ("what", "p50 ms", "p95 ms", "target p95"):
            table.add_column(column, justify="left" if column == "what" else "right")
        for name, samples in reads.items():
            p50, p95 = percentiles(samples)
            table.add_row(name, f"{p50:.2f}", f"{p95:.2f}", "" if "baseline" in name else "< 50")
        console.print(table)

        rates = Table(
            title=f"progress.events through the consumer (median of {ROUNDS} rounds of {CONSUMED:,})"
        )
        for column in ("what", "consumers", "events/s", "target"):
            rates.add_column(column, justify="left" if column == "what" else "right")
        for workers in (1, 3, 6):
            # the median of ROUNDS rounds, baseline and consumer taking turns, against the machine's noise
            claimed, applied = [], []
            for seed in range(ROUNDS):
                claimed.append(
                    throughput(bench_url, new_events(students, CONSUMED, seed), workers, claim_only=True)
                )
                applied.append(
                    throughput(bench_url, new_events(students, CONSUMED, seed), workers, claim_only=False)
                )
            baseline, rate = statistics.median(claimed), statistics.median(applied)
            rates.add_row("claim only, one transaction each (baseline)", str(workers), f"{baseline:,.0f}", "")
            rates.add_row("progress.consume, one transaction each", str(workers), f"{rate:,.0f}", ">= 1,000")
        console.print(rates)
        db.pool.close()


if __name__ == "__main__":
    main()
