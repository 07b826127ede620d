"""The running local cloud, started once per test session as `make dev` would start it.

Registered for the whole suite in tests/conftest.py, so tests/e2e and tests/security share one cloud
(a fixture imported into two conftest files would be two fixtures, and two clouds).
"""

from collections.abc import Iterator

import httpx
import pytest

from tests.cloud_process import Account, RunningCloud, running_cloud, sign_up


@pytest.fixture(scope="session")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCloud]:
    with running_cloud(tmp_path_factory.mktemp("learnflow-data")) as started:
        yield started


@pytest.fixture(scope="session")
def api(cloud: RunningCloud) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=cloud.rest_url, timeout=30) as client:
        yield client


@pytest.fixture
def student(api: httpx.Client) -> Account:
    return sign_up(api, "student")
