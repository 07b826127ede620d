"""`learnflow admin create`: administrators exist only through this command, never through the API."""

from typing import Annotated

import psycopg
import typer
from pydantic import EmailStr, TypeAdapter, ValidationError

from learnflow.domain.errors import DomainError
from localcloud.config import host_variable
from localcloud.terminal import console, database_url_or_running, errors

PASSWORD_VARIABLE = "LEARNFLOW_ADMIN_PASSWORD"  # noqa: S105 (the variable's name)

admin_app = typer.Typer(
    help="Administrators (created here only, never through the API).", no_args_is_help=True
)


def _password() -> str:
    from_environment = host_variable(PASSWORD_VARIABLE)
    if from_environment:
        return from_environment
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def _valid_email(email: str) -> str:
    try:
        return str(TypeAdapter(EmailStr).validate_python(email))
    except ValidationError:
        errors.print(f"[red]{email!r} is not an email address.[/]")
        raise typer.Exit(2) from None


@admin_app.command("create")
def create(
    email: Annotated[str, typer.Option(help="the administrator's email, used to sign in")],
    display_name: Annotated[str, typer.Option(help="the name shown to others")],
    database_url: Annotated[
        str | None,
        typer.Option(envvar="DATABASE_URL", help="the Postgres to use (default: the running cloud's)"),
    ] = None,
) -> None:
    """Create an administrator. The password is asked for, or read from LEARNFLOW_ADMIN_PASSWORD."""
    email = _valid_email(email)
    if not display_name.strip():
        errors.print("[red]The display name must not be blank.[/]")
        raise typer.Exit(2)
    password = _password()
    # imported here: hashing set-up and the pool are not worth paying for on every `learnflow` command
    from learnflow.db.pool import open_pool
    from learnflow.domain import accounts
    from learnflow.repositories.database import Database
    from learnflow.security.passwords import password_hasher

    pool = open_pool(database_url_or_running(database_url), 1)
    try:
        with Database(pool).transaction("admin-create") as uow:
            user = accounts.create_admin(
                uow, password_hasher, email=email, password=password, display_name=display_name
            )
    except DomainError as refused:
        errors.print(f"[red]{refused.message}[/]")
        raise typer.Exit(1) from None
    except psycopg.errors.UndefinedTable:
        errors.print("[red]The database has no schema yet:[/] run `learnflow migrate` first.")
        raise typer.Exit(1) from None
    finally:
        pool.close()
    console.print(f"Administrator {user.email} created (id {user.id}).", highlight=False)
