"""The real linters, with LearnFlow's pinned configurations (`config/`): ruff and pylint.

ruff runs as a subprocess reading the code from stdin (a few milliseconds); pylint runs in this
process through its API, so astroid's inference of the standard library stays warm between
reviews. Neither executes the student's code.
"""

import json
import subprocess
import tempfile
import threading
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

CONFIG = Path(__file__).resolve().parent / "config"
RUFF_CONFIG = CONFIG / "ruff.toml"
PYLINT_CONFIG = CONFIG / "pylintrc.toml"
_RUFF_TIMEOUT_SECONDS = 10
_pylint_lock = threading.Lock()  # pylint keeps global state: one run at a time per process


@dataclass(frozen=True)
class Edit:
    """A replacement of the text between two (line, column) positions, 1-based, end exclusive."""

    start: tuple[int, int]
    end: tuple[int, int]
    content: str


@dataclass(frozen=True)
class RawFinding:
    tool: Literal["ruff", "pylint"]
    code: str
    message: str
    line: int
    column: int
    #: ruff's own fix for it, when it has a safe one
    fix_title: str | None = None
    edits: tuple[Edit, ...] = ()


def ruff_bin() -> str:
    from ruff import find_ruff_bin  # the binary shipped in the ruff wheel (a layer's bin/ on AWS)

    return str(find_ruff_bin())


def _ruff(command: str, *options: str, code: str, check: bool) -> "subprocess.CompletedProcess[str]":
    """Runs `ruff <command>` on the code read from stdin, with our pinned configuration only."""
    with tempfile.TemporaryDirectory() as folder:  # no configuration of ours or the student's is found
        return subprocess.run(  # noqa: S603 (fixed argv: the ruff binary and our options)
            [
                ruff_bin(),
                command,
                "--config",
                str(RUFF_CONFIG),
                "--no-cache",
                *options,
                "--stdin-filename",
                "main.py",
                "-",
            ],
            input=code,
            capture_output=True,
            text=True,
            cwd=folder,
            timeout=_RUFF_TIMEOUT_SECONDS,
            check=check,
        )


def run_ruff(code: str) -> list[RawFinding]:
    completed = _ruff("check", "--output-format", "json", "--exit-zero", code=code, check=True)
    return [_ruff_finding(entry) for entry in json.loads(completed.stdout or "[]")]


def _ruff_finding(entry: dict[str, Any]) -> RawFinding:
    fix = entry.get("fix") or {}
    safe = fix.get("applicability") == "safe"
    edits = tuple(
        Edit(
            (edit["location"]["row"], edit["location"]["column"]),
            (edit["end_location"]["row"], edit["end_location"]["column"]),
            edit["content"],
        )
        for edit in (fix.get("edits") or [])
    )
    return RawFinding(
        tool="ruff",
        code=entry.get("code") or "E999",
        message=entry["message"],
        line=entry["location"]["row"],
        column=entry["location"]["column"],
        fix_title=fix.get("message") if safe else None,
        edits=edits if safe else (),
    )


def ruff_format(code: str) -> str | None:
    """The code laid out the PEP 8 way by `ruff format` (None when it cannot be formatted)."""
    completed = _ruff("format", code=code, check=False)
    return completed.stdout if completed.returncode == 0 else None


def run_pylint(code: str) -> list[RawFinding]:
    from astroid import MANAGER
    from pylint.reporters import CollectingReporter

    module = f"reviewed_{uuid.uuid4().hex}"
    with tempfile.TemporaryDirectory() as folder, _pylint_lock:
        path = Path(folder) / f"{module}.py"
        path.write_text(code, encoding="utf-8")
        linter = _linter()
        reporter = CollectingReporter()
        linter.set_reporter(reporter)
        try:
            linter.check([str(path)])
        finally:
            MANAGER.astroid_cache.pop(module, None)
    return [
        RawFinding(
            tool="pylint",
            code=message.msg_id,
            message=f"{message.msg} ({message.symbol})",
            line=message.line,
            column=message.column + 1,
        )
        for message in reporter.messages
        if message.msg_id[0] in "CRWEF" and not message.msg_id.startswith(("F0", "E0001"))
    ]


@cache
def _linter() -> Any:
    """pylint configured once per process (loading its checkers is most of a cold run's time)."""
    from pylint.lint import Run
    from pylint.reporters import CollectingReporter

    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "empty.py"
        empty.write_text("", encoding="utf-8")
        run = Run(
            [f"--rcfile={PYLINT_CONFIG}", "--score=n", str(empty)], reporter=CollectingReporter(), exit=False
        )
    return run.linter
