"""The local cloud's configuration, from the environment variables of the contract."""

import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# Tansu answers a fetch some time into its max wait even when records arrive sooner: about 250 ms
# at aiokafka's default of 500 ms. Shorter waits deliver sooner but poll more: 10 ms costs the idle
# cloud about a sixth of this 2-core machine, 50 ms about a fifteenth (docs/benchmarks.md).
FETCH_MAX_WAIT_MS = 50
API_ID = "local"
STAGE = "local"


def host_variable(name: str, default: str = "") -> str:
    """A variable of the environment the local cloud was started in ("" or `default` when unset)."""
    return os.environ.get(name) or default


def host_variables(names: Iterable[str]) -> dict[str, str]:
    """Those of `names` that are set in the local cloud's own environment, to pass to a function."""
    return {name: value for name in names if (value := os.environ.get(name))}


@dataclass(frozen=True)
class CloudConfig:
    data_dir: Path
    http_port: int
    ws_port: int
    external_database_url: str | None
    external_kafka: str | None
    cors_origins: tuple[str, ...]
    throttle_rate: float
    throttle_burst: int
    schedule_seconds: float | None
    kafka_restart_delay_seconds: float
    kafka_fetch_wait_ms: int
    max_workers: int | None = None
    host: str = "127.0.0.1"

    @classmethod
    def from_environment(cls) -> "CloudConfig":
        env = os.environ
        schedule = env.get("LEARNFLOW_SCHEDULE_SECONDS")
        return cls(
            data_dir=Path(env.get("LEARNFLOW_DATA_DIR", str(REPO_ROOT / ".learnflow"))).resolve(),
            http_port=int(env.get("LEARNFLOW_HTTP_PORT", "8180")),
            ws_port=int(env.get("LEARNFLOW_WS_PORT", "3001")),
            external_database_url=env.get("DATABASE_URL") or None,
            external_kafka=env.get("KAFKA_BOOTSTRAP_SERVERS") or None,
            cors_origins=tuple(
                origin.strip()
                for origin in env.get("LEARNFLOW_CORS_ORIGINS", "http://localhost:3000").split(",")
                if origin.strip()
            ),
            throttle_rate=float(env.get("LEARNFLOW_THROTTLE_RATE", "200")),
            throttle_burst=int(env.get("LEARNFLOW_THROTTLE_BURST", "400")),
            schedule_seconds=float(schedule) if schedule else None,
            kafka_restart_delay_seconds=float(env.get("LEARNFLOW_KAFKA_RESTART_DELAY_SECONDS", "1")),
            kafka_fetch_wait_ms=int(env.get("LEARNFLOW_KAFKA_FETCH_WAIT_MS", str(FETCH_MAX_WAIT_MS))),
            max_workers=int(env["LEARNFLOW_MAX_WORKERS"]) if env.get("LEARNFLOW_MAX_WORKERS") else None,
        )

    @property
    def rest_url(self) -> str:
        return f"http://{self.host}:{self.http_port}"

    @property
    def websocket_url(self) -> str:
        return f"ws://{self.host}:{self.ws_port}"

    @property
    def connections_url(self) -> str:
        return f"http://{self.host}:{self.ws_port}"

    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    def jwt_secret(self) -> str:
        """The development signing key: made once per data dir, never printed or committed."""
        path = self.data_dir / "jwt-signing-key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(48))
        return path.read_text().strip()
