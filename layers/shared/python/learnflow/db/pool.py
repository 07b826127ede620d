"""One connection pool per execution environment, opened lazily on first use."""

from functools import cache

from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool


@cache
def connection_pool(database_url: str, max_size: int = 4) -> ConnectionPool:
    pool = ConnectionPool(
        database_url,
        min_size=1,
        max_size=max_size,
        kwargs={"row_factory": dict_row, "autocommit": False},
        open=False,
        name="learnflow",
    )
    pool.open(wait=True, timeout=10)
    return pool
