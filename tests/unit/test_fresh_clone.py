"""The repository stands alone: a fresh clone collects its tests, and no tracked file reaches beside it."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

#: a clone collects at least this many tests (the suite has well over a thousand)
MIN_COLLECTED = 1000
#: the packages a test run imports from the repository
PACKAGES = ("learnflow", "localcloud", "functions", "infra", "tests")
#: a path that leaves the repository for a folder named shared beside it
OUTSIDE_SHARED = re.compile(
    r"\.\./+shared\b"  # a relative path
    r"|\.parent\s*/\s*[\"']shared[\"']"  # a pathlib path from the repository's root
    r"|[\"']\.\.[\"']\s*[,/]\s*[\"']shared[\"']"  # os.path.join or pathlib from ".."
)


def _git(*args: str, cwd: Path = REPO_ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_fresh_clone_collects_its_tests_from_itself(tmp_path: Path) -> None:
    clone = tmp_path / "alone" / "learnflow"
    _git("clone", "--quiet", "--no-hardlinks", str(REPO_ROOT), str(clone), cwd=tmp_path)
    env = os.environ | {"PYTHONPATH": os.pathsep.join([str(clone), str(clone / "layers/shared/python")])}
    collected = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(clone),
        ],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = collected.stdout + collected.stderr
    assert collected.returncode == 0, output
    found = re.search(r"^(\d+) tests? collected", output, re.MULTILINE)
    assert found is not None and int(found[1]) > MIN_COLLECTED, output
    # the same interpreter, folder and environment import the clone's code, not the editable install's
    imported_from = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import {', '.join(PACKAGES)}; print({', '.join(f'{p}.__file__' for p in PACKAGES)})",
        ],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert [path for path in imported_from if not Path(path).is_relative_to(clone)] == []
    assert len(imported_from) == len(PACKAGES)


def test_no_tracked_file_reaches_a_shared_folder_beside_the_repository() -> None:
    reaching = []
    for name in _git("ls-files", "-z").split("\0"):
        path = REPO_ROOT / name
        if not name or not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data:  # binary
            continue
        text = data.decode("utf-8", errors="replace")
        reaching += [f"{name}: {match[0]}" for match in OUTSIDE_SHARED.finditer(text)]
    assert reaching == []


def test_the_pattern_finds_the_ways_of_reaching_beside_the_repository() -> None:
    up, parent = "..", ".parent"  # written apart, so that this file does not reach there itself
    assert OUTSIDE_SHARED.search(f"kept in `{up}/shared/contract.md`")
    assert OUTSIDE_SHARED.search(f'EVENTS = REPO_ROOT{parent} / "shared" / "aws-events"')
    assert OUTSIDE_SHARED.search(f'os.path.join("{up}", "shared")')
    assert not OUTSIDE_SHARED.search("layers/shared/python/learnflow")
    assert not OUTSIDE_SHARED.search('REPO_ROOT / "shared"')
