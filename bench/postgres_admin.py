"""What every bench needs of the PostgreSQL server it runs on: the default --database-url, the URL of
another database on the same server, and statements run outside any transaction (CREATE/DROP DATABASE).

Imported by the bench scripts as a sibling module (`python bench/<script>.py` puts bench/ on sys.path).
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

# a superuser's URL on the server; its own database is not touched
DEFAULT_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def with_database(url: str, name: str) -> str:
    """`url` pointing at the database `name` instead."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def admin_sql(url: str, statement: str | sql.Composable, params=None) -> list | None:
    """Run one statement in autocommit; its rows when it returns any."""
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(statement, params)
        return cursor.fetchall() if cursor.description else None
