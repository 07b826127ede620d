"""The coverage gate of `make test`: the report, then at least 85% in all and 70% in every package.

Run after `pytest --cov` (which combines the data of the local cloud's worker processes):
`python -m tests.coverage_gate`. A package is a folder of code; its figure counts its own modules.
"""

import json
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import coverage
from rich.console import Console
from rich.table import Table

TOTAL_MINIMUM = 85.0
PACKAGE_MINIMUM = 70.0
SHARED_LAYER = "layers/shared/python/"


@dataclass
class Lines:
    statements: int = 0
    missing: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * (self.statements - self.missing) / self.statements if self.statements else 100.0

    def add(self, statements: int, missing: int) -> None:
        self.statements += statements
        self.missing += missing


def package_of(path: str) -> str:
    folder = str(Path(path).parent)
    return folder.removeprefix(SHARED_LAYER).replace("/", ".")


def measure() -> tuple[Lines, dict[str, Lines]]:
    measured = coverage.Coverage()
    measured.load()
    measured.combine()  # the data files of worker processes that ended after pytest combined its own
    measured.save()
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "coverage.json"
        measured.json_report(outfile=str(report))
        files = json.loads(report.read_text())["files"]
    total, packages = Lines(), defaultdict[str, Lines](Lines)
    for path, figures in files.items():
        summary = figures["summary"]
        total.add(summary["num_statements"], summary["missing_lines"])
        packages[package_of(path)].add(summary["num_statements"], summary["missing_lines"])
    return total, dict(packages)


def failures(total: Lines, packages: dict[str, Lines]) -> list[str]:
    found = [f"total {total.percent:.1f}% < {TOTAL_MINIMUM:.0f}%"] if total.percent < TOTAL_MINIMUM else []
    found += [
        f"{name} {lines.percent:.1f}% < {PACKAGE_MINIMUM:.0f}%"
        for name, lines in sorted(packages.items())
        if lines.percent < PACKAGE_MINIMUM
    ]
    return found


def main() -> int:
    console = Console()
    try:
        total, packages = measure()
    except coverage.exceptions.NoDataError:
        console.print("[red]No coverage data:[/] run `pytest --cov` first (`make test` does).")
        return 1
    table = Table("package", "statements", "missed", "covered", title="Coverage by package")
    for name, lines in sorted(packages.items()):
        style = "red" if lines.percent < PACKAGE_MINIMUM else ""
        table.add_row(name, str(lines.statements), str(lines.missing), f"{lines.percent:.1f}%", style=style)
    table.add_row("total", str(total.statements), str(total.missing), f"{total.percent:.1f}%", style="bold")
    console.print(table)
    problems = failures(total, packages)
    for problem in problems:
        console.print(f"[red]coverage too low:[/] {problem}")
    if problems:
        console.print(
            "Add tests for the paths that matter: `coverage html` shows the missed lines in htmlcov/."
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
