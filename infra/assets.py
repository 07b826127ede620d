"""Where the Lambda code and the shared layer come from, staged locally (no Docker).

Functions import their handlers as `functions.<name>.handler`, so the function asset's root
must hold the `functions/` package and nothing else of the repository. It is staged under
`build/lambda-assets/`, in a folder named after a hash of its content, renamed into place
once complete: two synths running at once never see a half-written copy, and copies unused
for a day are removed.
"""

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS_DIR = REPO_ROOT / "functions"
SHARED_LAYER_DIR = REPO_ROOT / "layers" / "shared"
DEPLOY_HOOKS_DIR = REPO_ROOT / "infra" / "deploy_hooks"
MIGRATIONS_DIR = SHARED_LAYER_DIR / "python" / "learnflow" / "db" / "migrations"
STAGING_DIR = REPO_ROOT / "build" / "lambda-assets"
# Staged copies no synth has used for this long are removed (a running synth's copy is fresh).
STALE_AFTER_SECONDS = 24 * 3600

# Never shipped: byte code and tool caches (Lambda compiles what it imports).
EXCLUDED_PATTERNS: tuple[str, ...] = (
    "__pycache__",
    "*.pyc",
    "*.pyo",
    ".DS_Store",
    ".mypy_cache",
    ".pytest_cache",
)


def _shipped_files(source: Path) -> list[Path]:
    ignore = shutil.ignore_patterns(*EXCLUDED_PATTERNS)
    files: list[Path] = []
    for directory, subdirectories, names in os.walk(source):
        ignored = ignore(directory, [*subdirectories, *names])
        subdirectories[:] = sorted(name for name in subdirectories if name not in ignored)
        files.extend(Path(directory, name) for name in sorted(names) if name not in ignored)
    return files


def _content_hash(source: Path) -> str:
    digest = hashlib.sha256()
    for path in _shipped_files(source):
        digest.update(path.relative_to(source).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def stage_functions_package(source: Path = FUNCTIONS_DIR, staging_dir: Path = STAGING_DIR) -> Path:
    """Returns a folder whose only content is a copy of the `functions/` package."""
    return stage_tree({source.name: source}, staging_dir, label="functions")


def stage_deploy_hooks(staging_dir: Path = STAGING_DIR) -> Path:
    """Returns a folder holding `infra/deploy_hooks/` (the custom resources' handlers) and nothing else."""
    return stage_tree(
        {
            "infra/__init__.py": DEPLOY_HOOKS_DIR.parent / "__init__.py",
            "infra/deploy_hooks": DEPLOY_HOOKS_DIR,
        },
        staging_dir,
        label="deploy-hooks",
    )


def stage_tree(entries: Mapping[str, Path], staging_dir: Path, *, label: str) -> Path:
    """Copies files and folders to the given relative paths of a new folder named after their content."""
    staging_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_copies(staging_dir, label)
    partial = Path(tempfile.mkdtemp(prefix=f".{label}-", dir=staging_dir))
    for relative, source in entries.items():
        destination = partial / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, ignore=shutil.ignore_patterns(*EXCLUDED_PATTERNS))
        else:
            shutil.copy2(source, destination)
    # Named after what was copied, so a file edited during the copy cannot mislabel it.
    target = staging_dir / f"{label}-{_content_hash(partial)}"
    if target.is_dir():  # staged before: the copy there is identical
        shutil.rmtree(partial, ignore_errors=True)
        os.utime(target)
        return target
    try:
        partial.rename(target)
    except OSError:
        if not target.is_dir():
            raise
        shutil.rmtree(partial, ignore_errors=True)  # a concurrent synth staged it first
    return target


def _remove_stale_copies(staging_dir: Path, label: str) -> None:
    cutoff = time.time() - STALE_AFTER_SECONDS
    for staged in [*staging_dir.glob(f"{label}-*"), *staging_dir.glob(f".{label}-*")]:
        if staged.stat().st_mtime < cutoff:
            shutil.rmtree(staged, ignore_errors=True)


def migrations_digest(source: Path = MIGRATIONS_DIR) -> str:
    """Changes whenever a migration is added or edited: the deploy hook then runs again."""
    return _content_hash(source)
