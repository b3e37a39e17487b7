"""The red-flag rules that judge a group rather than one record (DESIGN §7 rules 1, 4 and 6).

Each takes the records of one year (not yet filtered by status; every rule ignores Batal records)
and the thresholds, and returns its findings, set-based: one or two queries whatever the number of
records.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.db.models.lookups import GreaterThan

from pengadaan.dashboards import compute
from pengadaan.dashboards.tanda_bahaya.findings import Temuan, temuan
from pengadaan.dashboards.tanda_bahaya.identity import kode_ganda, kode_pemecahan, kode_terlambat
from pengadaan.dashboards.tanda_bahaya.thresholds import Batas
from pengadaan.models import JenisPencatatan, MetodePemilihan, Pencatatan, Realisasi

PL = MetodePemilihan.PENGADAAN_LANGSUNG
LATEST_SHOWN = 5  # rule 4 names the records of this many entries recorded latest


def pemecahan_paket(records: QuerySet[Pencatatan], b: Batas, tahun: int) -> list[Temuan]:
    """Rule 1. One query: every (record, supplier) pair of the candidate records."""
    candidates = (
        records.active().filter(jenis=JenisPencatatan.NON_TENDER, mtd_pemilihan=PL).filter(b.pl_q(lookup="pagu__lte"))
    )
    # One row per (record, supplier), so that a record paid three times to one supplier counts (and
    # sums) once; grouped here by (OPD, NPWP, kategori). One pass; about 240,000 pairs in a year of
    # a large pemda, which is faster than grouping in SQL and reading the members again.
    pairs = (
        Realisasi.objects.filter(pencatatan__in=candidates, penyedia__npwp__isnull=False)
        .values_list(
            "pencatatan_id",
            "penyedia_id",
            "pencatatan__opd_id",
            "penyedia__npwp",
            "pencatatan__kategori_pengadaan",
            "pencatatan__pagu",
            "penyedia__nama",
        )
        .distinct()
        .order_by()
    )
    members: dict[tuple, list[int]] = defaultdict(list)
    totals: dict[tuple, Decimal] = defaultdict(Decimal)
    names: dict[tuple, str] = {}
    for pencatatan_id, _penyedia_id, opd_id, npwp, kategori, pagu, nama in pairs.iterator(chunk_size=10000):
        group = (opd_id, npwp, kategori)
        members[group].append(pencatatan_id)
        totals[group] += pagu
        names[group] = max(names.get(group, nama), nama)
    groups = [
        {"key": group, "n": len(ids), "total": totals[group], "nama": names[group]}
        for group, ids in members.items()
        if len(ids) >= 2 and totals[group] > b.pl[group[2]]
    ]
    flags = []
    for g in groups:
        opd_id, npwp, kategori = g["key"]
        data = {
            "n": g["n"],
            "kategori": kategori,
            "nama": g["nama"],
            "npwp": npwp,
            "batas": str(b.pl[kategori]),
            "total": str(g["total"]),
        }
        kode = kode_pemecahan(opd_id=opd_id, npwp=npwp, kategori=kategori, tahun=tahun)
        flags.append(temuan(1, kode, opd_id, members[(opd_id, npwp, kategori)], data))
    return flags


def terlambat_dicatat(records: QuerySet[Pencatatan], b: Batas, tahun: int) -> list[Temuan]:
    """Rule 4. One query counts each OPD's entries and late entries; a second, only when an OPD is
    flagged, reads the entries recorded latest of the flagged OPDs (a window per OPD)."""
    lag = compute.lag()
    late = GreaterThan(lag, timedelta(days=b.hari_terlambat_catat))
    entries = Realisasi.objects.filter(pencatatan__in=records.active().values("pk"))
    counts = (
        entries.values("pencatatan__opd_id")
        .annotate(n=Count("pk"), n_late=Count("pk", filter=late))
        .values_list("pencatatan__opd_id", "n", "n_late")
        .order_by()
    )
    flagged = {opd_id: (n, n_late) for opd_id, n, n_late in counts if n_late > n * b.porsi_terlambat_catat}
    if not flagged:
        return []
    rank = Window(RowNumber(), partition_by=F("pencatatan__opd_id"), order_by=[lag.desc(), F("pk").asc()])
    latest: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = (
        entries.filter(pencatatan__opd_id__in=flagged)
        .annotate(lag=lag, urutan=rank)
        .filter(urutan__lte=LATEST_SHOWN)
        .values_list("pencatatan__opd_id", "pencatatan_id", "lag")
        .order_by()
    )
    for opd_id, pencatatan_id, lag_value in rows:
        latest[opd_id].append((compute.days(lag_value), pencatatan_id))
    found = []
    for opd_id, (n, n_late) in flagged.items():
        worst = sorted(latest[opd_id], reverse=True)
        data = {
            "n": n_late,
            "total": n,
            "persen": str((Decimal(n_late) * 100 / n).quantize(Decimal("0.1"))),
            "porsi": str((b.porsi_terlambat_catat * 100).normalize()),
            "batas": b.hari_terlambat_catat,
            "hari": [hari for hari, _pk in worst],
        }
        ids = dict.fromkeys(pk for _hari, pk in worst)  # the records of the latest entries, latest first
        found.append(temuan(4, kode_terlambat(opd_id=opd_id, tahun=tahun), opd_id, ids, data))
    return found


def input_ganda(records: QuerySet[Pencatatan], b: Batas, tahun: int) -> list[Temuan]:
    """Rule 6. Two queries: the groups of twins (same OPD, kd_rup and pagu), then their members."""
    active = records.active().exclude(kd_rup="")
    twins = {
        (g["opd_id"], g["kd_rup"], g["pagu"])
        for g in active.values("opd_id", "kd_rup", "pagu").annotate(n=Count("pk")).filter(n__gte=2).order_by()
    }
    if not twins:
        return []
    groups: dict[tuple[int, str, Decimal], list[int]] = defaultdict(list)
    members = active.filter(kd_rup__in={kd_rup for _o, kd_rup, _p in twins}, opd_id__in={o for o, _k, _p in twins})
    for pk, opd_id, kd_rup, pagu in members.values_list("pk", "opd_id", "kd_rup", "pagu").order_by():
        if (opd_id, kd_rup, pagu) in twins:
            groups[(opd_id, kd_rup, pagu)].append(pk)
    return [
        temuan(
            6,
            kode_ganda(opd_id=opd_id, kd_rup=kd_rup, pagu=pagu, tahun=tahun),
            opd_id,
            ids,
            {"n": len(ids), "kd_rup": kd_rup, "pagu": str(pagu)},
        )
        for (opd_id, kd_rup, pagu), ids in groups.items()
    ]
