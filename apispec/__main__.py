"""`python -m apispec <document> [--check]`: writes one API document under docs/, or checks it is current.

Each document is one command: it generates the document's text and hands it to `write_or_check`.
"""

from pathlib import Path
from typing import Annotated

import typer

from apispec.asyncapi import DOCUMENT_PATH as ASYNCAPI_PATH
from apispec.asyncapi import asyncapi_yaml
from apispec.openapi import DOCUMENT_PATH as OPENAPI_PATH
from apispec.openapi import openapi_json

REPO_ROOT = Path(__file__).resolve().parents[1]

app = typer.Typer(no_args_is_help=True, add_completion=False)

CheckOption = Annotated[
    bool, typer.Option("--check", help="Write nothing; fail when the committed document is out of date.")
]


def write_or_check(path: Path, text: str, *, check: bool, command: str) -> None:
    shown = path.relative_to(REPO_ROOT)
    if not check:
        path.write_text(text)
        typer.echo(f"wrote {shown}")
        return
    committed = path.read_text() if path.exists() else None
    if committed != text:
        state = "is missing" if committed is None else "differs from what the code generates"
        typer.echo(f"{shown} {state}: run `{command}` and commit it.", err=True)
        raise typer.Exit(1)
    typer.echo(f"{shown} is up to date")


@app.callback()
def documents() -> None:
    """Generate LearnFlow's machine-readable API documents into docs/."""


@app.command()
def asyncapi(check: CheckOption = False) -> None:
    """docs/asyncapi.yaml: the WebSocket API and the Kafka topics (AsyncAPI 3.0)."""
    write_or_check(ASYNCAPI_PATH, asyncapi_yaml(), check=check, command="make asyncapi")


@app.command()
def openapi(check: CheckOption = False) -> None:
    """docs/openapi.json: the REST API (OpenAPI 3.1), merged from the functions' resolvers."""
    write_or_check(OPENAPI_PATH, openapi_json(), check=check, command="make openapi")


if __name__ == "__main__":
    app()
