"""Where the Lambda code and the shared layer come from, staged locally (no Docker).

Functions import their handlers as `functions.<name>.handler`, so the function asset's root
must hold the `functions/` package and nothing else of the repository. It is staged under
`build/lambda-assets/` in a folder named after a hash of its content: a synth reuses a staged
copy when nothing changed, and two synths running at once never write into the same folder.
"""

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS_DIR = REPO_ROOT / "functions"
SHARED_LAYER_DIR = REPO_ROOT / "layers" / "shared"
STAGING_DIR = REPO_ROOT / "build" / "lambda-assets"

# Never shipped: byte code and caches are rebuilt in Lambda, tests and notes are not code.
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
    target = staging_dir / f"functions-{_content_hash(source)}"
    if target.is_dir():
        return target
    staging_dir.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=".functions-", dir=staging_dir))
    shutil.copytree(source, partial / source.name, ignore=shutil.ignore_patterns(*EXCLUDED_PATTERNS))
    try:
        partial.rename(target)
    except OSError:
        # Another synth staged the same content first; its copy is identical.
        shutil.rmtree(partial, ignore_errors=True)
    return target
