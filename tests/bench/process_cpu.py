"""Where the machine's processor time goes during a benchmark, by the part of the system that spent it.

Reads every process's user + system time (its own, and its reaped children's: the sandbox's runs)
from /proc before and after a measured stretch, and groups the difference by what the process is.
"""

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")

#: (label, text in the command line); the first match names the process
PARTS: tuple[tuple[str, str], ...] = (
    ("gateways, Lambda API, Kafka mappings (learnflow dev)", "localcloud.cli dev"),
    ("execute_api workers", "functions.execute_api."),
    ("sandbox function workers", "sandbox_image.handler"),
    ("zygotes and the runs they fork", "sandbox_image.runner.zygote"),
    ("response_relay workers", "functions.response_relay."),
    ("other function workers", "localcloud.worker"),
    ("Kafka broker (Tansu)", "tansu"),
    ("PostgreSQL", "postgres"),
)


@dataclass(frozen=True)
class _Sample:
    label: str
    own_ticks: int
    children_ticks: int


def _label(command: str, pid: int) -> str:
    if pid == os.getpid():
        return "load generator (this benchmark)"
    for label, marker in PARTS:
        if marker in command:
            return label
    return "everything else on the machine"


def snapshot() -> dict[int, _Sample]:
    samples = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
        pid = int(entry.name)
        samples[pid] = _Sample(_label(command, pid), utime + stime, cutime + cstime)
    return samples


def milliseconds_per_operation(
    before: dict[int, _Sample], after: dict[int, _Sample], operations: int
) -> Counter[str]:
    """Processor milliseconds each part spent per operation between the two snapshots."""
    spent: Counter[str] = Counter()
    for pid, sample in after.items():
        earlier = before.get(pid)
        ticks = sample.own_ticks + sample.children_ticks
        if earlier is not None and earlier.label == sample.label:
            ticks -= earlier.own_ticks + earlier.children_ticks
        if ticks > 0:
            spent[sample.label] += ticks
    return Counter({label: ticks * 1000 / _TICKS / operations for label, ticks in spent.items()})
