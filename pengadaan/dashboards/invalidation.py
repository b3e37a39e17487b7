"""Invalidation of the stored dashboard numbers (`pengadaan.dashboards.ringkasan`).

Every write that can change an (OPD, year)'s numbers or flags raises its `generasi` inside the
writer's own transaction: the receivers below for saves and deletes (forms, services, admin;
connected by `connect_receivers` in `PengadaanConfig.ready`), `mark_years` and `mark_records`
for bulk imports, `mark_all` when a supplier's NPWP changes (red flag rule 1 groups by it). After
the transaction commits, the worker is asked once to recompute (`ringkasan.segarkan_ringkasan`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_init, post_save

from opd.models import Opd
from pengadaan.dashboards import ringkasan
from pengadaan.models import PaketRup, Pencatatan, PencatatanRup, Penyedia, Realisasi, RingkasanOpd

logger = logging.getLogger(__name__)

_TABLE = RingkasanOpd._meta.db_table
_UPSERT = f"ON CONFLICT (opd_id, tahun) DO UPDATE SET generasi = {_TABLE}.generasi + 1"


def mark(keys: Iterable[tuple[int | None, int | None]]) -> None:
    """Raise the generasi of each (OPD pk, year) in `keys` (creating its row if missing)."""
    keys = sorted({(o, t) for o, t in keys if o is not None and t is not None})
    if not keys:
        return
    values = ", ".join(["(%s, %s)"] * len(keys))
    params = [value for key in keys for value in key]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {_TABLE} (opd_id, tahun) VALUES {values} {_UPSERT}", params)  # noqa: S608


def mark_records(pencatatan_ids: Iterable[int]) -> None:
    """Raise the generasi of the (OPD, year) of each record in `pencatatan_ids`."""
    ids = sorted(set(pencatatan_ids))
    if not ids:
        return
    records = Pencatatan._meta.db_table
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_TABLE} (opd_id, tahun) SELECT opd_id, tahun_anggaran FROM {records} "  # noqa: S608
            f"WHERE id IN ({placeholders}) GROUP BY opd_id, tahun_anggaran {_UPSERT}",
            ids,
        )


def mark_years(years: Iterable[int]) -> None:
    """Raise the generasi of every OPD in each of `years` (bulk imports)."""
    years = sorted(set(years))
    if years:
        mark((pk, year) for pk in Opd.objects.order_by("pk").values_list("pk", flat=True) for year in years)


def mark_all() -> None:
    """Raise the generasi of every stored summary (a supplier's NPWP changed: red flag rule 1)."""
    RingkasanOpd.objects.update(generasi=F("generasi") + 1)


def _enqueue_refresh() -> None:
    try:
        ringkasan.segarkan_ringkasan.enqueue()
    except Exception:  # the next reader that finds them out of date asks again (ringkasan.request_refresh)
        logger.exception("could not queue the summary refresh")


def _queue_refresh() -> None:
    """After the change commits, let the worker recompute what it made out of date (once per transaction)."""
    if any(callback is _enqueue_refresh for _sids, callback, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue_refresh)


def _key(instance, opd: str = "opd_id", tahun: str = "tahun_anggaran") -> tuple[int | None, int | None]:
    # __dict__, not getattr: a deferred field must not cost a query per loaded object
    return instance.__dict__.get(opd), instance.__dict__.get(tahun)


def _remember_key(sender, instance, **kwargs) -> None:
    instance._ringkasan_key = _key(instance)


def _record_changed(sender, instance, **kwargs) -> None:
    mark([_key(instance), getattr(instance, "_ringkasan_key", (None, None))])
    instance._ringkasan_key = _key(instance)
    _queue_refresh()


def _child_changed(sender, instance, **kwargs) -> None:
    mark_records([instance.pencatatan_id])
    _queue_refresh()


def _penyedia_changed(sender, instance, created, update_fields=None, **kwargs) -> None:
    # a new supplier changes nothing until a payment names it (and that payment raises its OPD);
    # a changed NPWP can join or split rule 1's groups anywhere
    if not created and (update_fields is None or "npwp" in update_fields):
        mark_all()
        _queue_refresh()


def connect_receivers() -> None:
    """Keep the stored summaries in step with every save and delete of what they are computed from
    (called once, from `PengadaanConfig.ready`)."""
    for model in (Pencatatan, PaketRup):
        post_init.connect(_remember_key, sender=model, dispatch_uid=f"ringkasan-key-{model.__name__}")
        for signal in (post_save, post_delete):
            signal.connect(_record_changed, sender=model, dispatch_uid=f"ringkasan-record-{model.__name__}")
    for model in (Realisasi, PencatatanRup):
        for signal in (post_save, post_delete):
            signal.connect(_child_changed, sender=model, dispatch_uid=f"ringkasan-child-{model.__name__}")
    post_save.connect(_penyedia_changed, sender=Penyedia, dispatch_uid="ringkasan-penyedia")
