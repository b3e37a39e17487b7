"""Background tasks (django-tasks; the database backend's `db_worker` runs them). Tasks take primary keys."""

from __future__ import annotations

from django_tasks import task


@task()
def jalankan_impor(job_id: int, tahap: str) -> None:
    """Check (`periksa`) or write (`tulis`) an import job."""
    from pengadaan.imports.jobs import run_step

    run_step(job_id, tahap)


@task()
def segarkan_ringkasan() -> None:
    """Recompute the dashboard summaries that writes made out of date (pengadaan.ringkasan)."""
    from pengadaan.ringkasan import refresh_stale

    refresh_stale()
