"""Background tasks (django-tasks; the database backend's `db_worker` runs them). Tasks take primary keys."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django_tasks import task


@task()
def jalankan_impor(job_id: int, tahap: str, bahasa: str | None = None) -> None:
    """Check (`periksa`) or write (`tulis`) an import job; its messages in `bahasa` (default: the site's)."""
    from pengadaan.imports.jobs import run_step

    with translation.override(bahasa or settings.LANGUAGE_CODE):
        run_step(job_id, tahap)


@task()
def segarkan_ringkasan() -> None:
    """Recompute the dashboard summaries that writes made out of date (pengadaan.ringkasan)."""
    from pengadaan.ringkasan import refresh_stale

    refresh_stale()
