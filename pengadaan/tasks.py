"""Background tasks (django-tasks; the database backend's `db_worker` runs them). Tasks take primary keys."""

from __future__ import annotations

from django_tasks import task


@task()
def jalankan_impor(job_id: int, tahap: str) -> None:
    """Check (`periksa`) or write (`tulis`) an import job."""
    from pengadaan.imports.jobs import run_step

    run_step(job_id, tahap)
