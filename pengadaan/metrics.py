"""The completion metrics of DESIGN §5, per OPD and for the city, computed set-based.

`hitung` computes them with three grouped queries for any number of OPDs (the number of
queries does not grow with OPDs or records); medians come from the distribution of lags
per OPD, which works alike on SQLite and PostgreSQL. Pages read them through `dasbor`
and `tabel`, from the summaries `pengadaan.ringkasan` keeps current.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    Q,
    Sum,
)
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _

from opd.models import Opd
from pengadaan import ringkasan
from pengadaan.models import JenisPencatatan, PaketRup, Pencatatan, Realisasi, Status, TipePaket
from pengadaan.selectors import recorded_exists

if TYPE_CHECKING:
    from opd.models import User

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")

# The §5 export: exactly these columns, in this order.
COLUMNS = (
    "kd_satker",
    "nama_satker",
    "rup_paket",
    "rup_pagu",
    "tercatat_paket",
    "tercatat_pagu",
    "persen_tercatat",
    "pencatatan_aktif",
    "pencatatan_selesai",
    "pencatatan_draft",
    "realisasi_nilai",
    "median_lag_hari",
    "persen_input_nov_des",
    "red_flags",
)


COLUMN_LABELS = {
    "kd_satker": _("Kode"),
    "nama_satker": _("OPD"),
    "rup_paket": _("Paket RUP"),
    "rup_pagu": _("Pagu RUP"),
    "tercatat_paket": _("Paket tercatat"),
    "tercatat_pagu": _("Pagu tercatat"),
    "persen_tercatat": _("% tercatat"),
    "pencatatan_aktif": _("Pencatatan aktif"),
    "pencatatan_selesai": _("Selesai"),
    "pencatatan_draft": _("Draft"),
    "realisasi_nilai": _("Realisasi"),
    "median_lag_hari": _("Median lag (hari)"),
    "persen_input_nov_des": _("% input Nov–Des"),
    "red_flags": _("Tanda bahaya"),
}


def money(value) -> Decimal:
    """A Rupiah sum with its two decimals (SQLite returns sums without their scale)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part / whole × 100 with 2 decimals (half up); None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


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


