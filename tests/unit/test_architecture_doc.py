"""docs/architecture.md draws the layers that import-linter enforces, in the same order."""

import re
import tomllib
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
ARROW = "↓"


def enforced_layers() -> list[str]:
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = (c for c in config["contracts"] if c["type"] == "layers")
    return [" | ".join(part.strip() for part in layer.split("|")) for layer in contract["layers"]]


def drawn_layers(document: str) -> list[str]:
    """The layers of the diagram under "## Layers": each line that starts with a module, before its note."""
    section = document.split("## Layers", 1)[1]
    diagram = re.search(r"```text\n(.*?)```", section, re.S)
    assert diagram is not None, 'the "## Layers" section has no ```text diagram'
    lines = [line for line in diagram.group(1).splitlines() if line and not line[0].isspace()]
    return [re.split(r"\s{2,}", line.replace(" | ", "|"))[0].replace("|", " | ") for line in lines]


def test_the_diagram_shows_the_enforced_layers_in_order() -> None:
    drawn = drawn_layers((REPO_ROOT / "docs" / "architecture.md").read_text())
    assert drawn == enforced_layers(), "redraw docs/architecture.md's layers from [tool.importlinter]"


def test_the_diagram_reader_takes_each_layer_line_without_its_note() -> None:
    document = "## Layers\n```text\na | b      note\n  ↓\nc\n       a note's second line\n```\n"
    assert drawn_layers(document) == ["a | b", "c"]
