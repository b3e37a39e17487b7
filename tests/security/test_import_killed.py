"""A failing or killed import leaves nothing half-written (issue 6, DESIGN §8).

The killed import is real: `manage.py db_worker` runs in a separate process against this test's database,
checks and starts writing a 12,000-row file the way the import page queues it, and is killed with SIGKILL
while the rows are being written. Nothing of the file may remain, and importing it again afterwards writes
every row exactly once. The failing import raises in the middle of writing, in this process.

A separate process only sees committed data, so the killed-worker test runs in a transactional test. Under
pytest-django, SQLite's test database lives in memory, where no other process can reach it: for that test
the database is copied to a file and this process switches to the file.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection

from opd.models import Opd
from pengadaan.imports import jobs, kinds, pipeline
from pengadaan.models import ImportJob, PaketRup, Pencatatan, PencatatanRup
from tests.conftest import client_for
from tests.factories import OpdFactory, PaketRupFactory, UserFactory
from tests.pengadaan.test_imports import NT_HEADER, csv_bytes, nt_row, xlsx

ROWS = 12_000
SPSE_SATKER = "16203093"  # the SPSE satker code in nt_row; an import that writes learns it on the OPD
TIMEOUT = 45  # seconds for any one wait; the whole module takes far less


def database_url_for_children(tmp_path: Path) -> str:
    """DATABASE_URL of this test's database for another process, switching SQLite in memory to a file."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(s["USER"]) + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
        return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{quote(s['NAME'])}"
    assert connection.vendor == "sqlite"
    if not connection.is_in_memory_db():
        return f"sqlite:///{s['NAME']}"
    path = tmp_path / "import-killed.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)  # the migrated schema, and what this test has written so far
    target.close()
    return f"sqlite:///{path}"


@pytest.fixture
def children_database(transactional_db, tmp_path):
    """A database this process and its children share; yields the children's DATABASE_URL."""
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    url = database_url_for_children(tmp_path)
    if not in_memory:
        yield url
        return
    # Switch this process to the file; the in-memory database stays open (closing it would destroy it)
    # and is switched back to before pytest-django flushes it.
    name, memory = connection.settings_dict["NAME"], connection.connection
    connection.connection = None
    connection.settings_dict["NAME"] = url.removeprefix("sqlite:///")
    try:
        yield url
    finally:
        connection.close()
        connection.settings_dict["NAME"], connection.connection = name, memory


def big_file(opd: Opd) -> bytes:
    """ROWS non-tender records as CSV (XLSX would take seconds to write here), each linking its own RUP package."""
    template = PaketRupFactory.build(opd=opd, tahun_anggaran=2024)
    fields = {f.attname: getattr(template, f.attname) for f in PaketRup._meta.concrete_fields if f.attname != "id"}
    PaketRup.objects.bulk_create(
        [PaketRup(**(fields | {"kd_rup": 50_000_000 + i, "nama_paket": f"RUP besar {i}"})) for i in range(ROWS)],
        batch_size=2000,
    )
    rows = [
        nt_row(opd, kd_nontender_pct=str(30_000_000 + i), kd_rup=str(50_000_000 + i), nama_paket=f"Paket besar {i}")
        for i in range(ROWS)
    ]
    return csv_bytes(NT_HEADER, rows)


# The worker, with one instrument: after each chunk of rows it has written (inside the import's still open
# transaction) and reported, it writes the rows done into the file argv[1]. The test kills it on that sign.
MARKED_WORKER = """
import os, sys
from pathlib import Path
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spse_tracker.settings")
import django
django.setup()
from django.core.management import call_command
from pengadaan.imports import jobs
report = jobs._report_progress
def reported(job_id, done):
    report(job_id, done)
    Path(sys.argv[1]).write_text(str(done))
jobs._report_progress = reported
call_command("db_worker", *sys.argv[2:])
"""
WORKER_ARGS = ("--no-reload", "--no-startup-delay", "--interval", "0.05")


