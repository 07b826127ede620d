"""Finding the local cloud's parts among the machine's processes, to kill them."""

from pathlib import Path

from tests.cloud_process import RunningCloud


def _parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def children_of(pid: int) -> list[int]:
    pids = (int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit())
    return [child for child in pids if _parent_of(child) == pid]


def workers_of(cloud: RunningCloud, function: str) -> list[int]:
    """The execution environments of one function: the processes its template forked."""
    handler = f"functions.{function}.handler"
    templates = [pid for pid in children_of(cloud.process.pid) if handler in _command_line(pid)]
    return [worker for template in templates for worker in children_of(template)]


def postgres_pid(cloud: RunningCloud) -> int:
    return int((cloud.data_dir / "postgres" / "postmaster.pid").read_text().split("\n", 1)[0])


def broker_pid(cloud: RunningCloud) -> int:
    return int((cloud.data_dir / "kafka.pid").read_text().split()[0])
