"""Mermaid diagrams: the curriculum's parse with the real Mermaid parser (npm `mermaid`, via node), and
the run-time check for LLM diagrams never accepts what Mermaid rejects."""

import json
import shutil
import subprocess
from typing import Any

import pytest

from learnflow.domain.concepts import list_concepts
from learnflow.domain.concepts.diagrams import is_valid_mermaid
from tests.conftest import REPO_ROOT

PARSER = REPO_ROOT / "tests" / "mermaid" / "parse.mjs"

ACCEPTED_SAMPLES = [
    'flowchart TD\n    A["start"] --> B{"ok?"}\n    B -->|"yes"| C(["done"])',
    'graph LR\n    a["x = [1, 2]"] --- b(("y"))\n    b -.-> c[["z"]]\n    c ==> d[("w")]',
    'flowchart LR\n    subgraph group1["a box"]\n        one\n        two\n    end\n    one --> two',
    "sequenceDiagram\n    participant A as Alice\n    A->>B: hello\n    B-->>A: hi back\n"
    "    Note over A,B: a chat",
    "sequenceDiagram\n    loop every minute\n        A->>B: ping\n    end\n"
    "    alt ok\n        B-->>A: pong\n    else down\n"
    "        B--xA: nothing\n    end",
]
REJECTED_SAMPLES = [
    "",
    "flowchart TD\n    A --> ",
    "flowchart TD\n    end --> B",
    'flowchart TD\n    A["unclosed] --> B',
    "flowchart XX\n    A --> B",
    'pie\n    "a" : 1',
    "sequenceDiagram\n    loop forever\n        A->>B: hi",
    "sequenceDiagram\n    A->>B hi",
    "<script>alert(1)</script>",
]


def mermaid_parse(diagrams: list[str]) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None or not (REPO_ROOT / "node_modules" / "mermaid").is_dir():
        pytest.fail("the Mermaid parser is not installed: run `make node-tools` (npm ci)")
    run = subprocess.run(
        [node, str(PARSER)],
        input=json.dumps(diagrams),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    results: list[dict[str, Any]] = json.loads(run.stdout)
    return results


def test_every_curriculum_diagram_parses_with_mermaid() -> None:
    diagrams = {concept.slug: concept.diagram for concept in list_concepts() if concept.diagram}
    assert len(diagrams) >= 15
    results = mermaid_parse(list(diagrams.values()))
    failures = {slug: result for slug, result in zip(diagrams, results, strict=True) if not result["ok"]}
    assert failures == {}


def test_the_run_time_check_accepts_the_curriculum_diagrams() -> None:
    rejected = [c.slug for c in list_concepts() if c.diagram and not is_valid_mermaid(c.diagram)]
    assert rejected == []


def test_what_the_run_time_check_accepts_mermaid_accepts_too() -> None:
    samples = ACCEPTED_SAMPLES + REJECTED_SAMPLES
    verdicts = mermaid_parse(samples)
    for sample, verdict in zip(samples, verdicts, strict=True):
        if is_valid_mermaid(sample):
            assert verdict["ok"], (sample, verdict)
    assert all(is_valid_mermaid(sample) for sample in ACCEPTED_SAMPLES)
    assert not any(is_valid_mermaid(sample) for sample in REJECTED_SAMPLES)
    assert not any(
        verdict["ok"] for verdict in verdicts[len(ACCEPTED_SAMPLES) + 1 : len(ACCEPTED_SAMPLES) + 3]
    )
