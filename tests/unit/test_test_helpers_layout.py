"""Test helpers live in helper modules: no test module imports another test module (importing one
runs its tests' fixtures and module-level setup twice, and hides helpers where nobody looks)."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
DATA = TESTS / "data"  # students' programs, some broken on purpose


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return names


def test_no_test_module_imports_another_test_module() -> None:
    offending = {
        f"{path.relative_to(TESTS)} imports {name}"
        for path in TESTS.rglob("*.py")
        if DATA not in path.parents
        for name in imported_modules(path)
        if name.startswith("tests.") and name.rsplit(".", 1)[-1].startswith("test_")
    }
    assert not offending, f"move the shared helpers into a helper module: {sorted(offending)}"


def test_the_check_sees_an_import_of_a_test_module(tmp_path: Path) -> None:
    module = tmp_path / "test_x.py"
    module.write_text("from tests.e2e.test_execute_and_exercises import leap_exercise\n")
    assert "tests.e2e.test_execute_and_exercises" in imported_modules(module)
