"""One connection pool per execution environment, opened lazily on first use.

While the database is unreachable a request waits at most WAIT_SECONDS for a connection and then
fails (PoolTimeout, which the REST layer answers 503 with Retry-After); the pool keeps reconnecting
in the background, so the environment heals by itself when the database (or RDS Proxy's failover)
is back.
"""

from functools import cache
from typing import Any

from psycopg import Connection
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

type DictConnection = Connection[dict[str, Any]]
type Pool = ConnectionPool[DictConnection]

WAIT_SECONDS = 1.0
# the pool's reconnection backs off (1, 2, 4 s...): give up a chain after this long, so the next
# request starts a fresh one and a database that came back is found within seconds, not minutes
RECONNECT_SECONDS = 2.0
CONNECT_TIMEOUT_SECONDS = 2  # libpq's smallest


@cache
def connection_pool(database_url: str, max_size: int = 4) -> Pool:
    """The execution environment's shared pool."""
    return open_pool(database_url, max_size)


def open_pool(database_url: str, max_size: int) -> Pool:
    """A pool of the caller's own, which the caller closes."""
    pool: Pool = ConnectionPool(
        database_url,
        connection_class=Connection[dict[str, Any]],
        min_size=1,
        max_size=max_size,
        kwargs={"row_factory": dict_row, "autocommit": False, "connect_timeout": CONNECT_TIMEOUT_SECONDS},
        timeout=WAIT_SECONDS,
        reconnect_timeout=RECONNECT_SECONDS,
        # a connection the server dropped (a restart, RDS Proxy's failover) is replaced, not handed out
        check=ConnectionPool.check_connection,
        open=False,
        name="learnflow",
    )
    pool.open(wait=False)
    return pool
