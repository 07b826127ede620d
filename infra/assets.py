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
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS_DIR = REPO_ROOT / "functions"
SHARED_LAYER_DIR = REPO_ROOT / "layers" / "shared"
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
    staging_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_copies(staging_dir)
    partial = Path(tempfile.mkdtemp(prefix=".functions-", dir=staging_dir))
    shutil.copytree(source, partial / source.name, ignore=shutil.ignore_patterns(*EXCLUDED_PATTERNS))
    # Named after what was copied, so a file edited during the copy cannot mislabel it.
    target = staging_dir / f"functions-{_content_hash(partial / source.name)}"
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


def _remove_stale_copies(staging_dir: Path) -> None:
    cutoff = time.time() - STALE_AFTER_SECONDS
    for staged in [*staging_dir.glob("functions-*"), *staging_dir.glob(".functions-*")]:
        if staged.stat().st_mtime < cutoff:
            shutil.rmtree(staged, ignore_errors=True)
