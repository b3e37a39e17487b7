"""The completion metrics of DESIGN §5 per OPD, computed set-based (the bottom of the dashboards).

`hitung` computes them with three grouped queries for any number of OPDs (the number of
queries does not grow with OPDs or records); medians come from the distribution of lags
per OPD, which works alike on SQLite and PostgreSQL. `pengadaan.dashboards.ringkasan`
stores what `hitung` returns; pages read it through `pengadaan.dashboards.selectors`.
The lag of a payment (recorded minus paid, in whole days: `DaysBetween`) is written here once, for
the table and for red flag rule 4.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import connections, router
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.functions import Cast, ExtractMonth, ExtractYear

from pengadaan.models import JenisPencatatan, PaketRup, Pencatatan, PencatatanRup, Realisasi, Status, TipePaket
from spse_tracker.formats import money

ZERO = Decimal("0.00")


def median(histogram: dict[int, int]) -> Decimal | None:
    """Median of values given as {value: count}; an even count takes the mean of the two middle values."""
    n = sum(histogram.values())
    if not n:
        return None
    wanted = [(n - 1) // 2, n // 2]  # 0-based positions of the middle value(s)
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        while wanted and wanted[0] < seen + count:
            found.append(value)
            wanted.pop(0)
        seen += count
    return (Decimal(sum(found)) / Decimal(len(found))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def counting_rup(tahun: int):
    return PaketRup.objects.filter(tahun_anggaran=tahun).counting().for_pencatatan()


def days(lag) -> int:
    """Whole days of a lag as the database returns it."""
    if isinstance(lag, dt.timedelta):
        return lag.days
    return int(lag)


class DaysBetween(Func):
    """`later - earlier` of two dates in whole days, as an integer: what `days(lag())` reads, computed in
    the database (PostgreSQL subtracts dates into days; SQLite through julianday). An integer groups
    faster than an interval."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "CAST(julianday(%(expressions)s) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, arg_joiner=") - julianday(", **extra_context)


def recorded_exists() -> Exists:
    """The RUP package is linked to at least one active pencatatan of the matching kind."""
    links = PencatatanRup.objects.filter(paket=OuterRef("pk")).exclude(pencatatan__status=Status.BATAL)
    return Exists(
        links.filter(
            Q(paket__tipe_paket="Penyedia", pencatatan__jenis=JenisPencatatan.NON_TENDER)
            | Q(paket__tipe_paket="Swakelola", pencatatan__jenis=JenisPencatatan.SWAKELOLA)
        )
    )


def _month_of(year: int | None, month: int | None, tahun: int, *, missing: int) -> int:
    """Month 1–12 of `tahun`; earlier years count as 1, later years as 13 (after December)."""
    if year is None:
        return missing
    return 1 if year < tahun else 13 if year > tahun else month


def _int(value) -> int | None:
    # PostgreSQL's EXTRACT returns a numeric, SQLite's an int
    return None if value is None else int(value)


