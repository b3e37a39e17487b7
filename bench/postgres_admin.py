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


def create_database(url: str, name: str) -> None:
    admin_sql(url, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str, name: str) -> None:
    """Drop `name` if it exists, closing its connections (WITH FORCE)."""
    admin_sql(url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def database_comment(url: str, name: str) -> str | None:
    """The comment on the database `name` (None when it has none or does not exist)."""
    rows = admin_sql(url, "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name])
    return rows[0][0] if rows else None


def comment_database(url: str, name: str, comment: str) -> None:
    admin_sql(url, sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(comment)))
