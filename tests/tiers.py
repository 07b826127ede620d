"""Test tiers: every test gets the marker of its folder, so `make test-<tier>` selects one tier.

A unit test starts no server, no sandbox and no database: it may not ask for a fixture that does,
and while it runs, listening on a socket or starting the sandbox fails it.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS_ROOT = Path(__file__).resolve().parent

TIER_OF_FOLDER = {
    "unit": "unit",
    "contract": "unit",
    "database": "database",
    "localcloud": "integration",
    "llm": "integration",
    "agents": "integration",
    "e2e": "e2e",
    "infra": "infra",
    "security": "security",
    "sandbox": "security",
    "faults": "faults",
    "browser": "browser",
}

TIERS = {
    "unit": "no server, no sandbox, no database: the domain, the handlers on sample events, the rules",
    "database": "needs a PostgreSQL server (runs again against DATABASE_URL in CI)",
    "integration": "the local cloud's parts, the tutor agents on the real sandbox, the LLM client over HTTP",
    "e2e": "end to end against the local cloud started as `make dev` starts it",
    "infra": "the CDK app: its template, cdk-nag and cfn-lint",
    "security": "the sandbox's attack suite and the API's security tests",
    "faults": "parts of the local cloud killed under steady traffic: nothing accepted is lost or doubled",
    "browser": "the web console in real Chromium against the local cloud; the console's own Vitest tests",
}

SERVER_FIXTURES = frozenset({"postgres_server_url", "database_url", "kafka_broker", "cloud", "openai_server"})


def tier_of(path: Path) -> str:
    folder = path.resolve().relative_to(TESTS_ROOT).parts[0]
    if folder not in TIER_OF_FOLDER:
        raise pytest.UsageError(
            f"{path}: tests/{folder}/ has no tier; add it to TIER_OF_FOLDER in tests/tiers.py"
        )
    return TIER_OF_FOLDER[folder]


def pytest_configure(config: pytest.Config) -> None:
    for tier, meaning in TIERS.items():
        config.addinivalue_line("markers", f"{tier}: {meaning}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        tier = tier_of(item.path)
        item.add_marker(tier)
        if tier == "unit":
            servers = SERVER_FIXTURES & set(getattr(item, "fixturenames", ()))
            if servers:
                raise pytest.UsageError(
                    f"{item.nodeid} is a unit test but uses {sorted(servers)}: move it to that server's tier"
                )


def _refuse(what: str) -> object:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError(f"a unit test may not {what}; move the test to tests/agents/ or another tier")

    return refuse


@pytest.fixture(autouse=True)
def _unit_tests_start_nothing(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("unit") is None:
        yield
        return
    import socket

    from sandbox_image.runner.client import Zygote

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "listen", _refuse("listen on a socket"))
        patch.setattr(Zygote, "_start", _refuse("start the sandbox"))
        yield
