"""`learnflow`: run the local cloud, list and invoke functions."""

import asyncio
import json
import logging
import signal
import sys
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Annotated

import typer
import uvloop
from rich.table import Table

from infra.wiring import ALL_FUNCTIONS, function_named
from localcloud import cloud
from localcloud.admin import admin_app
from localcloud.config import CloudConfig
from localcloud.embedded import DependencyUnavailable
from localcloud.environment import Endpoints, function_environment
from localcloud.exercise_import import exercises_app
from localcloud.progress import Steps
from localcloud.runtime import FunctionRuntime
from localcloud.terminal import console, errors, running_cloud_state

app = typer.Typer(help="LearnFlow's local cloud and tools.", no_args_is_help=True, add_completion=False)
app.add_typer(admin_app, name="admin")
app.add_typer(exercises_app, name="exercises")


@app.command()
def dev() -> None:
    """Start the whole system locally (Ctrl-C stops everything it started)."""
    config = CloudConfig.from_environment()
    config.logs_dir().mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        filename=config.logs_dir() / "gateway.log",
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # it retries loudly while a broker restarts
    try:
        asyncio.run(_run_until_stopped(config), loop_factory=uvloop.new_event_loop)
    except DependencyUnavailable as problem:
        errors.print(f"[red]LearnFlow local cloud could not start:[/] {problem}")
        raise typer.Exit(1) from None


async def _run_until_stopped(config: CloudConfig) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with AsyncExitStack() as stack:
        await cloud.start(config, stack, Steps(console))
        console.print(
            f"\n[bold green]LearnFlow local cloud ready[/]\n"
            f"  Console    {config.rest_url}/\n"
            f"  REST API   {config.rest_url}  (try {config.rest_url}/health)\n"
            f"  WebSocket  {config.websocket_url}/?token=<access_token>\n"
            f"  Logs       {config.logs_dir()}\n",
            highlight=False,
        )
        await stop.wait()
        console.print("Stopping…")


@app.command("functions")
def list_functions() -> None:
    """List the functions with their routes, topics and schedules."""
    table = Table("function", "triggers", "timeout", "memory")
    for spec in ALL_FUNCTIONS:
        triggers = [f"{route.method} {route.path}" for route in spec.rest_routes]
        triggers += [f"websocket {route}" for route in spec.websocket_routes]
        triggers += [f"kafka {source.topic.value}" for source in spec.kafka_sources]
        if spec.schedule:
            triggers.append(f"every {spec.schedule.rate_minutes} min")
        table.add_row(
            spec.name,
            "\n".join(triggers) or "(authorizer)",
            f"{spec.timeout_seconds} s",
            f"{spec.memory_mb} MB",
        )
    console.print(table)


@app.command()
def invoke(
    function: Annotated[str, typer.Argument(help="the function's name, from `learnflow functions`")],
    event: Annotated[
        Path, typer.Option("--event", "-e", help="a JSON file with the event", exists=True, dir_okay=False)
    ],
) -> None:
    """Run one function on one event, like `sam local invoke`, against the running local cloud's services."""
    try:
        spec = function_named(function)
    except KeyError as missing:
        errors.print(f"[red]{missing.args[0]}[/]")
        raise typer.Exit(2) from None
    try:
        payload = json.loads(event.read_text())
    except json.JSONDecodeError as bad:
        errors.print(f"[red]{event} is not JSON:[/] {bad}")
        raise typer.Exit(2) from None
    config = CloudConfig.from_environment()
    state = running_cloud_state(config)
    endpoints = Endpoints(
        state["database_url"],
        state["kafka_bootstrap_servers"],
        state["management_url"],
        config.jwt_secret(),
        data_dir=config.data_dir,
    )
    runtime = FunctionRuntime((spec,), lambda s: function_environment(s, endpoints), config.logs_dir())

    async def once() -> int:
        try:
            invocation = await runtime.invoke(spec.name, payload)
        finally:
            await runtime.close()
        if invocation.error is not None:
            errors.print_json(
                data={"errorType": invocation.error.error_type, "errorMessage": invocation.error.message}
            )
            return 1
        sys.stdout.write(json.dumps(invocation.result, indent=2) + "\n")
        return 0

    raise typer.Exit(asyncio.run(once()))


@app.command()
def migrate(
    database_url: Annotated[str, typer.Option(envvar="DATABASE_URL", help="the Postgres to migrate")],
) -> None:
    """Apply the schema migrations to a database."""
    from learnflow.db.migrations import apply_migrations

    applied = apply_migrations(database_url)
    console.print(f"{len(applied)} migrations applied" if applied else "The schema is up to date.")


if __name__ == "__main__":
    app()
