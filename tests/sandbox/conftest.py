"""Sandbox runners in both modes (bubblewrap namespaces, and forced off as on Lambda) and host canaries.

The limits are shortened (1.5 s wall clock) so that the timeouts in the attack suite stay quick;
the end-to-end tests check the contract's real 5 s.
"""

import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sandbox_image.runner.client import SandboxOptions, SandboxRunner, namespaces_usable
from sandbox_image.runner.policy import Limits

TEST_LIMITS = Limits(wall_seconds=1.5, cpu_seconds=3)
SECRET = f"canary-secret-{uuid.uuid4().hex}"
MODES = ("namespaces", "no_namespaces")


def _runner(mode: str, *, friendly: bool) -> SandboxRunner:
    if mode == "namespaces" and not namespaces_usable():
        pytest.skip("bubblewrap cannot create user namespaces here (install it with `make sandbox-tools`)")
    os.environ["LEARNFLOW_CANARY_SECRET"] = SECRET  # the host's secret; no run may ever see it
    options = SandboxOptions(limits=TEST_LIMITS, namespaces=mode == "namespaces", friendly_layers=friendly)
    return SandboxRunner(options)


@pytest.fixture(scope="session", params=MODES)
def runner(request: pytest.FixtureRequest) -> Iterator[SandboxRunner]:
    """Every layer, in each mode."""
    started = _runner(request.param, friendly=True)
    yield started
    started.close()


@pytest.fixture(scope="session", params=MODES)
def kernel_runner(request: pytest.FixtureRequest) -> Iterator[SandboxRunner]:
    """Without the static check, restricted builtins and audit hook: only the kernel's layers."""
    started = _runner(request.param, friendly=False)
    yield started
    started.close()


@dataclass(frozen=True)
class Host:
    """Things on the host that no run may read, change or create."""

    marker: Path  # must never exist
    victim: Path  # world-readable file of someone else
    victim_text: str
    root_only: Path  # mode 0600, in a 0700 folder
    root_only_text: str
    listener: socket.socket  # a TCP port on the host that nobody may connect to

    @property
    def port(self) -> int:
        return int(self.listener.getsockname()[1])

    def fill(self, code: str) -> str:
        return (
            code.replace("{marker}", str(self.marker))
            .replace("{victim}", str(self.victim))
            .replace("{root_only}", str(self.root_only))
            .replace("{port}", str(self.port))
        )

    def assert_unchanged(self) -> None:
        assert not self.marker.exists(), f"a run created {self.marker}"
        assert self.victim.read_text() == self.victim_text
        assert self.root_only.read_text() == self.root_only_text
        self.listener.setblocking(False)
        try:
            connection, _ = self.listener.accept()
        except BlockingIOError:
            return
        connection.close()
        raise AssertionError("a run connected to a TCP port on the host")


@pytest.fixture(scope="session")
def host() -> Iterator[Host]:
    base = Path("/tmp") / f"lf-sandbox-host-{uuid.uuid4().hex[:8]}"  # noqa: S108 - a shared place on purpose
    base.mkdir()
    base.chmod(0o755)
    victim = base / "victim.txt"
    victim.write_text("VICTIM-DATA-7731")
    victim.chmod(0o644)
    private = base / "private"
    private.mkdir(mode=0o700)
    root_only = private / "secret.txt"
    root_only.write_text("ROOT-ONLY-9214")
    root_only.chmod(0o600)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield Host(
        marker=Path("/var/tmp") / f"lf-marker-{uuid.uuid4().hex}",  # noqa: S108
        victim=victim,
        victim_text="VICTIM-DATA-7731",
        root_only=root_only,
        root_only_text="ROOT-ONLY-9214",
        listener=listener,
    )
    listener.close()
    shutil.rmtree(base, ignore_errors=True)


def descendants(pid: int) -> set[int]:
    """Every process below `pid` on the host."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found
