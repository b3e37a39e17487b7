"""`seed_pengadaan`: clear the demo years, plan the demo in memory, then write it in bulk.

Planning and writing are apart so that the random draws happen in one fixed order (see
`rencana`) and the database sees a handful of bulk inserts rather than one query per row.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Q
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from opd.models import Opd
from pengadaan.demo.pencatatan import pencatatan_opd_plan
from pengadaan.demo.penyedia import penyedia_draw, penyedia_upsert
from pengadaan.demo.rekonsiliasi import rekonsiliasi_jumlah, rekonsiliasi_plan
from pengadaan.demo.rencana import DemoPlan
from pengadaan.demo.rup import rup_opd_plan
from pengadaan.demo.tanda_bahaya import tanda_bahaya_plan
from pengadaan.models import (
    BuktiRealisasi,
    PadananSpse,
    PaketRup,
    Pencatatan,
    PencatatanRup,
    Penyedia,
    Realisasi,
)

SEED = 20251127
REKONSILIASI = ("belum_di_spse", "hanya_di_spse", "berbeda_dari_spse")
CHANGE_REASON = gettext_noop("Data demo")  # stored as is; pengadaan.riwayat shows it in the reader's language


@transaction.atomic
def seed_pengadaan(*, today: date | None = None) -> dict[str, int]:
    """Replace the procurement data of last year and this year (up to `today`) with the demo's.

    Deterministic (fixed seed) and idempotent. Returns the counts written, and how the records stand
    against SPSE (`belum_di_spse`, `hanya_di_spse`, `berbeda_dari_spse`; `padanan`: pairs to confirm).
    Side effects: deletes every PaketRup, Pencatatan (with links, realisasi, proof rows and
    files, and the PadananSpse pairs of its records) of those two years and their history; upserts
    the demo's Penyedia; creates RUP packages, records, links, payments and pairs, each record,
    payment and pair with one history entry (no user, reason "Data demo").
    """
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311 -- reproducible demo data, not a secret
    tahun = [today.year - 1, today.year]
    _demo_years_delete(tahun)
    penyedia = penyedia_upsert(penyedia_draw(rng))
    opds = list(Opd.objects.order_by("kd_satker"))
    if not opds:
        kosong = ("paket_rup", "pencatatan", "pencatatan_rup", "realisasi", "padanan", *REKONSILIASI)
        return {**dict.fromkeys(kosong, 0), "penyedia": len(penyedia)}
    plan = _demo_plan(today=today, rng=rng, opds=opds, penyedia=penyedia, tahun=tahun)
    return {**_demo_plan_write(plan, rng), **rekonsiliasi_jumlah(plan), "penyedia": len(penyedia)}


def _demo_plan(
    *, today: date, rng: random.Random, opds: list[Opd], penyedia: list[Penyedia], tahun: list[int]
) -> DemoPlan:
    """Plan every OPD's RUP, records and payments for each year, then the red-flag cases, then where each
    record stands against SPSE (with the pairs to confirm)."""
    plan = DemoPlan(today=today, rng=rng, opds=opds, penyedia=penyedia)
    for t in tahun:
        for opd in opds:
            pencatatan_opd_plan(plan, opd, t, rup_opd_plan(plan, opd, t))
    by_short = {o.singkatan: o for o in opds}
    disdik, dinkes = by_short.get("Disdik", opds[0]), by_short.get("Dinkes", opds[-1])
    tanda_bahaya_plan(plan, disdik, dinkes)
    rekonsiliasi_plan(plan, disdik, dinkes)
    return plan


def _demo_plan_write(plan: DemoPlan, rng: random.Random) -> dict[str, int]:
    """Bulk-create the planned packages, records, links, payments and pairs; returns their counts.

    Side effects: one history entry per record and payment, dated when it was recorded, and per pair,
    dated now (the last import found it); no user, reason "Data demo", so that the history tells the
    same story as the rows.
    """
    PaketRup.objects.bulk_create(plan.paket)
    pencatatan = [r.pencatatan for r in plan.rencana]
    for p in pencatatan:
        p._history_date = _waktu(p.tgl_buat_paket, rng)
    bulk_create_with_history(pencatatan, Pencatatan, default_change_reason=CHANGE_REASON)
    tautan = [PencatatanRup(pencatatan=r.pencatatan, paket=p) for r in plan.rencana for p in r.paket]
    PencatatanRup.objects.bulk_create(tautan)
    realisasi = [x for r in plan.rencana for x in r.realisasi]
    for x in realisasi:
        x._history_date = _waktu(x.tgl_dicatat, rng)
    bulk_create_with_history(realisasi, Realisasi, default_change_reason=CHANGE_REASON)
    bulk_create_with_history(plan.padanan, PadananSpse, default_change_reason=CHANGE_REASON)
    return {
        "paket_rup": len(plan.paket),
        "pencatatan": len(pencatatan),
        "pencatatan_rup": len(tautan),
        "realisasi": len(realisasi),
        "padanan": len(plan.padanan),
    }


def _waktu(tgl: date, rng: random.Random) -> datetime:
    """A working-hours moment on `tgl`, in the project's time zone."""
    return timezone.make_aware(datetime.combine(tgl, time(rng.randint(8, 15), rng.randint(0, 59))))


def _demo_years_delete(tahun: list[int]) -> None:
    """Remove the procurement rows of `tahun` and their history, so that the seed starts clean.

    Side effects: deletes PaketRup and Pencatatan of `tahun` (and records linked to those packages)
    with their links, realisasi, proof rows, PadananSpse pairs and history; the proof files go once the
    transaction commits.
    """
    paket = PaketRup.objects.filter(tahun_anggaran__in=tahun)
    pencatatan_ids = list(
        Pencatatan.objects.filter(Q(tahun_anggaran__in=tahun) | Q(tautan_rup__paket__in=paket))
        .values_list("pk", flat=True)
        .distinct()
    )
    realisasi_ids = list(Realisasi.objects.filter(pencatatan_id__in=pencatatan_ids).values_list("pk", flat=True))
    berkas = list(BuktiRealisasi.objects.filter(realisasi_id__in=realisasi_ids).values_list("berkas", flat=True))
    # The demo's history goes with its rows, so a "deleted" history entry per row would only be
    # written to be removed: switch simple-history off while Django cascades the delete.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        # with their links, payments, proof rows and pairs (a pair goes with its app record)
        Pencatatan.objects.filter(pk__in=pencatatan_ids).delete()
        paket.delete()
    PadananSpse.history.model.objects.filter(lokal_id__in=pencatatan_ids).delete()
    BuktiRealisasi.history.model.objects.filter(realisasi_id__in=realisasi_ids).delete()
    Realisasi.history.model.objects.filter(pencatatan_id__in=pencatatan_ids).delete()
    Pencatatan.history.model.objects.filter(id__in=pencatatan_ids).delete()
    if berkas:
        storage = BuktiRealisasi._meta.get_field("berkas").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in berkas])