@dataclass
class Baris:
    """One row of the §5 table (an OPD, or the city when `opd` is None)."""

    opd: Opd | None
    rup_paket: int = 0
    rup_pagu: Decimal = ZERO
    tercatat_paket: int = 0
    tercatat_pagu: Decimal = ZERO
    pencatatan_aktif: int = 0
    pencatatan_selesai: int = 0
    pencatatan_draft: int = 0
    realisasi_nilai: Decimal = ZERO
    jumlah_realisasi: int = 0
    input_nov_des: int = 0
    red_flags: int = 0
    lags: dict[int, int] = field(default_factory=dict, repr=False)

    @property
    def kd_satker(self) -> str:
        return self.opd.kd_satker if self.opd else ""

    @property
    def nama_satker(self) -> str:
        return self.opd.nama_satker if self.opd else str(settings.NAMA_PEMDA)

    @property
    def persen_tercatat(self) -> Decimal | None:
        return percent(self.tercatat_pagu, self.rup_pagu)

    @property
    def median_lag_hari(self) -> Decimal | None:
        return median(self.lags)

    @property
    def persen_input_nov_des(self) -> Decimal | None:
        return percent(self.input_nov_des, self.jumlah_realisasi)

    @property
    def band(self) -> str:
        """Colour band of persen_tercatat: 'baik', 'sedang', 'rendah' or '' when there is no RUP."""
        value = self.persen_tercatat
        if value is None:
            return ""
        good, fair = (Decimal(str(b)) for b in settings.DASHBOARD_BANDS)
        return "baik" if value >= good else "sedang" if value >= fair else "rendah"

    @classmethod
    def from_data(cls, opd: Opd, data: dict, *, red_flags: int = 0) -> Baris:
        """A row from the JSON-safe numbers `hitung` returns."""
        return cls(
            opd=opd,
            rup_paket=data["rup_paket"],
            rup_pagu=money(data["rup_pagu"]),
            tercatat_paket=data["tercatat_paket"],
            tercatat_pagu=money(data["tercatat_pagu"]),
            pencatatan_aktif=data["pencatatan_aktif"],
            pencatatan_selesai=data["pencatatan_selesai"],
            pencatatan_draft=data["pencatatan_draft"],
            realisasi_nilai=money(data["realisasi_nilai"]),
            jumlah_realisasi=data["jumlah_realisasi"],
            input_nov_des=data["input_nov_des"],
            red_flags=red_flags,
            lags={int(lag): n for lag, n in data["lags"].items()},
        )

    def value(self, column: str):
        return getattr(self, column)

    def add(self, other: Baris) -> None:
        for name in (
            "rup_paket",
            "rup_pagu",
            "tercatat_paket",
            "tercatat_pagu",
            "pencatatan_aktif",
            "pencatatan_selesai",
            "pencatatan_draft",
            "realisasi_nilai",
            "jumlah_realisasi",
            "input_nov_des",
            "red_flags",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for lag, count in other.lags.items():
            self.lags[lag] = self.lags.get(lag, 0) + count


def counting_rup(tahun: int):
    return PaketRup.objects.filter(tahun_anggaran=tahun).counting().for_pencatatan()


def _lag() -> ExpressionWrapper:
    return ExpressionWrapper(F("tgl_dicatat") - F("tgl_realisasi"), output_field=DurationField())


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
    OPD in `opd_ids`, JSON-safe, as `pengadaan.ringkasan` stores them. Four grouped queries
    whatever the number of OPDs and records.
    """
    data = {
        pk: {
            "rup_paket": 0,
            "rup_pagu": "0",
            "tercatat_paket": 0,
            "tercatat_pagu": "0",
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
    link = "tautan_pencatatan__pencatatan__"
    first = Min(
        f"{link}tgl_buat_paket",
        filter=Q(**{f"{link}status__in": [s for s in Status.values if s != Status.BATAL]})
        & (
            Q(tipe_paket=TipePaket.PENYEDIA, **{f"{link}jenis": JenisPencatatan.NON_TENDER})
            | Q(tipe_paket=TipePaket.SWAKELOLA, **{f"{link}jenis": JenisPencatatan.SWAKELOLA})
        ),
    )
    per_package = (
        counting_rup(tahun)
        .filter(opd__in=opd_ids)
        .values("pk", "opd", "pagu", "tgl_awal_pemilihan")
        .annotate(pertama=first)
        .annotate(
            catat_y=ExtractYear("pertama"),
            catat_m=ExtractMonth("pertama"),
            rencana_y=ExtractYear("tgl_awal_pemilihan"),
            rencana_m=ExtractMonth("tgl_awal_pemilihan"),
        )
        .values("opd", "pagu", "catat_y", "catat_m", "rencana_y", "rencana_m")
        .order_by()
    )
    inner, params = per_package.query.sql_with_params()
    with connections[router.db_for_read(PaketRup)].cursor() as cursor:  # the replica inside use_replica()
        cursor.execute(
            "SELECT opd, catat_y, catat_m, rencana_y, rencana_m, COUNT(*), SUM(pagu) "  # noqa: S608
            f"FROM ({inner}) paket GROUP BY opd, catat_y, catat_m, rencana_y, rencana_m",
            params,
        )
        packages = [
            dict(zip(("opd", "catat_y", "catat_m", "rencana_y", "rencana_m", "n", "pagu"), row, strict=True))
            for row in cursor.fetchall()
        ]
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
    # one pass over the payments: per OPD, lag in days and month first recorded
    grouped = (
        payments.annotate(lag=_lag(), y=ExtractYear("tgl_dicatat"), m=ExtractMonth("tgl_dicatat"))
        .values("pencatatan__opd", "lag", "y", "m")
        .annotate(n=Count("pk"), nilai=Sum("nilai_realisasi"))
        .order_by()
    )
    for r in grouped:
        opd, n = r["pencatatan__opd"], r["n"]
        d = data[opd]
        d["jumlah_realisasi"] += n
        sums[opd]["realisasi_nilai"] += money(r["nilai"])
        month = f"{r['y']:04d}-{r['m']:02d}"
        d["entri"][month] = d["entri"].get(month, 0) + n
        if r["m"] in (11, 12):
            d["input_nov_des"] += n
        lag = str(_days(r["lag"]))
        d["lags"][lag] = d["lags"].get(lag, 0) + n

    for pk, s in sums.items():
        d = data[pk]
        for name in ("rup_pagu", "tercatat_pagu", "realisasi_nilai"):
            d[name] = str(money(s[name]))
        for key, value in s.items():
            if ":" in key:
                kind, month = key.split(":")
                d["kurva_tercatat" if kind == "catat" else "kurva_rencana"][month] = str(value)
    return data


def _scope(*, user: User, opd_ids: list[int] | None = None) -> list[Opd]:
    opds = Opd.objects.visible_to(user).order_by("nama_satker")
    if opd_ids is not None:
        opds = opds.filter(pk__in=opd_ids)
    return list(opds)


@dataclass
class Dasbor:
    """What a dashboard shows of its OPDs: the §5 rows, the city row and the two charts."""

    rows: list[Baris]
    kota: Baris
    entri: list[tuple[dt.date, int]]
    kurva: list[tuple[int, Decimal | None, Decimal | None]]
    # the version of each OPD's stored summary these numbers come from (`ringkasan.generation_key`)
    generasi: dict[int, str] = field(default_factory=dict, repr=False)


@dataclass
class _Angka:
    """What `dasbor` computes from the stored summaries, cached under their versions: the rows
    without their OPD and open red flags (the OPD is read on every request, so that a renamed OPD
    shows its new name; reviews do not raise the generasi), and the charts."""

    rows: dict[int, Baris]
    kota: Baris
    entri: list[tuple[dt.date, int]]
    kurva: list[tuple[int, Decimal | None, Decimal | None]]
    jumlah_flags: dict[int, int]


def _angka(datas: dict[int, dict], opd_ids: list[int], tahun: int) -> _Angka:
    ordered = [datas[pk] for pk in opd_ids]
    rows = {pk: Baris.from_data(None, datas[pk]) for pk in opd_ids}
    kota = Baris(opd=None)
    for row in rows.values():
        kota.add(row)
    return _Angka(
        rows=rows,
        kota=kota,
        entri=_entri(ordered, tahun),
        kurva=_kurva(ordered, tahun),
        jumlah_flags={pk: datas[pk].get("jumlah_flags", 0) for pk in opd_ids},
    )


def dasbor(*, tahun: int, user: User, opd_ids: list[int] | None = None) -> Dasbor:
    """The dashboard numbers of every OPD `user` may see (or of `opd_ids`) for `tahun`.

    Read from the stored summaries (`pengadaan.ringkasan`), computing those that are out of
    date: three queries when they are current (the OPDs, the versions of their summaries, the
    open red flags; one more, the summaries, when the cache does not have their numbers), a
    fixed number more when some are out of date, whatever the number of OPDs and records.
    Side effect: what is computed is cached (Django's default cache) under the versions of the
    summaries it comes from (`ringkasan.generation_key`).
    """
    opds = _scope(user=user, opd_ids=opd_ids)
    ids = [opd.pk for opd in opds]
    probed = ringkasan.probe(tahun=tahun, opd_ids=ids)
    generasi, angka = probed.versions, None
    if probed.all_current:
        angka = cache.get(ringkasan.generation_key("dasbor", tahun=tahun, generasi=probed.versions))
    if angka is None:
        datas, generasi = ringkasan.current_data(tahun=tahun, opd_ids=ids, probed=probed)
        angka = _angka(datas, ids, tahun)
        cache.set(ringkasan.generation_key("dasbor", tahun=tahun, generasi=generasi), angka, ringkasan.CACHE_SECONDS)
    red_flags = ringkasan.open_flag_counts(tahun=tahun, jumlah_flags=angka.jumlah_flags)
    rows = []
    for opd in opds:
        row = angka.rows[opd.pk]  # a copy of its own: the cache hands out a new one on every get
        row.opd, row.red_flags = opd, red_flags.get(opd.pk, 0)
        rows.append(row)
    kota = angka.kota
    kota.red_flags = sum(row.red_flags for row in rows)
    return Dasbor(rows=rows, kota=kota, entri=angka.entri, kurva=angka.kurva, generasi=generasi)


def tabel(*, tahun: int, user: User, opd_ids: list[int] | None = None) -> tuple[list[Baris], Baris]:
    """The §5 rows of every OPD `user` may see (or of `opd_ids`), and the city row."""
    numbers = dasbor(tahun=tahun, user=user, opd_ids=opd_ids)
    return numbers.rows, numbers.kota


def _days(lag) -> int:
    if isinstance(lag, dt.timedelta):
        return lag.days
    return int(lag)


def entri_per_bulan(*, tahun: int, user: User, opd_id: int | None = None) -> list[tuple[dt.date, int]]:
    """Payments of the year's active records by the month they were first recorded (the pile-up chart)."""
    return dasbor(tahun=tahun, user=user, opd_ids=None if opd_id is None else [opd_id]).entri


def kurva_tercatat(
    *, tahun: int, user: User, opd_id: int | None = None
) -> list[tuple[int, Decimal | None, Decimal | None]]:
    """Per month of `tahun`: cumulative persen_tercatat (by the recording date of each package's first
    active record) and the target (the share of RUP pagu whose pemilihan month has come)."""
    return dasbor(tahun=tahun, user=user, opd_ids=None if opd_id is None else [opd_id]).kurva


def _entri(datas: list[dict], tahun: int) -> list[tuple[dt.date, int]]:
    counts: dict[dt.date, int] = defaultdict(int)
    for data in datas:
        for month, n in data["entri"].items():
            counts[dt.date.fromisoformat(f"{month}-01")] += n
    first = dt.date(tahun, 1, 1)
    last = max([dt.date(tahun, 12, 1), *counts])
    months = []
    month = first
    while month <= last:
        months.append((month, counts.get(month, 0)))
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _kurva(datas: list[dict], tahun: int) -> list[tuple[int, Decimal | None, Decimal | None]]:
    total = ZERO
    recorded: dict[int, Decimal] = defaultdict(lambda: ZERO)
    planned: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for data in datas:
        total += Decimal(data["rup_pagu"])
        for month, pagu in data["kurva_tercatat"].items():
            recorded[int(month)] += Decimal(pagu)
        for month, pagu in data["kurva_rencana"].items():
            planned[min(int(month), 12)] += Decimal(pagu)
    curve = []
    done = target = ZERO
    for month in range(1, 13):
        done += recorded[month]
        target += planned[month]
        curve.append((month, percent(done, total), percent(target, total)))
    return curve


def rup_belum_dicatat(*, tahun: int, user: User, opd_id: int | None = None, limit: int | None = None):
    """Counting packages not yet recorded (of one OPD, or of every OPD `user` may see),
    oldest planned month first; the first `limit` of them when given (a page reads only
    those: the index gives them in order)."""
    packages = counting_rup(tahun).visible_to(user).annotate(tercatat=recorded_exists()).filter(tercatat=False)
    if opd_id is not None:
        packages = packages.filter(opd=opd_id)
    packages = packages.order_by(F("tgl_awal_pemilihan").asc(nulls_last=True), "kd_rup")
    return packages[:limit] if limit is not None else packages


def rup_belum_dicatat_pertama(*, tahun: int, user: User, opd_id: int, limit: int, generasi: dict[int, str]) -> list:
    """The first `limit` packages of one OPD not yet recorded (`rup_belum_dicatat`), cached under the
    version of its summary `generasi` (`Dasbor.generasi`, read before the packages): every write to its
    packages, records or their links raises it, so the cache never holds them older than that. The same
    for everyone who may see the OPD (the caller has checked that)."""
    key = ringkasan.generation_key("belum", tahun=tahun, generasi=generasi, extra=(opd_id, limit))
    packages = cache.get(key)
    if packages is None:
        packages = list(rup_belum_dicatat(tahun=tahun, user=user, opd_id=opd_id, limit=limit))
        cache.set(key, packages, ringkasan.CACHE_SECONDS)
    return packages
