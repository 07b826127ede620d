"""The load test's journeys (tests/performance/locustfile.py, what `make load` runs) still work: a
student and a teacher run them for a few seconds against the session's local cloud, and every step
is taken at least once without a failure."""

import csv
import subprocess
from pathlib import Path

import pytest

from tests.cloud_process import RunningCloud
from tests.conftest import REPO_ROOT
from tests.performance.run_load import LoadSettings, locust_command

pytestmark = pytest.mark.cloud

#: every step of both journeys, as the load test names them (type, name)
STEPS = {
    ("POST", "/api/v1/auth/register"),
    ("POST", "/api/v1/auth/login"),
    ("WS", "connect"),
    # the student
    ("POST", "/api/v1/classes/join"),
    ("POST", "/api/v1/query"),
    ("WS", "question -> answer"),
    ("POST", "/api/v1/execute"),
    ("POST", "/api/v1/exercises/generate"),
    ("POST", "/api/v1/exercises/{id}/hints/next"),
    ("POST", "/api/v1/exercises/{id}/submit"),
    ("POST", "/api/v1/debug/analyze"),
    ("GET", "/api/v1/progress/{user_id}"),
    ("GET", "/api/v1/notifications/{user_id}"),
    # the teacher
    ("POST", "/api/v1/classes"),
    ("GET", "/api/v1/classes/{id}"),
    ("GET", "/api/v1/progress/{user_id} [teacher]"),
    ("GET", "/api/v1/notifications/{user_id} [teacher]"),
}


def test_a_student_and_a_teacher_take_every_step_without_a_failure(
    cloud: RunningCloud, tmp_path: Path
) -> None:
    quick = LoadSettings(users=2, spawn_rate=2, duration="10s", seconds=10)
    ran = subprocess.run(
        [
            *locust_command(cloud, quick, tmp_path),
            "--think-time",
            "0.05-0.2",
            # one teacher, one student (the load test's weights make 1 user in 10 a teacher)
            "--config-users",
            '{"user_class_name": "Teacher", "fixed_count": 1}',
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = ran.stdout[-3000:] + ran.stderr[-3000:]
    with (tmp_path / "locust_stats.csv").open(newline="") as rows:
        stats = {(row["Type"], row["Name"]): row for row in csv.DictReader(rows)}
    with (tmp_path / "locust_failures.csv").open(newline="") as rows:
        failures = [f"{row['Method']} {row['Name']}: {row['Error']}" for row in csv.DictReader(rows)]

    assert failures == [], output
    assert ran.returncode == 0, output
    taken = {step for step, row in stats.items() if int(row["Request Count"]) > 0}
    assert STEPS - taken == set(), output
    assert taken - STEPS == {("", "Aggregated")}, "a step this test does not know of: add it to STEPS"