def start_worker(url: str, tmp_path: Path, *extra: str, marker: Path | None = None) -> subprocess.Popen:
    log = (tmp_path / f"worker-{time.monotonic_ns()}.log").open("w")
    command = (
        [sys.executable, "-c", MARKED_WORKER, str(marker), *WORKER_ARGS, *extra]
        if marker
        else [sys.executable, "manage.py", "db_worker", *WORKER_ARGS, *extra]
    )
    return subprocess.Popen(  # noqa: S603 -- our own manage.py / db_worker with fixed arguments
        command,
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": url},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_for(what: str, condition, worker: subprocess.Popen | None = None):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if value := condition():
            return value
        assert worker is None or worker.poll() is None, f"the worker ended while waiting for {what}"
        time.sleep(0.01)
    raise AssertionError(f"waited {TIMEOUT} s for {what}")


def job_state(pk: int) -> tuple[str, int]:
    return ImportJob.objects.filter(pk=pk).values_list("status", "baris_diproses").get()


def nothing_written(opd: Opd) -> tuple:
    opd.refresh_from_db()
    return (
        Pencatatan.objects.count(),
        Pencatatan.history.count(),
        PencatatanRup.objects.count(),
        opd.kd_satker_spse,
    )


def test_killed_worker_leaves_nothing_and_a_second_import_writes_every_row_once(children_database, tmp_path):
    admin = UserFactory(username="admin", peran="admin", opd=None)
    opd = OpdFactory(kd_satker="60412", kd_satker_str="4.01.0.00.0.00.24.0000", kd_satker_spse=None)
    sqlite = connection.vendor == "sqlite"
    data = big_file(opd)
    job = jobs.create_job(user=admin, kind="nontender", filename="besar.csv", data=data, tahun=None, valid_only=False)
    assert job_state(job.pk) == (ImportJob.Status.MENUNGGU, 0)  # queued for the worker, as the page does

    marker = tmp_path / "rows-written"
    worker = start_worker(children_database, tmp_path, marker=marker)
    try:
        wait_for("the check", lambda: job_state(job.pk)[0] == ImportJob.Status.SIAP, worker)
        job.refresh_from_db()
        assert (job.ringkasan["dibuat"], job.kesalahan) == (ROWS, [])
        marker.unlink()  # the check reported its progress too; from here on it means rows written
        jobs.confirm_job(job, valid_only=False)  # what the "Tulis" button does
        written = wait_for("rows being written", lambda: marker.exists() and marker.read_text(), worker)
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait(TIMEOUT)
    assert 0 < int(written) < ROWS  # killed between two chunks of the one transaction
    assert worker.returncode == -signal.SIGKILL

    assert nothing_written(opd) == (0, 0, 0, None)
    # never marked done: it stays "being written", at the progress it had reached
    status, done = job_state(job.pk)
    assert (status, done == 0 if sqlite else 0 < done < ROWS) == (ImportJob.Status.MENULIS, True)

    # the same file again, through a fresh worker (run until the queue is empty): every row exactly once
    again = jobs.create_job(user=admin, kind="nontender", filename="besar.csv", data=data, tahun=None, valid_only=False)
    assert start_worker(children_database, tmp_path, "--batch").wait(TIMEOUT) == 0
    assert job_state(again.pk)[0] == ImportJob.Status.SIAP
    again.refresh_from_db()
    jobs.confirm_job(again, valid_only=False)
    assert start_worker(children_database, tmp_path, "--batch").wait(TIMEOUT) == 0
    again.refresh_from_db()
    assert (again.status, again.ringkasan["dibuat"], again.ringkasan["ditulis"]) == (
        ImportJob.Status.SELESAI,
        ROWS,
        True,
    )
    assert (
        Pencatatan.objects.count(),
        Pencatatan.objects.values("kd_nontender_pct").distinct().count(),
        Pencatatan.history.filter(history_type="+", history_user=admin).count(),
        Pencatatan.history.count(),
        PencatatanRup.objects.count(),
    ) == (ROWS, ROWS, ROWS, ROWS, ROWS)
    opd.refresh_from_db()
    assert opd.kd_satker_spse == SPSE_SATKER


def test_failure_in_the_middle_of_writing_leaves_nothing_and_says_so(db, monkeypatch):
    admin = UserFactory(username="admin", peran="admin", opd=None)
    opd = OpdFactory(kd_satker="60412", kd_satker_str="4.01.0.00.0.00.24.0000", kd_satker_spse=None)
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 2)
    rows = [nt_row(opd, kd_nontender_pct=str(32_601_000 + i)) for i in range(5)]
    job = jobs.create_job(
        user=admin, kind="nontender", filename="nt.xlsx", data=xlsx(NT_HEADER, rows), tahun=None, valid_only=False
    )
    assert job_state(job.pk) == (ImportJob.Status.SIAP, 5)

    # the database fails while the second chunk is written: the first is already in the transaction
    sync_links, written = kinds.PencatatanHandler._sync_links, []

    def failing_sync_links(targets):
        sync_links(targets)
        written.append(Pencatatan.objects.count())
        if len(written) == 2:
            raise OSError("disk penuh")

    monkeypatch.setattr(kinds.PencatatanHandler, "_sync_links", staticmethod(failing_sync_links))
    jobs.confirm_job(job, valid_only=False)

    assert written == [2, 4]  # records were in the database when it failed ...
    assert nothing_written(opd) == (0, 0, 0, None)  # ... and none is left
    job.refresh_from_db()
    assert (job.status, job.pesan) == (
        ImportJob.Status.GAGAL,
        "Impor gagal karena kesalahan sistem; tidak ada data yang ditulis.",
    )
    page = client_for(admin).get(job.get_absolute_url()).content.decode()
    assert "Impor gagal karena kesalahan sistem; tidak ada data yang ditulis." in page
