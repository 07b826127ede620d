"""`learnflow exercises import <dir>`: Exercism-layout exercises, checked in the sandbox, into the database.

An exercise folder holds `<module>.py` (the starter), `<module>_test.py`, `.meta/example.py`
(or `.meta/exemplar.py`, the solution) and `.docs/instructions.md` (optionally `.docs/hints.md`);
`<module>` is the folder's name with dashes as underscores (`two-fer` -> `two_fer`). Given a
folder of such folders (e.g. Exercism's `exercises/practice`), every one is imported.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

import typer
from pydantic import ValidationError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from learnflow.domain import exercises
from learnflow.domain.errors import DomainError
from learnflow.domain.ports import Sandbox
from localcloud.sandbox import LocalSandbox
from localcloud.terminal import console, database_url_or_running, errors

exercises_app = typer.Typer(help="Exercises: import Exercism-layout folders.", no_args_is_help=True)
_HINT_ITEM = re.compile(r"^\s*[-*]\s+(.+)$")


class NotAnExerciseError(ValueError):
    """The folder lacks a file of the layout, or its content is invalid."""


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def is_exercise(folder: Path) -> bool:
    return (folder / ".meta").is_dir() and (folder / ".docs").is_dir()


def exercise_folders(root: Path) -> list[Path]:
    """`root` itself when it is an exercise, else the exercises directly inside it, by name."""
    if is_exercise(root):
        return [root]
    return sorted(child for child in root.iterdir() if child.is_dir() and is_exercise(child))


def _read(path: Path) -> str:
    if not path.is_file():
        raise NotAnExerciseError(f"{path.name} is missing")
    return path.read_text(encoding="utf-8")


def _title(instructions: str, slug: str) -> str:
    for line in instructions.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return slug.replace("-", " ").title()


def _hints(docs: Path) -> list[str]:
    hints_file = docs / "hints.md"
    if not hints_file.is_file():
        return []
    found = [
        match.group(1).strip() for line in _read(hints_file).splitlines() if (match := _HINT_ITEM.match(line))
    ]
    return found[:10]


def read_exercise(folder: Path, *, topic: str, difficulty: str) -> exercises.ExerciseContent:
    slug = folder.name
    module = slug.replace("-", "_")
    meta, docs = folder / ".meta", folder / ".docs"
    solution_file = meta / "example.py" if (meta / "example.py").is_file() else meta / "exemplar.py"
    instructions = _read(docs / "instructions.md")
    description = "\n\n".join(
        part
        for part in (
            instructions,
            *(_read(extra) for extra in [docs / "instructions.append.md"] if extra.is_file()),
        )
    )
    try:
        return exercises.ExerciseContent(
            slug=slug,
            title=_title(instructions, slug),
            description=description.strip(),
            topic=topic,
            difficulty=difficulty,
            module_name=module,
            starter_code=_read(folder / f"{module}.py"),
            solution=_read(solution_file),
            test_code=_read(folder / f"{module}_test.py"),
            hints=_hints(docs),
        )
    except ValidationError as invalid:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in invalid.errors())
        raise NotAnExerciseError(problems) from None


def import_exercises(
    folders: list[Path],
    *,
    database_url: str,
    sandbox: Sandbox,
    topic: str,
    difficulty: str,
    progress: Progress | None = None,
) -> ImportReport:
    """Validates each exercise (its solution must pass its tests in the sandbox) and stores the new ones."""
    from learnflow.db.pool import open_pool
    from learnflow.repositories.database import Database

    report = ImportReport()
    task = progress.add_task("importing", total=len(folders)) if progress else None
    pool = open_pool(database_url, 1)
    try:
        database = Database(pool)
        for folder in folders:
            if progress is not None and task is not None:
                progress.update(task, description=folder.name)
            try:
                content = read_exercise(folder, topic=topic, difficulty=difficulty)
                with database.transaction("exercise-import") as uow:
                    exists = uow.exercises.slug_taken(content.slug)
                if exists:
                    report.existing.append(content.slug)
                else:
                    exercises.check_solution(sandbox, content)
                    with database.transaction("exercise-import") as uow:
                        exercise = exercises.new_exercise(content, author_id=None)
                        exercises.store_new(uow.exercises, exercise)
                    report.imported.append(content.slug)
            except NotAnExerciseError as problem:
                report.failed.append((folder.name, str(problem)))
            except DomainError as refused:
                details = "; ".join(detail["message"] for detail in refused.details[:3])
                report.failed.append((folder.name, f"{refused.message} {details}".strip()))
            if progress is not None and task is not None:
                progress.advance(task)
    finally:
        pool.close()
    return report


@exercises_app.command("import")
def import_command(
    directory: Annotated[
        Path, typer.Argument(help="an exercise folder, or a folder of them", exists=True, file_okay=False)
    ],
    topic: Annotated[str, typer.Option(help="the curriculum topic to file them under")] = "practice",
    difficulty: Annotated[Literal["easy", "medium", "hard"], typer.Option()] = "easy",
    database_url: Annotated[
        str | None,
        typer.Option(envvar="DATABASE_URL", help="the Postgres to use (default: the running cloud's)"),
    ] = None,
) -> None:
    """Import Exercism-layout exercises; each solution must pass its own tests in the sandbox."""
    folders = exercise_folders(directory)
    if not folders:
        errors.print(f"[red]No exercise in {directory}:[/] expected .meta/ and .docs/ folders.")
        raise typer.Exit(2)
    sandbox = LocalSandbox()
    columns = (TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console) as progress:
            report = import_exercises(
                folders,
                database_url=database_url_or_running(database_url),
                sandbox=sandbox,
                topic=topic,
                difficulty=difficulty,
                progress=progress,
            )
    finally:
        sandbox.close()
    console.print(
        f"{len(report.imported)} imported, {len(report.existing)} already there, {len(report.failed)} refused"
    )
    for slug, reason in report.failed:
        errors.print(f"  [red]{slug}[/]: {reason}")
    if report.failed:
        raise typer.Exit(1)
