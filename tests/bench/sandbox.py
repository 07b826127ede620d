"""`make bench-sandbox`: the sandbox's speed against a bare Python spawn, measured in the same run.

1. Baseline: `python -I -S -c 'print(1)'` spawned and waited for (what a cold sandbox pays at least).
2. The runner alone (in-process zygote, no HTTP): `print(1)`, one at a time, then from
   20 zygotes at once (the sandbox function's environments at concurrency 20, without the hops).
3. `POST /api/v1/execute` of `print(1)` through the local cloud, at concurrency 1 and 20, and runs/s.
4. `POST /api/v1/exercises/{id}/submit` of a 10-test exercise.
"""

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import aiohttp
import httpx
from rich.console import Console
from rich.table import Table

from sandbox_image.runner.client import SandboxRunner
from tests.bench import process_cpu
from tests.cloud_process import running_cloud, sign_up

SAMPLES = int(os.environ.get("LEARNFLOW_BENCH_SAMPLES", "200"))
WARMUP = 10
CONCURRENCY = 20
console = Console()

TEN_TESTS = (
    "import unittest\n\nfrom counter import count_vowels\n\n\nclass CountTest(unittest.TestCase):\n"
    + "".join(
        f"    def test_word_{index}(self):\n"
        f"        self.assertEqual(count_vowels('{'a' * index}xyz'), {index})\n\n"
        for index in range(10)
    )
)
SOLUTION = "def count_vowels(text):\n    return sum(letter in 'aeiou' for letter in text)\n"


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94]


def bare_spawn() -> list[float]:
    samples = []
    for index in range(WARMUP + SAMPLES):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-I", "-S", "-c", "print(1)"], capture_output=True, check=True)
        if index >= WARMUP:
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def runner_alone() -> tuple[list[float], list[str]]:
    runner = SandboxRunner()
    try:
        layers = runner.layers()
        samples = []
        for index in range(WARMUP + SAMPLES):
            started = time.perf_counter()
            assert runner.run("print(1)")["stdout"] == "1\n"
            if index >= WARMUP:
                samples.append((time.perf_counter() - started) * 1000)
        return samples, layers
    finally:
        runner.close()


