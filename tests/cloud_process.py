"""The local cloud as a separate process, started the way `make dev` starts it, and accounts on it."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from localcloud.admin import PASSWORD_VARIABLE
from tests.conftest import REPO_ROOT, free_port

READY_LINE = "LearnFlow local cloud ready"


@dataclass(frozen=True)
class RunningCloud:
    rest_url: str
    websocket_url: str
    data_dir: Path
    process: subprocess.Popen[str]

    def state(self) -> dict[str, Any]:
        return dict(json.loads((self.data_dir / "cloud.json").read_text()))


def _wait_until_ready(process: subprocess.Popen[str], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if READY_LINE in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise RuntimeError(f"the local cloud did not become ready:\n{log.read_text(errors='replace')[-4000:]}")


#: what the tests change in `make dev`'s settings: schedules every 2 s, stage throttling out of the way
TEST_SETTINGS = {
    "LEARNFLOW_SCHEDULE_SECONDS": "2",
    "LEARNFLOW_THROTTLE_RATE": "1000",
    "LEARNFLOW_THROTTLE_BURST": "2000",
}


@contextmanager
def running_cloud(
    data_dir: Path, *, base_settings: Mapping[str, str] = TEST_SETTINGS, **settings: str
) -> Iterator[RunningCloud]:
    """Starts `learnflow dev` on free ports with its own data dir; stops it (Ctrl-C) on exit.

    `base_settings` (the tests' by default; empty for `make dev`'s own) and then `settings` are
    added to the environment."""
    http_port, ws_port, kafka_port = free_port(), free_port(), free_port()
    env = (
        {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "OPENAI_API_KEY")
        }
        | {
            "LEARNFLOW_DATA_DIR": str(data_dir),
            "LEARNFLOW_HTTP_PORT": str(http_port),
            "LEARNFLOW_WS_PORT": str(ws_port),
            "LEARNFLOW_KAFKA_PORT": str(kafka_port),
            "COLUMNS": "200",
        }
        | dict(base_settings)
        | settings
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir / "learnflow-dev.out"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "localcloud.cli", "dev"],
            cwd=REPO_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        _wait_until_ready(process, log, timeout=120)
        yield RunningCloud(f"http://127.0.0.1:{http_port}", f"ws://127.0.0.1:{ws_port}", data_dir, process)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


@dataclass(frozen=True)
class Account:
    id: str
    email: str
    password: str
    access_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def sign_up(api: httpx.Client, role: str = "student") -> Account:
    email = f"{role}-{uuid.uuid4().hex[:8]}@example.com"
    password = "correct horse battery"
    created = api.post(
        "/api/v1/auth/register",
        json={"email": email, "password": password, "display_name": "Grace", "role": role},
    )
    assert created.status_code == 201, created.text
    login = api.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.text
    return Account(created.json()["user"]["id"], email, password, login.json()["access_token"])


def run_cli(cloud: RunningCloud, *arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """`learnflow ...` beside the running cloud (it finds the cloud's database through the data dir)."""
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", PASSWORD_VARIABLE)}
    return subprocess.run(
        [sys.executable, "-m", "localcloud.cli", *arguments],
        cwd=REPO_ROOT,
        env=env | {"LEARNFLOW_DATA_DIR": str(cloud.data_dir), "COLUMNS": "200"} | environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def create_admin(cloud: RunningCloud, api: httpx.Client) -> Account:
    """An admin made as operators make one (`learnflow admin create`), signed in through the API."""
    email, password = f"admin-{uuid.uuid4().hex[:8]}@example.com", "an admin's long passphrase"
    arguments = ("admin", "create", "--email", email, "--display-name", "Operator")
    created = run_cli(cloud, *arguments, **{PASSWORD_VARIABLE: password})
    assert created.returncode == 0, created.stderr
    login = api.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.text
    me = api.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"})
    return Account(me.json()["user"]["id"], email, password, login.json()["access_token"])
