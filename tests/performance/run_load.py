"""`make load`: LearnFlow's load test against a fresh local cloud, started as `make dev` starts it.

Starts `python -m localcloud.cli dev` with `make dev`'s settings (only its ports and its data dir
differ: a fresh `.learnflow/load/<timestamp>/`), runs tests/performance/locustfile.py headless
against it (127.0.0.1 only), stops both, prints each entry's requests, failures and p50/p95/p99, and
exits non-zero when any request failed.

    USERS=100 DURATION=5m SPAWN_RATE=5 .venv/bin/python -m tests.performance.run_load

The data dir keeps the reports (`locust_stats.csv`, `locust_failures.csv`, `locust.html`,
`locust.log`) beside the local cloud's own logs (`logs/gateway.log`, `logs/<function>.log`), and a
metrics snapshot: the local cloud's `/metrics` is scraped every few seconds during the run and once
at the end; `metrics.json` holds the peaks (environments, queue wait, outbox, consumer lag, sockets)
and the final totals, `metrics.txt` the last scrape as it came (docs/observability.md).
"""

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tests.cloud_process import RunningCloud, running_cloud
from tests.conftest import REPO_ROOT
from tests.performance.targets import is_loopback, parse_duration

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
MAX_USERS = 1000
MAX_SECONDS = 3600
#: after DURATION, how long locust may take to stop its users and write its reports
STOP_GRACE_SECONDS = 90
#: how often the local cloud's /metrics is scraped during the run (a scrape costs about a millisecond)
SCRAPE_EVERY_SECONDS = 5.0

console = Console()


@dataclass(frozen=True)
class LoadSettings:
    users: int
    spawn_rate: float
    duration: str
    seconds: int

    @classmethod
    def from_environment(cls) -> "LoadSettings":
        users = int(os.environ.get("USERS", "100"))
        spawn_rate = float(os.environ.get("SPAWN_RATE", "5"))
        duration = os.environ.get("DURATION", "5m")
        seconds = parse_duration(duration)
        if not 0 < users <= MAX_USERS:
            raise ValueError(f"USERS={users}: between 1 and {MAX_USERS}")
        if not spawn_rate > 0:
            raise ValueError(f"SPAWN_RATE={spawn_rate}: users started per second, above 0")
        if not 0 < seconds <= MAX_SECONDS:
            raise ValueError(f"DURATION={duration}: between 1s and {MAX_SECONDS // 60}m")
        return cls(users, spawn_rate, duration, seconds)


@dataclass(frozen=True)
class Entry:
    kind: str
    name: str
    requests: int
    failures: int
    p50: str
    p95: str
    p99: str
    per_second: float


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="") as rows:
        return list(csv.DictReader(rows))


def read_entries(stats_csv: Path) -> list[Entry]:
    return [
        Entry(
            row["Type"],
            row["Name"],
            int(row["Request Count"]),
            int(row["Failure Count"]),
            row["50%"],
            row["95%"],
            row["99%"],
            float(row["Requests/s"] or 0),
        )
        for row in read_csv(stats_csv)
    ]


def live_line(history_csv: Path) -> str:
    """The latest aggregated figures locust wrote (every second) while it runs."""
    rows = read_csv(history_csv)
    if not rows:
        return "starting users"
    last = rows[-1]
    return (
        f"users {last['User Count']}  requests {last['Total Request Count']}  "
        f"failures {last['Total Failure Count']}  req/s {float(last['Requests/s'] or 0):.1f}  "
        f"p50 {last['50%']} ms  p95 {last['95%']} ms"
    )


Samples = dict[str, dict[frozenset[tuple[str, str]], float]]

#: the final figures: a title and the metric whose samples are summed (optionally only those labelled so)
TOTALS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("function invocations", "localcloud_function_invocations_total", {}),
    ("function errors", "localcloud_function_errors_total", {}),
    ("function throttles", "localcloud_function_throttles_total", {}),
    ("cold starts", "localcloud_function_cold_starts_total", {}),
    ("REST 2xx", "localcloud_rest_requests_total", {"status_class": "2xx"}),
    ("REST 4xx", "localcloud_rest_requests_total", {"status_class": "4xx"}),
    ("REST 5xx", "localcloud_rest_requests_total", {"status_class": "5xx"}),
    ("@connections posts", "localcloud_connections_posts_total", {}),
    ("Kafka records", "localcloud_kafka_records_total", {}),
    ("Kafka batch failures", "localcloud_kafka_batch_failures_total", {}),
    ("Kafka retries", "localcloud_kafka_retries_total", {}),
    ("dead-lettered records", "localcloud_kafka_dead_lettered_records_total", {}),
    ("questions asked", "learnflow_questions_asked_total", {}),
    ("tutor answers", "learnflow_tutor_answers_total", {}),
    ("programs run", "learnflow_programs_run_total", {}),
    ("submissions graded", "learnflow_submissions_graded_total", {}),
    ("notifications sent", "learnflow_notifications_sent_total", {}),
    ("poison records parked", "learnflow_poison_records_parked_total", {}),
)


