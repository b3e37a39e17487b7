"""Import jobs: check a file, show what it would do, write it when the person confirms.

Small files are checked and written within the request; from IMPORT_BACKGROUND_ROWS
rows on, each step runs in the task worker and the page shows its progress. The file
and the state live in the ImportJob row, so any app server or worker can continue.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from pengadaan.imports import pipeline
from pengadaan.imports.files import ImportFileError, read_table
from pengadaan.models import ImportJob

log = logging.getLogger(__name__)
MAX_STORED_ERRORS = 50_000


def background_threshold() -> int:
    return getattr(settings, "IMPORT_BACKGROUND_ROWS", 5000)


def create_job(*, user, kind: str, filename: str, data: bytes, tahun: int | None, valid_only: bool) -> ImportJob:
    """Refuse an unreadable or hostile file at once (ImportFileError); otherwise store it and start the check.

    Side effects: an ImportJob; the check runs now (small file) or is queued for the worker.
    """
    table = read_table(data, filename)
    pipeline.check_columns(kind, table.headers, tahun=tahun)
    job = ImportJob.objects.create(
        jenis=kind,
        nama_berkas=filename[:255],
        isi_berkas=data,
        tahun=tahun,
        hanya_valid=valid_only,
        jumlah_baris=table.total_rows,
        dibuat_oleh=user,
    )
    _start(job, "periksa")
    return job


def confirm_job(job: ImportJob, *, valid_only: bool) -> None:
    """Write a checked job. Side effects: the job's status; the write runs now or in the worker."""
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.SIAP).update(
        status=ImportJob.Status.MENULIS, hanya_valid=valid_only, baris_diproses=0
    )
    if updated:  # a double click confirms once
        job.refresh_from_db()
        _start(job, "tulis")


def _start(job: ImportJob, step: str) -> None:
    if job.jumlah_baris >= background_threshold():
        # the worker has no request to take a language from: its messages are in the uploader's
        language = translation.get_language()
        transaction.on_commit(lambda: jalankan_impor.enqueue(job.pk, step, language))
    else:
        run_step(job.pk, step)


@task()
def jalankan_impor(job_id: int, tahap: str, bahasa: str | None = None) -> None:
    """The worker's side of `_start`: check (`periksa`) or write (`tulis`) a job, its messages in `bahasa`
    (default: the site's). Tasks take primary keys."""
    with translation.override(bahasa or settings.LANGUAGE_CODE):
        run_step(job_id, tahap)


def run_step(job_id: int, step: str) -> None:
    """Check (`periksa`) or write (`tulis`) a job; any failure marks it Gagal with a message, never half-written."""
    job = ImportJob.objects.get(pk=job_id)
    writing = step == "tulis"
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.MENULIS if writing else ImportJob.Status.MEMERIKSA,
        baris_diproses=0,
        diperbarui_pada=timezone.now(),
    )

    def progress(done: int, total: int) -> None:
        _report_progress(job_id, done)

    try:
        outcome = pipeline.run(
            job.jenis,
            bytes(job.isi_berkas),
            job.nama_berkas,
            user=job.dibuat_oleh,
            tahun=job.tahun,
            dry_run=not writing,
            valid_only=job.hanya_valid,
            reason=_("Impor #%(id)d: %(file)s") % {"id": job.pk, "file": job.nama_berkas},
            progress=progress,
        )
    except ImportFileError as exc:
        _finish(job_id, ImportJob.Status.GAGAL, pesan=str(exc))
        return
    except Exception:
        log.exception("impor %s gagal", job_id)
        _finish(
            job_id, ImportJob.Status.GAGAL, pesan=_("Impor gagal karena kesalahan sistem; tidak ada data yang ditulis.")
        )
        return
    if writing and not outcome.written:
        status, pesan = (
            ImportJob.Status.GAGAL,
            _("Data berubah sejak diperiksa dan kini ada baris yang salah; tidak ada data yang ditulis."),
        )
    else:
        status, pesan = (ImportJob.Status.SELESAI if writing else ImportJob.Status.SIAP), ""
    _finish(job_id, status, pesan=pesan, outcome=outcome)


def _report_progress(job_id: int, done: int) -> None:
    """Store how many rows are done where the progress bar can read it while the import runs.

    The import runs in one transaction, so progress saved on its connection would show only when the
    transaction ends (tests/security/test_import_killed.py found the bar standing still until then). A
    thread has a connection of its own, outside that transaction; it skips a job row that a caller's open
    transaction has locked instead of waiting for it (which would wait forever). SQLite lets only one
    connection write at a time, so there the progress stays on the import's connection.
    """
    if connection.vendor == "sqlite":
        ImportJob.objects.filter(pk=job_id).update(baris_diproses=done, diperbarui_pada=timezone.now())
        return

    def update() -> None:
        try:
            with transaction.atomic():
                free = list(
                    ImportJob.objects.select_for_update(skip_locked=True).filter(pk=job_id).values_list("pk", flat=True)
                )
                ImportJob.objects.filter(pk__in=free).update(baris_diproses=done, diperbarui_pada=timezone.now())
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=update, name=f"impor-{job_id}-kemajuan")
    thread.start()
    thread.join()


def _finish(job_id: int, status: str, *, pesan: str = "", outcome: pipeline.Outcome | None = None) -> None:
    fields = {"status": status, "pesan": pesan, "diperbarui_pada": timezone.now()}
    if outcome is not None:
        fields["ringkasan"] = outcome.as_dict()
        fields["kesalahan"] = [list(e) for e in outcome.errors[:MAX_STORED_ERRORS]]
        fields["baris_diproses"] = outcome.total
    ImportJob.objects.filter(pk=job_id).update(**fields)


RUNNING = (ImportJob.Status.MEMERIKSA, ImportJob.Status.MENULIS)


def stalled_after() -> timedelta:
    return timedelta(minutes=getattr(settings, "IMPORT_STALLED_MINUTES", 10))


def check_stalled(job: ImportJob) -> ImportJob:
    """Mark Gagal a job whose worker stopped (killed, server restarted) mid-way; returns the job as it is now.

    A running import reports progress every 5,000 rows (a few seconds); a job that has reported
    nothing for `IMPORT_STALLED_MINUTES` (10) has lost its worker. Its transaction was rolled back
    with the worker, so nothing of it is written; the person is told to upload the file again.
    Side effects: at most one ImportJob update, only if nobody updated the job meanwhile.
    """
    if job.status not in RUNNING or job.diperbarui_pada > timezone.now() - stalled_after():
        return job
    stopped = ImportJob.objects.filter(pk=job.pk, status=job.status, diperbarui_pada=job.diperbarui_pada).update(
        status=ImportJob.Status.GAGAL,
        pesan=_(
            "Impor terhenti: proses latar berhenti sebelum selesai (misalnya server dimulai ulang); "
            "tidak ada data yang ditulis. Unggah berkasnya lagi."
        ),
        diperbarui_pada=timezone.now(),
    )
    if stopped:
        log.warning("impor %s terhenti tanpa kabar sejak %s; ditandai gagal", job.pk, job.diperbarui_pada)
    return ImportJob.objects.defer("isi_berkas").get(pk=job.pk)
