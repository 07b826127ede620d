"""`make bench-environments`: how long a new execution environment takes to be ready.

For each function measured, in one run on this machine:
- baseline: a fresh interpreter that imports the handler (how every environment started before
  templates, and what a storm of cold starts multiplied);
- fork: a worker forked from the function's pre-imported template, through its init, ready to
  take an invocation (what the local cloud does now).
"""

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from infra.wiring import ALL_FUNCTIONS, FunctionSpec
from localcloud.environment import Endpoints, function_environment
from localcloud.execution_environments import FunctionError, Template
from tests.conftest import REPO_ROOT

SAMPLES = int(os.environ.get("LEARNFLOW_BENCH_SAMPLES", "50"))
BASELINE_SAMPLES = max(5, SAMPLES // 5)
FUNCTIONS = ("auth_api", "tutor_api", "progress_api", "progress_consumer", "concepts_agent", "execute_api")
#: nothing answers here: a handler's init opens no connection, so none is needed
ENDPOINTS = Endpoints(
    "postgresql://nobody@127.0.0.1:1/none",
    "127.0.0.1:1",
    "http://127.0.0.1:1",
    "k" * 48,
    data_dir=Path(tempfile.gettempdir()) / "learnflow-bench-environments",
)
console = Console()


def p50_p95(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94]


def fresh_interpreter_ms(spec: FunctionSpec) -> float:
    module = spec.handler.rpartition(".")[0]
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        env=dict(function_environment(spec, ENDPOINTS)),
        cwd=REPO_ROOT,
        check=True,
    )
    return (time.perf_counter() - started) * 1000


async def forks_ms(spec: FunctionSpec, logs: Path, samples: int) -> list[float]:
    template = Template(
        spec.name, spec.handler, function_environment(spec, ENDPOINTS), logs / f"{spec.name}.log"
    )
    problem = await template.start()
    if problem is not None:
        raise RuntimeError(f"{spec.name}: {problem.message}")
    timings = []
    try:
        for _ in range(samples):
            started = time.perf_counter()
            worker = await template.fork()
            timings.append((time.perf_counter() - started) * 1000)
            if isinstance(worker, FunctionError):
                raise RuntimeError(f"{spec.name}: {worker.message}")
            worker.retire()
    finally:
        await template.close()
    return timings


async def main() -> None:
    specs = [spec for spec in ALL_FUNCTIONS if spec.name in FUNCTIONS]
    table = Table(title=f"A new execution environment ready (ms; fork: {SAMPLES} samples each)")
    for column in ("function", "fresh interpreter p50", "p95", "fork p50", "p95", "speed-up (p50)"):
        table.add_column(column, justify="right" if column != "function" else "left")
    every_fork: list[float] = []
    with tempfile.TemporaryDirectory() as folder, Progress(console=console) as progress:
        task = progress.add_task("environments", total=len(specs) * (SAMPLES + BASELINE_SAMPLES))
        for spec in specs:
            baseline = []
            for _ in range(BASELINE_SAMPLES):
                baseline.append(await asyncio.to_thread(fresh_interpreter_ms, spec))
                progress.advance(task)
            forked = await forks_ms(spec, Path(folder), SAMPLES)
            progress.advance(task, SAMPLES)
            every_fork += forked
            (base_50, base_95), (fork_50, fork_95) = p50_p95(baseline), p50_p95(forked)
            table.add_row(
                spec.name,
                f"{base_50:.1f}",
                f"{base_95:.1f}",
                f"{fork_50:.1f}",
                f"{fork_95:.1f}",
                f"{base_50 / fork_50:.0f}x",
            )
    all_50, all_95 = p50_p95(every_fork)
    table.add_row("all forks", "", "", f"{all_50:.1f}", f"{all_95:.1f}", "", style="bold")
    console.print(table)


if __name__ == "__main__":
    asyncio.run(main())
