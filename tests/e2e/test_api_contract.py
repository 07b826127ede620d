"""schemathesis, a tool no one here wrote, against the OpenAPI document the local cloud serves.

For each role it signs in through the API, generates requests for every operation (valid ones and
invalid ones), follows the document's links (register -> sign in -> use the token; create an
exercise -> read it -> submit), and checks every answer against the document: no server error,
only documented statuses, content types and bodies, invalid data refused, deleted data gone.
Seeded and bounded by tests/e2e/schemathesis.toml.
"""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.cloud_process import Account, RunningCloud, create_admin, running_cloud, sign_up
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.cloud

CONFIG = Path(__file__).with_name("schemathesis.toml")
DOCUMENT = REPO_ROOT / "docs" / "openapi.json"


@pytest.fixture(scope="module")
def contract_cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCloud]:
    """A cloud of its own: schemathesis leaves thousands of accounts and refused sign-ins behind."""
    with running_cloud(tmp_path_factory.mktemp("contract-cloud")) as cloud:
        yield cloud


@pytest.fixture(scope="module")
def signed_in(contract_cloud: RunningCloud) -> dict[str, Account]:
    """One account per role, registered and signed in through the API before any run begins.

    schemathesis's own failed sign-ins all come from 127.0.0.1, and enough of them throttle every
    sign-in from that address for a while; the tokens are taken first so that no run depends on one."""
    with httpx.Client(base_url=contract_cloud.rest_url, timeout=30) as api:
        return {
            "student": sign_up(api, "student"),
            "teacher": sign_up(api, "teacher"),
            "admin": create_admin(contract_cloud, api),
        }


def run_schemathesis(
    cloud: RunningCloud, account: Account, reports: Path
) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(CONFIG),
        "run",
        f"{cloud.rest_url}/api/v1/openapi.json",
        "--report",
        "junit",
        "--report-dir",
        str(reports),
        "--no-color",
        "--header",
        f"Authorization: Bearer {account.access_token}",
    ]
    return subprocess.run(
        command,
        cwd=REPO_ROOT,
        env=os.environ | {"COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@pytest.mark.parametrize("role", ["student", "teacher", "admin"])
def test_schemathesis_finds_nothing_for_a(
    role: str, contract_cloud: RunningCloud, signed_in: dict[str, Account], tmp_path: Path
) -> None:
    result = run_schemathesis(contract_cloud, signed_in[role], tmp_path)

    operations = sum(len(methods) for methods in json.loads(DOCUMENT.read_text())["paths"].values())
    assert f"{operations} selected / {operations} total" in result.stdout, result.stdout[-5000:]
    assert result.returncode == 0, result.stdout[-30000:]
