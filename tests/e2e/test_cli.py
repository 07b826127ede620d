"""`learnflow invoke` and `learnflow functions`, as a developer runs them beside `make dev`."""

import json
import os
import subprocess
import sys

import pytest

from infra.wiring import ALL_FUNCTIONS
from tests.cloud_process import RunningCloud
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.cloud


def learnflow(cloud: RunningCloud, *arguments: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"LEARNFLOW_DATA_DIR": str(cloud.data_dir), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "localcloud.cli", *arguments],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("function", "event_file", "status"),
    [
        ("health", "health-get.json", 200),
        ("concepts_api", "concepts_api-explain.json", 200),
    ],
)
def test_invoke_runs_one_function_on_a_sample_event(
    cloud: RunningCloud, function: str, event_file: str, status: int
) -> None:
    ran = learnflow(cloud, "invoke", function, "--event", str(REPO_ROOT / "events" / event_file))
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["statusCode"] == status


def test_invoke_reports_a_function_error_and_exits_non_zero(cloud: RunningCloud) -> None:
    ran = learnflow(
        cloud, "invoke", "authorizer", "--event", str(REPO_ROOT / "events" / "authorizer-token.json")
    )
    assert ran.returncode == 1
    assert "Unauthorized" in ran.stderr


def test_invoke_names_the_functions_when_one_is_unknown(cloud: RunningCloud) -> None:
    ran = learnflow(cloud, "invoke", "nope", "--event", str(REPO_ROOT / "events" / "health-get.json"))
    assert ran.returncode == 2
    assert "learnflow functions" in ran.stderr


def test_functions_lists_every_function_with_its_triggers(cloud: RunningCloud) -> None:
    listed = learnflow(cloud, "functions")
    assert listed.returncode == 0
    for spec in ALL_FUNCTIONS:
        assert spec.name in listed.stdout
    assert "POST /api/v1/query" in listed.stdout
    assert "kafka concepts.requests" in listed.stdout
