"""`learnflow exercises import`: Exercism-layout folders checked in the sandbox and stored once."""

from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from localcloud.cli import app
from localcloud.exercise_import import exercise_folders, import_exercises, read_exercise
from localcloud.sandbox import LocalSandbox
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.database
EXERCISM = REPO_ROOT / "tests" / "data" / "exercism"


def test_an_exercise_is_read_from_the_exercism_layout() -> None:
    leap = read_exercise(EXERCISM / "leap", topic="conditionals", difficulty="easy")
    assert leap.slug == "leap" and leap.module_name == "leap" and leap.title == "Leap"
    assert leap.starter_code.startswith("def leap_year") and "% 400" in leap.solution
    assert leap.hints[0].startswith("The modulo operator")
    assert [folder.name for folder in exercise_folders(EXERCISM)] == ["broken-bob", "leap", "two-fer"]
    assert exercise_folders(EXERCISM / "leap") == [EXERCISM / "leap"]


def test_import_stores_valid_exercises_once_and_refuses_a_wrong_solution(database_url: str) -> None:
    sandbox = LocalSandbox()
    try:
        first = import_exercises(
            exercise_folders(EXERCISM),
            database_url=database_url,
            sandbox=sandbox,
            topic="basics",
            difficulty="easy",
        )
        again = import_exercises(
            [EXERCISM / "leap"], database_url=database_url, sandbox=sandbox, topic="basics", difficulty="easy"
        )
    finally:
        sandbox.close()
    assert first.imported == ["leap", "two-fer"]
    assert [slug for slug, _ in first.failed] == ["broken-bob"]
    assert "does not pass" in first.failed[0][1] and "test_shouting" in first.failed[0][1]
    assert again.existing == ["leap"] and again.imported == []
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT slug, module_name, topic FROM exercises WHERE slug IN ('leap', 'two-fer')"
        ).fetchall()
    assert sorted(rows) == [("leap", "leap", "basics"), ("two-fer", "two_fer", "basics")]


def test_the_command_reports_what_it_did(database_url: str, tmp_path: Path) -> None:
    target = tmp_path / "exercises"
    target.mkdir()
    (target / "empty").mkdir()
    result = CliRunner().invoke(app, ["exercises", "import", str(target), "--database-url", database_url])
    assert result.exit_code == 2 and "No exercise" in result.output
    result = CliRunner().invoke(
        app, ["exercises", "import", str(EXERCISM / "broken-bob"), "--database-url", database_url]
    )
    assert result.exit_code == 1
    assert "0 imported, 0 already there, 1 refused" in result.output
