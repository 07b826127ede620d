"""Builds the dependencies layer without Docker: `python -m infra.layer_build` (`make layer`).

pip downloads the manylinux wheels of the runtime dependencies (`[project].dependencies` of
pyproject.toml) for Lambda's Python 3.12 on x86_64 into `build/layer/python`. A stamp beside it
records which requirements were installed, so a synth uses the folder only while it matches
pyproject.toml; otherwise the app falls back to a layer without dependencies and warns.
"""

import hashlib
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from infra.assets import REPO_ROOT

PYPROJECT = REPO_ROOT / "pyproject.toml"
DEPENDENCIES_LAYER_DIR = REPO_ROOT / "build" / "layer"
STAMP_NAME = "requirements.txt"
PLATFORM = "manylinux2014_x86_64"
PYTHON_VERSION = "3.12"
#: Lambda's limit for a function and its layers, unzipped, is 250 MiB; the code and package need the rest
MAX_LAYER_BYTES = 200 * 2**20


class LayerTooLargeError(RuntimeError):
    """The dependencies would not fit in a Lambda function; the message names the largest."""


def runtime_requirements(pyproject: Path = PYPROJECT) -> list[str]:
    """What runs inside Lambda: the project's (not the dev tools') dependencies."""
    with pyproject.open("rb") as file:
        project = tomllib.load(file)["project"]
    return list(project["dependencies"])


def requirements_text(requirements: list[str]) -> str:
    return "".join(f"{requirement}\n" for requirement in requirements)


def is_current(layer_dir: Path, requirements: list[str]) -> bool:
    """Whether `layer_dir` holds exactly these requirements, installed to completion."""
    stamp = layer_dir / STAMP_NAME
    return (
        (layer_dir / "python").is_dir()
        and stamp.is_file()
        and stamp.read_text() == requirements_text(requirements)
    )


def pip_command(requirements_file: Path, target: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-compile",
        "--platform",
        PLATFORM,
        "--implementation",
        "cp",
        "--python-version",
        PYTHON_VERSION,
        "--only-binary=:all:",
        "--target",
        str(target),
        "--requirement",
        str(requirements_file),
    ]


def build(layer_dir: Path = DEPENDENCIES_LAYER_DIR, pyproject: Path = PYPROJECT) -> Path:
    """Installs the wheels into `layer_dir/python` (skipped when already current)."""
    requirements = runtime_requirements(pyproject)
    if is_current(layer_dir, requirements):
        return layer_dir
    shutil.rmtree(layer_dir, ignore_errors=True)
    layer_dir.mkdir(parents=True)
    pending = layer_dir / "requirements.in"
    pending.write_text(requirements_text(requirements))
    subprocess.run(pip_command(pending, layer_dir / "python"), check=True)  # noqa: S603 (fixed argv)
    for cache in (layer_dir / "python").rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    check_size(layer_dir / "python")
    pending.rename(layer_dir / STAMP_NAME)  # last: a half-built layer is never taken as current
    return layer_dir


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def check_size(site_packages: Path, limit: int = MAX_LAYER_BYTES) -> int:
    total = size_of(site_packages)
    if total > limit:
        largest = sorted(site_packages.iterdir(), key=size_of, reverse=True)[:5]
        names = ", ".join(f"{item.name} ({size_of(item) / 2**20:.0f} MiB)" for item in largest)
        raise LayerTooLargeError(
            f"the dependencies take {total / 2**20:.0f} MiB, more than {limit / 2**20:.0f} MiB; "
            f"largest: {names}"
        )
    return total


def requirements_digest(requirements: list[str]) -> str:
    return hashlib.sha256(requirements_text(requirements).encode()).hexdigest()[:12]


def main() -> None:
    layer_dir = build()
    size = size_of(layer_dir / "python")
    print(f"dependencies layer ready in {layer_dir.relative_to(REPO_ROOT)} ({size / 2**20:.0f} MiB)")


if __name__ == "__main__":
    main()
