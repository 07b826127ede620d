"""Handlers take every repository from the unit of work (`uow.classes`, `uow.exercises`, ...): none
builds a repository itself, nor reaches for the connection under a unit of work."""

import ast
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = REPO_ROOT / "functions"
LEARNFLOW = REPO_ROOT / "layers" / "shared" / "python" / "learnflow"
REPOSITORIES = "learnflow.repositories."


def module_name(path: Path) -> str:
    parts = path.relative_to(LEARNFLOW.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(tree: ast.Module) -> dict[str, str]:
    """Each name a module binds by importing, and the qualified name it stands for."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    head = alias.name.split(".")[0]
                    names[head] = head
    return names


def qualified(expression: ast.expr, names: dict[str, str], module: str) -> str | None:
    """`ClassRepository` or `classes.ClassRepository` as the qualified name it refers to."""
    if isinstance(expression, ast.Name):
        return names.get(expression.id, f"{module}.{expression.id}")
    if isinstance(expression, ast.Attribute):
        owner = qualified(expression.value, names, module)
        return f"{owner}.{expression.attr}" if owner else None
    return None


def repository_classes() -> set[str]:
    """The classes of `learnflow.repositories`, and their subclasses anywhere in `learnflow`."""
    bases_of: dict[str, list[str]] = {}
    for path in LEARNFLOW.rglob("*.py"):
        module = module_name(path)
        tree = ast.parse(path.read_text(), filename=str(path))
        names = imported_names(tree)
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                bases = [qualified(base, names, module) for base in node.bases]
                bases_of[f"{module}.{node.name}"] = [base for base in bases if base]
    found = {name for name in bases_of if name.startswith(REPOSITORIES)}
    while grown := {name for name, bases in bases_of.items() if set(bases) & found} - found:
        found |= grown
    return found


def units_of_work(tree: ast.Module) -> set[str]:
    """Names bound to a unit of work: `with db.transaction(...) as uow`, a parameter typed as one."""
    names = {"uow"}
    for node in ast.walk(tree):
        if isinstance(node, ast.withitem) and isinstance(node.optional_vars, ast.Name):
            opened = node.context_expr
            if isinstance(opened, ast.Call) and ast.unparse(opened.func).endswith(".transaction"):
                names.add(node.optional_vars.id)
        elif (
            isinstance(node, ast.arg)
            and node.annotation
            and ast.unparse(node.annotation).endswith("UnitOfWork")
        ):
            names.add(node.arg)
    return names


def is_repository(name: str, repositories: set[str]) -> bool:
    """One of `repositories`, also under a shorter path the package might export it by."""
    if name in repositories:
        return True
    short_names = {repository.rsplit(".", 1)[1] for repository in repositories}
    return name.startswith(REPOSITORIES) and name.rsplit(".", 1)[1] in short_names


def violations(source: str, filename: str, repositories: set[str]) -> list[str]:
    tree = ast.parse(source, filename=filename)
    names = imported_names(tree)
    uow_names = units_of_work(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            called = qualified(node.func, names, "<handler>")
            if called and is_repository(called, repositories):
                found.append(f"{filename}:{node.lineno} builds {called}")
        elif (
            isinstance(node, ast.Attribute)
            and node.attr == "connection"
            and isinstance(node.value, ast.Name)
            and node.value.id in uow_names
        ):
            found.append(f"{filename}:{node.lineno} uses {node.value.id}.connection")
    return found


def test_no_handler_builds_a_repository_or_touches_the_connection_of_a_unit_of_work() -> None:
    repositories = repository_classes()
    handlers = sorted(FUNCTIONS.rglob("*.py"))
    assert handlers
    found = [
        problem
        for path in handlers
        for problem in violations(path.read_text(), str(path.relative_to(REPO_ROOT)), repositories)
    ]
    assert not found, f"take the repository from the unit of work (uow.<name>) instead: {found}"


def test_the_check_sees_every_way_a_handler_could_build_its_own_repository() -> None:
    repositories = repository_classes()
    assert "learnflow.repositories.classes.ClassRepository" in repositories
    assert "learnflow.repositories.counted_struggle.CountedStruggleRepository" in repositories
    source = (
        "from learnflow.repositories.counted_struggle import CountedStruggleRepository\n"
        "from learnflow.repositories import classes as class_store\n"
        "from learnflow.repositories.classes import ClassRepository as Classes\n"
        "from learnflow.repositories.database import PostgresUnitOfWork\n"
        "def handler(db, work: PostgresUnitOfWork):\n"
        "    with db.transaction('c') as unit:\n"
        "        Classes(unit.connection)\n"
        "        CountedStruggleRepository(work.connection)\n"
        "        class_store.ClassRepository(db)\n"
    )
    assert sorted(violations(source, "handler.py", repositories)) == [
        "handler.py:7 builds learnflow.repositories.classes.ClassRepository",
        "handler.py:7 uses unit.connection",
        "handler.py:8 builds learnflow.repositories.counted_struggle.CountedStruggleRepository",
        "handler.py:8 uses work.connection",
        "handler.py:9 builds learnflow.repositories.classes.ClassRepository",
    ]
