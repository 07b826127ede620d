"""Start-up progress on the terminal: one line per part, with how long it took."""

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console


class Steps:
    def __init__(self, console: Console) -> None:
        self._console = console
        self._notes: list[str] = []

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        self._notes = []
        started = time.perf_counter()
        with self._console.status(f"[bold]{name}[/]…"):
            try:
                yield
            except BaseException:
                self._console.print(f"[red]✗[/] {name}")
                raise
        elapsed = time.perf_counter() - started
        detail = f" ({', '.join(self._notes)})" if self._notes else ""
        self._console.print(f"[green]✓[/] {name}{detail} [dim]{elapsed:.1f} s[/]")

    def note(self, text: str) -> None:
        self._notes.append(text)
