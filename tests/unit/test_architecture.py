"""The code keeps the shape docs/architecture.md describes (import-linter checks the imports themselves)."""

import ast
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CODE_FOLDERS = ("layers", "functions", "localcloud", "infra", "sandbox_image")
MAX_MODULE_LINES = 600
#: a module may be longer when a comment among its first lines says why
LENGTH_REASON = "# longer than 600 lines because"
#: the only modules that read the environment: the settings classes and the local cloud's configuration
ENVIRONMENT_READERS = ("settings.py",)
LOCAL_CLOUD_CONFIG = REPO_ROOT / "localcloud" / "config.py"


def code_modules() -> list[Path]:
    return sorted(path for folder in CODE_FOLDERS for path in (REPO_ROOT / folder).rglob("*.py"))


def environment_reads(tree: ast.Module) -> list[int]:
    """Lines that read os.environ or call os.getenv; assigning to os.environ[...] is not a read."""
    written = {
        id(target.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Subscript)
    }
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in ("environ", "getenv")
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
        and id(node) not in written
    ) + [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "os"
        for alias in node.names
        if alias.name in ("environ", "getenv")
    ]


def test_only_settings_modules_read_the_environment() -> None:
    readers = [
        f"{path.relative_to(REPO_ROOT)}:{line}"
        for path in code_modules()
        if path.name not in ENVIRONMENT_READERS and path != LOCAL_CLOUD_CONFIG
        for line in environment_reads(ast.parse(path.read_text()))
    ]
    assert readers == [], (
        "read configuration through a settings class (settings.py) or localcloud/config.py, not here"
    )


def test_the_environment_scan_tells_reads_from_writes() -> None:
    tree = ast.parse('import os\nos.environ["A"] = "1"\nos.environ.get("B")\nos.getenv("C")\n')
    assert environment_reads(tree) == [3, 4]


def test_no_module_is_longer_than_600_lines_without_saying_why() -> None:
    too_long = []
    for path in code_modules():
        lines = path.read_text().splitlines()
        reason_given = any(line.lower().startswith(LENGTH_REASON) for line in lines[:15])
        if len(lines) > MAX_MODULE_LINES and not reason_given:
            too_long.append(f"{path.relative_to(REPO_ROOT)} ({len(lines)} lines)")
    assert too_long == [], f"split these modules, or say at the top why they must be long: {too_long}"


def test_each_port_is_declared_once() -> None:
    protocols = Counter(
        node.name
        for path in code_modules()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ClassDef)
        and any(isinstance(base, ast.Name) and base.id == "Protocol" for base in node.bases)
    )
    assert [name for name, count in protocols.items() if count > 1] == []