def hitung(*, tahun: int, opd_ids: list[int]) -> dict[int, dict]:
    """The numbers of the §5 row, the lag distribution, entries per month and the curve of every
    OPD in `opd_ids`, JSON-safe, as `pengadaan.dashboards.ringkasan` stores them. Three grouped queries
    whatever the number of OPDs and records.
    """
    data = {
        pk: {
            "rup_paket": 0,
            "rup_pagu": "0",
            "tercatat_paket": 0,
            "tercatat_pagu": "0",
            # the same, counting only records that exist in SPSE (they carry SPSE's code): what ITKP sees
            "tercatat_spse_paket": 0,
            "tercatat_spse_pagu": "0",
            "pencatatan_aktif": 0,
            "pencatatan_selesai": 0,
            "pencatatan_draft": 0,
            "realisasi_nilai": "0",
            "jumlah_realisasi": 0,
            "input_nov_des": 0,
            "lags": {},
            "entri": {},
            # pagu recorded by month of the first record (1–12, 13 = after the year) and planned by month
            "kurva_tercatat": {},
            "kurva_rencana": {},
            "per_status": {},
        }
        for pk in opd_ids
    }
    sums: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))

    # RUP packages: one row per (OPD, month first recorded, month planned). Each package's first
    # active record of the matching kind comes from one grouped join (not a probe per package); the
    # packages are then grouped again by month, around the SQL Django compiles.
    # The same join and filter find the package's first active record of the matching kind that
    # exists in SPSE (`di_spse`, DESIGN §5 tercatat_spse_*): a second filtered aggregate of this query.
    link = "tautan_pencatatan__pencatatan__"
    matching = Q(**{f"{link}status__in": [s for s in Status.values if s != Status.BATAL]}) & (
        Q(tipe_paket=TipePaket.PENYEDIA, **{f"{link}jenis": JenisPencatatan.NON_TENDER})
        | Q(tipe_paket=TipePaket.SWAKELOLA, **{f"{link}jenis": JenisPencatatan.SWAKELOLA})
    )
    in_spse = Q(tipe_paket=TipePaket.PENYEDIA, **{f"{link}kd_nontender_pct__isnull": False}) | Q(
        tipe_paket=TipePaket.SWAKELOLA, **{f"{link}kd_swakelola_pct__isnull": False}
    )
    per_package = (
        counting_rup(tahun)
        .filter(opd__in=opd_ids)
        .values("pk", "opd", "pagu", "tgl_awal_pemilihan")
        # in one annotate, so that both aggregates read the one join of the package's records
        .annotate(
            pertama=Min(f"{link}tgl_buat_paket", filter=matching),
            di_spse=Min(f"{link}tgl_buat_paket", filter=matching & in_spse),
        )
        .annotate(
            catat_y=ExtractYear("pertama"),
            catat_m=ExtractMonth("pertama"),
            rencana_y=ExtractYear("tgl_awal_pemilihan"),
            rencana_m=ExtractMonth("tgl_awal_pemilihan"),
        )
        .values("opd", "pagu", "catat_y", "catat_m", "rencana_y", "rencana_m", "di_spse")
        .order_by()
    )
    inner, params = per_package.query.sql_with_params()
    with connections[router.db_for_read(PaketRup)].cursor() as cursor:  # the replica inside use_replica()
        cursor.execute(
            "SELECT opd, catat_y, catat_m, rencana_y, rencana_m, COUNT(*), SUM(pagu), "  # noqa: S608
            "COUNT(di_spse), SUM(CASE WHEN di_spse IS NOT NULL THEN pagu END) "
            f"FROM ({inner}) paket GROUP BY opd, catat_y, catat_m, rencana_y, rencana_m",
            params,
        )
        names = ("opd", "catat_y", "catat_m", "rencana_y", "rencana_m", "n", "pagu", "n_spse", "pagu_spse")
        packages = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for r in packages:
        d, s = data[r["opd"]], sums[r["opd"]]
        pagu = money(r["pagu"])
        d["rup_paket"] += r["n"]
        s["rup_pagu"] += pagu
        rencana = str(_month_of(_int(r["rencana_y"]), _int(r["rencana_m"]), tahun, missing=1))
        s[f"rencana:{rencana}"] += pagu
        if r["catat_y"] is not None:
            d["tercatat_paket"] += r["n"]
            s["tercatat_pagu"] += pagu
            s[f"catat:{_month_of(_int(r['catat_y']), _int(r['catat_m']), tahun, missing=13)}"] += pagu
        d["tercatat_spse_paket"] += r["n_spse"]
        s["tercatat_spse_pagu"] += money(r["pagu_spse"])  # NULL (0) when none of the group is in SPSE

    # every record of the year by status (the record list counts its pages from these)
    records = (
        Pencatatan.objects.filter(tahun_anggaran=tahun, opd__in=opd_ids)
        .values("opd", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in records:
        d = data[r["opd"]]
        d["per_status"][r["status"]] = r["n"]
        if r["status"] != Status.BATAL:
            d["pencatatan_aktif"] += r["n"]
        if r["status"] == Status.SELESAI:
            d["pencatatan_selesai"] = r["n"]
        elif r["status"] == Status.DRAFT:
            d["pencatatan_draft"] = r["n"]

    payments = Realisasi.objects.filter(pencatatan__tahun_anggaran=tahun, pencatatan__opd__in=opd_ids).exclude(
        pencatatan__status=Status.BATAL
    )
    # one pass over the payments: per OPD, lag in days and month first recorded, grouped on integers. Some
    # 100,000 groups in a year of a large pemda: read with a raw cursor around the SQL Django compiles,
    # without a converter call per value
    grouped = (
        payments.annotate(
            satker=F("pencatatan__opd_id"),
            lag=DaysBetween("tgl_dicatat", "tgl_realisasi"),
            y=Cast(ExtractYear("tgl_dicatat"), IntegerField()),
            m=Cast(ExtractMonth("tgl_dicatat"), IntegerField()),
        )
        .values("satker", "lag", "y", "m")
        .annotate(n=Count("pk"), nilai=Sum("nilai_realisasi"))
        .order_by()
    )
    inner, params = grouped.query.sql_with_params()
    with connections[router.db_for_read(Realisasi)].cursor() as cursor:  # the replica inside use_replica()
        cursor.execute(f"SELECT satker, lag, y, m, n, nilai FROM ({inner}) entri", params)  # noqa: S608
        rows = cursor.fetchall()
    for opd, lag_days, y, m, n, nilai in rows:
        d = data[opd]
        d["jumlah_realisasi"] += n
        sums[opd]["realisasi_nilai"] += money(nilai)
        month = f"{y:04d}-{m:02d}"
        d["entri"][month] = d["entri"].get(month, 0) + n
        if m in (11, 12):
            d["input_nov_des"] += n
        lag_days = str(lag_days)
        d["lags"][lag_days] = d["lags"].get(lag_days, 0) + n

    for pk, s in sums.items():
        d = data[pk]
        for name in ("rup_pagu", "tercatat_pagu", "tercatat_spse_pagu", "realisasi_nilai"):
            d[name] = str(money(s[name]))
        for key, value in s.items():
            if ":" in key:
                kind, month = key.split(":")
                d["kurva_tercatat" if kind == "catat" else "kurva_rencana"][month] = str(value)
    return data
