"""What the `learnflow` commands share: their consoles and the running local cloud's state."""

import json
from typing import Any

import typer
from rich.console import Console

from localcloud import cloud
from localcloud.config import CloudConfig

console = Console()
errors = Console(stderr=True)


def running_cloud_state(config: CloudConfig) -> dict[str, Any]:
    """Where the running `make dev` keeps its parts; stops the command when none is running."""
    path = cloud.state_file(config)
    if not path.exists():
        errors.print("[red]The local cloud is not running:[/] start it with `make dev` in another terminal.")
        raise typer.Exit(1)
    return dict(json.loads(path.read_text()))


def database_url_or_running(given: str | None) -> str:
    """DATABASE_URL when given, else the Postgres of the local cloud that is running."""
    return given or str(running_cloud_state(CloudConfig.from_environment())["database_url"])
