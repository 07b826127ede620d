"""clients/typescript: the REST API's types for frontends, generated from docs/openapi.json, compile."""

import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CLIENT = REPO_ROOT / "clients" / "typescript"
NODE_BIN = REPO_ROOT / "node_modules" / ".bin"


def test_the_committed_types_are_what_openapi_typescript_generates(tmp_path: Path) -> None:
    generated = tmp_path / "learnflow-api.d.ts"
    subprocess.run(
        [NODE_BIN / "openapi-typescript", REPO_ROOT / "docs" / "openapi.json", "--output", generated],
        check=True,
        capture_output=True,
    )
    committed = (CLIENT / "learnflow-api.d.ts").read_text()
    assert committed == generated.read_text(), "the TypeScript types are out of date: run `make client`"


def test_the_types_and_their_example_compile_with_tsc() -> None:
    compiled = subprocess.run(
        [NODE_BIN / "tsc", "-p", CLIENT / "tsconfig.json"], capture_output=True, text=True, check=False
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
