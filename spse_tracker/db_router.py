"""Reads of dashboards and exports on a read replica, when one is configured (DATABASE_REPLICA_URL).

Opt-in: only code run inside `use_replica()` reads the replica. Everything else, and every
write, uses the primary, so a person always sees what they have just saved (a replica lags
by a moment). Without a "replica" database alias, `use_replica()` changes nothing.

    @use_replica()
    def dashboard(request): ...

    with use_replica():
        rows = selectors.dashboard_rows(...)

The flag is a context variable: per thread and per asyncio task, never shared between requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


@contextmanager
def use_replica() -> Iterator[None]:
    """Send the reads of the enclosed block (or decorated function) to the replica, if there is one.

    Works as a decorator too (`@use_replica()`); each call gets its own context. Querysets
    evaluated after the block ends (for example by a streaming response) read the primary.
    """
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def reading_replica() -> bool:
    """True inside `use_replica()` when a replica database is configured."""
    return _reading_replica.get() and REPLICA in connections.settings


class ReplicaRouter:
    """Reads go to the replica only inside `use_replica()`; writes and migrations to the primary."""

    def db_for_read(self, model, **hints) -> str:
        return REPLICA if reading_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Both aliases hold the same data (the replica follows the primary).
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


def replica_alias() -> str:
    """The alias to read a long export from: the replica when one is configured, else the primary.

    For querysets that are read after the view returns (streamed responses), where the
    `use_replica()` flag would no longer be set.
    """
    return REPLICA if REPLICA in connections.settings else DEFAULT_DB_ALIAS