def parse_metrics(text: str) -> Samples:
    samples: Samples = defaultdict(dict)
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[sample.name][frozenset(sample.labels.items())] = sample.value
    return samples


def total(samples: Samples, name: str, **labels: str) -> float:
    wanted = set(labels.items())
    return sum(value for key, value in samples.get(name, {}).items() if wanted <= key)


def highest(samples: Samples, name: str) -> float:
    return max(samples.get(name, {}).values(), default=0.0)


@dataclass
class MetricsWatch:
    """Scrapes the local cloud's /metrics now and then, keeping the peaks; cheap beside the load."""

    url: str
    peaks: dict[str, float] = field(default_factory=dict)
    last: Samples = field(default_factory=dict)
    last_text: str = ""
    _next_at: float = 0.0

    def poll(self) -> None:
        if time.monotonic() >= self._next_at:
            self._next_at = time.monotonic() + SCRAPE_EVERY_SECONDS
            self.scrape()

    def scrape(self) -> None:
        try:
            response = httpx.get(self.url, timeout=5)
            response.raise_for_status()
        except httpx.HTTPError:
            return  # a scrape missed under load is no failure of the system under test
        samples = parse_metrics(response.text)
        waited = total(samples, "localcloud_function_queued_seconds_count") - total(
            self.last, "localcloud_function_queued_seconds_count"
        )
        waited_seconds = total(samples, "localcloud_function_queued_seconds_sum") - total(
            self.last, "localcloud_function_queued_seconds_sum"
        )
        peaks = {
            "execution environments (all functions)": total(samples, "localcloud_function_workers"),
            "mean wait for an environment over 5 s (ms)": waited_seconds / waited * 1000 if waited else 0.0,
            "outbox rows pending": total(samples, "localcloud_outbox_pending_events"),
            "oldest outbox row pending (s)": total(samples, "localcloud_outbox_oldest_pending_age_seconds"),
            "Kafka consumer lag, worst mapping (records)": highest(samples, "localcloud_kafka_consumer_lag"),
            "WebSocket connections open": total(samples, "localcloud_websocket_connections_open"),
        }
        for name, value in peaks.items():
            self.peaks[name] = max(value, self.peaks.get(name, 0.0))
        self.last, self.last_text = samples, response.text

    def totals(self) -> dict[str, float]:
        return {title: total(self.last, name, **labels) for title, name, labels in TOTALS}

    def save(self, out: Path) -> None:
        (out / "metrics.txt").write_text(self.last_text)
        snapshot = {"peaks": self.peaks, "totals": self.totals()}
        (out / "metrics.json").write_text(json.dumps(snapshot, indent=2) + "\n")


def metrics_report(watch: MetricsWatch) -> None:
    table = Table(title="Local cloud metrics (/metrics)")
    table.add_column("peak during the run")
    table.add_column("", justify="right")
    table.add_column("total at the end")
    table.add_column("", justify="right")
    peaks, totals = list(watch.peaks.items()), [item for item in watch.totals().items() if item[1]]
    for index in range(max(len(peaks), len(totals))):
        peak = peaks[index] if index < len(peaks) else ("", None)
        final = totals[index] if index < len(totals) else ("", None)
        table.add_row(
            peak[0],
            "" if peak[1] is None else f"{peak[1]:g}",
            final[0],
            "" if final[1] is None else f"{final[1]:g}",
        )
    console.print(table)


def locust_command(cloud: RunningCloud, settings: LoadSettings, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--host",
        cloud.rest_url,
        "--websocket-url",
        cloud.websocket_url,
        "--headless",
        "-u",
        str(settings.users),
        "-r",
        f"{settings.spawn_rate:g}",
        "-t",
        settings.duration,
        "--csv",
        str(out / "locust"),
        "--html",
        str(out / "locust.html"),
        "--only-summary",
    ]


