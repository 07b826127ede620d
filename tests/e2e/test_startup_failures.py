"""`make dev` with a dependency that does not answer names it, says what to do, and exits non-zero."""

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT, free_port


def start_dev(tmp_path: object, **settings: str) -> subprocess.CompletedProcess[str]:
    env = (
        os.environ
        | {
            "LEARNFLOW_DATA_DIR": str(tmp_path),
            "LEARNFLOW_HTTP_PORT": str(free_port()),
            "LEARNFLOW_WS_PORT": str(free_port()),
            "LEARNFLOW_KAFKA_PORT": str(free_port()),
            "COLUMNS": "200",
        }
        | settings
    )
    return subprocess.run(
        [sys.executable, "-m", "localcloud.cli", "dev"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("setting", "value", "named"),
    [
        ("DATABASE_URL", "postgresql://learnflow:hunter2@127.0.0.1:{port}/learnflow", "DATABASE_URL"),
        ("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:{port}", "KAFKA_BOOTSTRAP_SERVERS"),
    ],
)
def test_an_unreachable_dependency_is_named_with_what_to_do(
    tmp_path: object, setting: str, value: str, named: str
) -> None:
    started = start_dev(tmp_path, **{setting: value.format(port=free_port())})
    output = started.stdout + started.stderr
    assert started.returncode == 1
    assert "could not start" in output
    assert named in output
    assert "hunter2" not in output, "a password must never be printed"
    assert "Traceback" not in output


def test_a_taken_port_is_named(tmp_path: object) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = start_dev(tmp_path, LEARNFLOW_HTTP_PORT=str(port))
    assert started.returncode == 1
    assert str(port) in started.stdout + started.stderr
    assert "LEARNFLOW_HTTP_PORT" in started.stdout + started.stderr
