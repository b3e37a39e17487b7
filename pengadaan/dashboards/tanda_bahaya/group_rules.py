"""The red-flag rules that judge a group rather than one record (DESIGN §7 rules 1, 4 and 6).

Each takes one `Year`: its records (not yet filtered by status; every rule ignores Batal records),
the thresholds and what the caller counted already; and returns its findings, set-based: at most two
queries whatever the number of records.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce

from django.db import connections, router
from django.db.models import Count, F, Q, QuerySet, Window

from pengadaan.dashboards import compute
from pengadaan.dashboards.tanda_bahaya.findings import Temuan, temuan
from pengadaan.dashboards.tanda_bahaya.identity import kode_ganda, kode_pemecahan, kode_terlambat
from pengadaan.dashboards.tanda_bahaya.thresholds import Batas
from pengadaan.models import JenisPencatatan, MetodePemilihan, Pencatatan, Penyedia, Realisasi
from spse_tracker.formats import money

PL = MetodePemilihan.PENGADAAN_LANGSUNG
LATEST_SHOWN = 5  # rule 4 names the records of this many entries recorded latest

LagCounts = dict[int, dict[int, int]]  # OPD pk → {lag in whole days: number of realisasi entries}


@dataclass(frozen=True)
class Year:
    """What a group rule reads: the records of `tahun` and the thresholds; and, when the caller has
    counted them already (the §5 numbers do: `compute.hitung`), each OPD's realisasi entries of the
    active records by lag (`lags`, with every OPD of `records`), so that rule 4 does not count them again."""

    records: QuerySet[Pencatatan]
    batas: Batas
    tahun: int
    lags: LagCounts | None = None


def pemecahan_paket(year: Year) -> list[Temuan]:
    """Rule 1. One query: the (OPD, NPWP, kategori) groups of the candidate records' (record, supplier)
    pairs that may be flagged, with their members, grouped in the database."""
    b, tahun = year.batas, year.tahun
    candidates = (
        year.records.active()
        .filter(jenis=JenisPencatatan.NON_TENDER, mtd_pemilihan=PL)
        .filter(b.pl_q(lookup="pagu__lte"))
    )
    # One row per (record, supplier), so that a record paid three times to one supplier counts (and
    # sums) once; then grouped by (OPD, NPWP, kategori) around the SQL Django compiles: about 240,000
    # pairs in a year of a large pemda, of which a few thousand groups come back. Read from the records'
    # side, in the same join as their payments (the names: not the records' own fields); the pairs are
    # made distinct on narrow columns, and only then joined to the suppliers for their NPWP and name.
    pairs = (
        candidates.annotate(
            rec=F("pk"),
            penyedia=F("realisasi__penyedia_id"),
            satker=F("opd_id"),
            kategori=F("kategori_pengadaan"),
            nilai=F("pagu"),
        )
        .filter(penyedia__isnull=False)
        .values("rec", "penyedia", "satker", "kategori", "nilai")
        .distinct()
        .order_by()
    )
    inner, params = pairs.query.sql_with_params()
    connection = connections[router.db_for_read(Realisasi)]  # the replica inside use_replica()
    postgres = connection.vendor == "postgresql"
    # the members as one value per group; the name as Python's max() picks it (by code point: C collation)
    members = "array_agg(rec)" if postgres else "group_concat(rec)"
    nama = 'max(s.nama COLLATE "C")' if postgres else "max(s.nama)"
    suppliers, supplier_pk = Penyedia._meta.db_table, Penyedia._meta.pk.column
    # a prefilter only (the ceiling is checked again on the exact sums below): CAST, so that SQLite
    # compares the sum with a number, not with the text its driver binds a Decimal as
    ceiling = " ".join("WHEN %s THEN CAST(%s AS NUMERIC)" for _k in b.pl)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT satker, s.npwp, kategori, COUNT(*), SUM(nilai), {nama}, {members} "  # noqa: S608
            f"FROM ({inner}) pairs JOIN {suppliers} s ON s.{supplier_pk} = pairs.penyedia AND s.npwp IS NOT NULL "
            f"GROUP BY satker, s.npwp, kategori "
            f"HAVING COUNT(*) >= 2 AND SUM(nilai) > CASE kategori {ceiling} END",
            (*params, *(v for kategori, batas in b.pl.items() for v in (kategori, str(batas)))),
        )
        groups = cursor.fetchall()
    flags = []
    for opd_id, npwp, kategori, n, total, nama, ids in groups:
        total = money(total)
        if total <= b.pl[kategori]:
            continue
        if isinstance(ids, str):  # group_concat
            ids = [int(pk) for pk in ids.split(",")]
        data = {
            "n": n,
            "kategori": kategori,
            "nama": nama,
            "npwp": npwp,
            "batas": str(b.pl[kategori]),
            "total": str(total),
        }
        kode = kode_pemecahan(opd_id=opd_id, npwp=npwp, kategori=kategori, tahun=tahun)
        flags.append(temuan(1, kode, opd_id, ids, data))
    return flags


def terlambat_dicatat(year: Year) -> list[Temuan]:
    """Rule 4. Each OPD's entries by lag (one grouped query, none when `year.lags` has them) say which
    OPDs are flagged and how late their fifth latest entry was; a second query, only when an OPD is
    flagged, reads the entries at least that late of the flagged OPDs, of which the latest are kept."""
    b, tahun = year.batas, year.tahun
    # read from the records' side: one join of the records (filtered as they are) with their payments
    # the lag in whole days, an integer (the §5 numbers group the same): compared and grouped faster
    lag = compute.DaysBetween("realisasi__tgl_dicatat", "realisasi__tgl_realisasi")
    entries = year.records.active().annotate(lag=lag).filter(lag__isnull=False)
    lags = year.lags
    if lags is None:
        lags = defaultdict(dict)
        counted = entries.values_list("opd_id", "lag").annotate(n=Count("realisasi__pk")).order_by()
        for opd_id, lag_value, n in counted:
            lags[opd_id][compute.days(lag_value)] = n
    flagged: dict[int, tuple[int, int]] = {}
    reach: dict[int, int] = {}  # flagged OPD → the lag of its LATEST_SHOWN-th latest entry
    for opd_id, counts in lags.items():
        n = sum(counts.values())
        n_late = sum(count for days, count in counts.items() if days > b.hari_terlambat_catat)
        if n_late > n * b.porsi_terlambat_catat:
            flagged[opd_id] = (n, n_late)
            seen = 0
            for days in sorted(counts, reverse=True):
                seen += counts[days]
                reach[opd_id] = days
                if seen >= LATEST_SHOWN:
                    break
    if not flagged:
        return []
    # the least of those lags on its own as well: a condition on the payments alone, which the database
    # applies while it reads them, before joining the records
    near_top = Q(lag__gte=min(reach.values())) & reduce(
        operator.or_, (Q(opd_id=opd_id, lag__gte=days) for opd_id, days in reach.items())
    )
    candidates: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    rows = entries.filter(near_top).values_list("opd_id", "realisasi__pk", "pk", "lag").order_by()
    for opd_id, entry_pk, pencatatan_id, lag_value in rows:
        candidates[opd_id].append((-compute.days(lag_value), entry_pk, pencatatan_id))
    found = []
    for opd_id, (n, n_late) in flagged.items():
        # the LATEST_SHOWN latest entries (ties: the first entered), then listed latest first
        latest = sorted(candidates[opd_id])[:LATEST_SHOWN]
        worst = sorted(((-minus_days, pencatatan_id) for minus_days, _pk, pencatatan_id in latest), reverse=True)
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


def input_ganda(year: Year) -> list[Temuan]:
    """Rule 6. One query: the active records whose (OPD, kd_rup, pagu) is shared by another, counted by a
    window over those groups (one pass over the records, not the groups and then their members)."""
    tahun = year.tahun
    twins = (
        year.records.active()
        .exclude(kd_rup="")
        .annotate(n=Window(Count("pk"), partition_by=[F("opd_id"), F("kd_rup"), F("pagu")]))
        .filter(n__gte=2)
        .values_list("pk", "opd_id", "kd_rup", "pagu")
        .order_by()
    )
    groups: dict[tuple[int, str, Decimal], list[int]] = defaultdict(list)
    for pk, opd_id, kd_rup, pagu in twins:
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
