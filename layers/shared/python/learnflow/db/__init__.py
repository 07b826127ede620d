"""Postgres access: a psycopg 3 connection pool and versioned migrations."""