def run_locust(cloud: RunningCloud, settings: LoadSettings, out: Path, watch: MetricsWatch) -> int:
    """Runs locust until DURATION is over (it stops by itself); its exit code."""
    if not (is_loopback(cloud.rest_url) and is_loopback(cloud.websocket_url)):
        raise RuntimeError(f"refusing to load anything but this machine: {cloud.rest_url}")
    with (out / "locust.log").open("w") as log:
        process = subprocess.Popen(
            locust_command(cloud, settings, out),
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
    deadline = time.monotonic() + settings.seconds + STOP_GRACE_SECONDS
    columns = (
        TextColumn("[bold]load"),
        BarColumn(bar_width=20),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("starting users", total=settings.seconds)
        started = time.monotonic()
        try:
            while process.poll() is None:
                if time.monotonic() > deadline:
                    console.print(f"[red]locust still ran {STOP_GRACE_SECONDS} s after DURATION: stopping it")
                    process.send_signal(signal.SIGINT)
                    try:
                        process.wait(15)
                    except subprocess.TimeoutExpired:
                        process.kill()
                    break
                watch.poll()
                progress.update(
                    task,
                    completed=min(time.monotonic() - started, settings.seconds),
                    description=live_line(out / "locust_stats_history.csv"),
                )
                time.sleep(1)
        except KeyboardInterrupt:
            process.send_signal(signal.SIGINT)
            process.wait(30)
            raise
    return process.wait()


def report(entries: list[Entry], failures: list[dict[str, str]], settings: LoadSettings) -> None:
    title = f"{settings.users} users, spawn rate {settings.spawn_rate:g}/s, {settings.duration}"
    table = Table(title=f"Load test: {title}")
    for column in ("type", "entry"):
        table.add_column(column)
    for column in ("requests", "failures", "req/s", "p50 ms", "p95 ms", "p99 ms"):
        table.add_column(column, justify="right")
    for entry in entries:
        last = entry.name == "Aggregated"
        failed = f"[red]{entry.failures}[/red]" if entry.failures else "0"
        table.add_row(
            entry.kind,
            escape(entry.name),
            str(entry.requests),
            failed,
            f"{entry.per_second:.1f}",
            entry.p50,
            entry.p95,
            entry.p99,
            style="bold" if last else None,
            end_section=entry is entries[-2] if len(entries) > 1 else False,
        )
    console.print(table)
    if failures:
        errors = Table(title="Failures")
        for column in ("method", "entry", "error"):
            errors.add_column(column)
        errors.add_column("times", justify="right")
        for failure in failures:
            errors.add_row(*(escape(failure[key]) for key in ("Method", "Name", "Error", "Occurrences")))
        console.print(errors)


def main() -> int:
    try:
        settings = LoadSettings.from_environment()
    except ValueError as invalid:
        console.print(f"[red]{invalid}")
        return 2
    out = REPO_ROOT / ".learnflow" / "load" / datetime.now().strftime("%Y%m%d-%H%M%S")
    out.mkdir(parents=True)
    console.print(f"Starting a fresh local cloud (data dir {out.relative_to(REPO_ROOT)})")
    with ExitStack() as stack:
        with console.status("the local cloud is starting"):
            cloud = stack.enter_context(running_cloud(out, base_settings={}))
        console.print(
            f"Local cloud ready: {cloud.rest_url}, {cloud.websocket_url}; "
            f"{settings.users} users at {settings.spawn_rate:g}/s for {settings.duration}"
        )
        watch = MetricsWatch(f"{cloud.state()['management_url']}/metrics")
        code = run_locust(cloud, settings, out, watch)
        watch.scrape()
        watch.save(out)
        console.print("Stopping the local cloud")
    entries = read_entries(out / "locust_stats.csv")
    failures = read_csv(out / "locust_failures.csv")
    report(entries, failures, settings)
    metrics_report(watch)
    total = next((entry for entry in entries if entry.name == "Aggregated"), None)
    console.print(
        f"Reports: {out}/locust.html, locust_stats.csv, locust_failures.csv, locust.log, metrics.json; "
        f"the local cloud's logs: {out}/logs/"
    )
    if total is None or total.requests == 0:
        console.print(f"[red]No request was made (locust exited {code}): see {out}/locust.log")
        return 1
    if total.failures:
        console.print(f"[red]{total.failures} of {total.requests} requests failed")
        return 1
    if code != 0:
        console.print(f"[red]locust exited {code}: see {out}/locust.log")
        return code
    console.print(f"[green]{total.requests} requests, none failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
