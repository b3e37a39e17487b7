"""SQLite (the quick start): pages keep reading while a big import writes (settings.SQLITE_OPTIONS).

The scenario is built on a database file of its own, whatever database the suite runs on: one
connection writes far more than SQLite's page cache holds inside an open transaction, as an import
does, while a second connection reads. With SQLite's default rollback journal the reader is locked
out ("database is locked"); with the project's options it reads the last committed data at once.
"""

from __future__ import annotations

import sqlite3
import time

import pytest
from django.conf import settings
from django.db.utils import ConnectionHandler

ROWS = 60_000  # about 12 MB of rows: well past SQLite's default page cache (2 MB)


@pytest.fixture(autouse=True)
def _own_database_files(django_db_blocker):
    # these tests open connections to files of their own, never the test database
    with django_db_blocker.unblock():
        yield


def _connections(path, options):
    """A writer and a reader connection to the file `path`, opened by Django's SQLite backend."""
    handlers = [
        ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": options}})
        for _ in range(2)
    ]
    wrappers = [h["default"] for h in handlers]
    for wrapper in wrappers:
        wrapper.ensure_connection()
    return wrappers


def _big_uncommitted_write(writer) -> None:
    raw = writer.connection
    raw.execute("CREATE TABLE paket (id INTEGER PRIMARY KEY, nama TEXT)")
    raw.execute("INSERT INTO paket (nama) VALUES ('sudah ada')")
    raw.commit()
    raw.execute("BEGIN IMMEDIATE")
    raw.executemany("INSERT INTO paket (nama) VALUES (?)", (("x" * 200,) for _ in range(ROWS)))


def _read_count(reader) -> int:
    return reader.connection.execute("SELECT COUNT(*) FROM paket").fetchone()[0]


def test_project_options_use_write_ahead_logging(tmp_path):
    writer, reader = _connections(tmp_path / "wal.sqlite3", settings.SQLITE_OPTIONS)
    try:
        assert writer.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert reader.connection.execute("PRAGMA busy_timeout").fetchone()[0] == 20_000
        assert writer.transaction_mode == "IMMEDIATE"
    finally:
        writer.close()
        reader.close()


def test_reader_is_locked_out_by_a_big_write_in_the_default_journal(tmp_path):
    # the problem the options solve, shown so that the next test is known to exercise it
    writer, reader = _connections(tmp_path / "journal.sqlite3", {"timeout": 0.2})
    try:
        _big_uncommitted_write(writer)
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            _read_count(reader)
        writer.connection.rollback()
    finally:
        writer.close()
        reader.close()


def test_reader_reads_committed_data_at_once_while_a_big_write_is_open(tmp_path):
    writer, reader = _connections(tmp_path / "wal.sqlite3", settings.SQLITE_OPTIONS)
    try:
        _big_uncommitted_write(writer)
        started = time.monotonic()
        assert _read_count(reader) == 1  # the committed row; the import's rows are not visible yet
        assert time.monotonic() - started < 1.0
        writer.connection.commit()
        assert _read_count(reader) == ROWS + 1
    finally:
        writer.close()
        reader.close()