def runners_alone_concurrently() -> tuple[list[float], float]:
    """`CONCURRENCY` zygotes, each run by its own thread back to back: the sandbox function's
    environments at that concurrency without the hops around them. Latencies and runs per second."""
    runners = [SandboxRunner() for _ in range(CONCURRENCY)]
    per_runner = max(1, SAMPLES * 2 // CONCURRENCY)

    def drive(runner: SandboxRunner, runs: int) -> list[float]:
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            assert runner.run("print(1)")["stdout"] == "1\n"
            samples.append((time.perf_counter() - started) * 1000)
        return samples

    try:
        with ThreadPoolExecutor(CONCURRENCY) as threads:
            list(threads.map(drive, runners, [3] * CONCURRENCY))
            started = time.perf_counter()
            samples = [
                sample for run in threads.map(drive, runners, [per_runner] * CONCURRENCY) for sample in run
            ]
            wall = time.perf_counter() - started
    finally:
        for runner in runners:
            runner.close()
    return samples, len(samples) / wall


async def execute_over_http(
    rest_url: str, token: str, concurrency: int, total: int
) -> tuple[list[float], float, Counter[str]]:
    """Latencies of `total` runs of print(1) with `concurrency` in flight, runs per second, and the
    processor milliseconds each part of the system spent per run.

    The load comes from aiohttp's client, which costs this 2-core machine a fraction of what
    httpx's asynchronous client does, so the figures are the service's, not the load generator's.
    """
    headers = {"Authorization": f"Bearer {token}"}
    gate = asyncio.Semaphore(concurrency)
    session = aiohttp.ClientSession(
        rest_url,
        headers=headers,
        connector=aiohttp.TCPConnector(limit=concurrency),
        timeout=aiohttp.ClientTimeout(total=30),
    )
    async with session as client:

        async def once() -> float:
            async with gate:
                started = time.perf_counter()
                async with client.post("/api/v1/execute", json={"code": "print(1)"}) as response:
                    body = await response.json()
                elapsed = (time.perf_counter() - started) * 1000
            assert response.status == 200 and body["stdout"] == "1\n", body
            return elapsed

        # start the function's workers a few at a time, as traffic grows, not 20 cold starts at once
        for ramp in (1, 2, 4, 8, 12, 16, concurrency):
            if ramp <= concurrency:
                for _ in range(3):
                    await asyncio.gather(*(once() for _ in range(ramp)))
        before = process_cpu.snapshot()
        started = time.perf_counter()
        samples = await asyncio.gather(*(once() for _ in range(total)))
        wall = time.perf_counter() - started
        spent = process_cpu.milliseconds_per_operation(before, process_cpu.snapshot(), total)
    return list(samples), total / wall, spent


def grading(
    api: httpx.Client, student_headers: dict[str, str], teacher_headers: dict[str, str]
) -> list[float]:
    exercise = {
        "slug": f"count-vowels-{uuid.uuid4().hex[:6]}",
        "title": "Count vowels",
        "description": "Count the vowels of a word.",
        "topic": "strings",
        "difficulty": "easy",
        "module_name": "counter",
        "starter_code": "def count_vowels(text):\n    pass\n",
        "solution": SOLUTION,
        "test_code": TEN_TESTS,
        "hints": [],
    }
    created = api.post("/api/v1/exercises", headers=teacher_headers, json=exercise)
    assert created.status_code == 201, created.text
    submit = f"/api/v1/exercises/{created.json()['exercise']['id']}/submit"
    samples = []
    for index in range(WARMUP + SAMPLES // 2):
        started = time.perf_counter()
        graded = api.post(submit, headers=student_headers, json={"code": SOLUTION}).json()
        if index >= WARMUP:
            samples.append((time.perf_counter() - started) * 1000)
        assert graded["score"] == 100 and len(graded["tests"]) == 10, graded
    return samples


def main() -> None:
    table = Table("measure", "p50 ms", "p95 ms", "runs/s", "target")
    spawn = bare_spawn()
    spawn_p50, spawn_p95 = percentiles(spawn)
    table.add_row(
        "bare `python -I -S -c 'print(1)'` spawn (baseline)", f"{spawn_p50:.2f}", f"{spawn_p95:.2f}", "", ""
    )
    alone, layers = runner_alone()
    p50, p95 = percentiles(alone)
    table.add_row("runner alone, in-process zygote: print(1)", f"{p50:.2f}", f"{p95:.2f}", "", "")
    together, together_rate = runners_alone_concurrently()
    p50, p95 = percentiles(together)
    table.add_row(
        f"runners alone, {CONCURRENCY} zygotes, concurrency {CONCURRENCY}",
        f"{p50:.2f}",
        f"{p95:.2f}",
        f"{together_rate:.0f}",
        "",
    )
    data_dir = tempfile.mkdtemp(prefix="learnflow-bench-sandbox-")
    with running_cloud(Path(data_dir)) as cloud, httpx.Client(base_url=cloud.rest_url, timeout=30) as api:
        student, teacher = sign_up(api, "student"), sign_up(api, "teacher")
        one, _, _ = asyncio.run(execute_over_http(cloud.rest_url, student.access_token, 1, SAMPLES))
        many, rate, spent = asyncio.run(
            execute_over_http(cloud.rest_url, student.access_token, CONCURRENCY, SAMPLES * 2)
        )
        graded = grading(api, student.headers, teacher.headers)
    p50, p95 = percentiles(one)
    table.add_row(
        "POST /execute print(1), concurrency 1",
        f"{p50:.2f}",
        f"{p95:.2f}",
        "",
        f"p50 <= baseline ({p50 / spawn_p50:.2f}x)",
    )
    p50, p95 = percentiles(many)
    table.add_row(
        f"POST /execute print(1), concurrency {CONCURRENCY}",
        f"{p50:.2f}",
        f"{p95:.2f}",
        f"{rate:.0f}",
        ">= 300/s, p95 < 60",
    )
    p50, p95 = percentiles(graded)
    table.add_row("POST /exercises/{id}/submit, 10 tests", f"{p50:.2f}", f"{p95:.2f}", "", "p95 < 500")
    console.print(table)
    console.print(f"layers: {', '.join(layers)}; samples: {SAMPLES}; cores: {os.cpu_count()}")
    breakdown = Table("processor time per run at concurrency 20, by part", "ms", "share")
    total = sum(spent.values())
    for label, milliseconds in spent.most_common():
        breakdown.add_row(label, f"{milliseconds:.2f}", f"{milliseconds / total:.0%}")
    breakdown.add_row("all", f"{total:.2f}", f"(at most {os.cpu_count() or 1} x 1000 ms per second)")
    console.print(breakdown)


if __name__ == "__main__":
    main()
