"""The completion metrics of DESIGN §5, per OPD and for the city, computed set-based.

A handful of grouped queries serve every OPD at once (the number of queries does not
grow with OPDs or records); medians come from the distribution of lags per OPD, which
works alike on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from opd.models import Opd
from pengadaan.models import JenisPencatatan, PaketRup, Pencatatan, PencatatanRup, Realisasi, Status, TipePaket
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


def active_records(tahun: int):
    return Pencatatan.objects.filter(tahun_anggaran=tahun).exclude(status=Status.BATAL)


def _lag() -> ExpressionWrapper:
    return ExpressionWrapper(F("tgl_dicatat") - F("tgl_realisasi"), output_field=DurationField())


def tabel(*, tahun: int, user: User, opd_ids: list[int] | None = None, red_flags: dict[int, int] | None = None):
    """The §5 rows of every OPD `user` may see (or of `opd_ids`), and the city row.

    Five grouped queries whatever the number of OPDs and records. `red_flags` maps an
    OPD to its open red flags (computed by pengadaan.redflags).
    """
    opds = Opd.objects.visible_to(user).order_by("nama_satker")
    if opd_ids is not None:
        opds = opds.filter(pk__in=opd_ids)
    rows = {opd.pk: Baris(opd=opd) for opd in opds}
    scope = list(rows)

    rup = (
        counting_rup(tahun)
        .filter(opd__in=scope)
        .annotate(tercatat=recorded_exists())
        .values("opd")
        .annotate(
            n=Count("pk"),
            jumlah_pagu=Sum("pagu"),
            n_tercatat=Count("pk", filter=Q(tercatat=True)),
            pagu_tercatat=Sum("pagu", filter=Q(tercatat=True)),
        )
        .order_by()
    )
    for r in rup:
        row = rows[r["opd"]]
        row.rup_paket, row.rup_pagu = r["n"], money(r["jumlah_pagu"])
        row.tercatat_paket, row.tercatat_pagu = r["n_tercatat"], money(r["pagu_tercatat"])

    records = (
        active_records(tahun)
        .filter(opd__in=scope)
        .values("opd")
        .annotate(
            n=Count("pk"),
            selesai=Count("pk", filter=Q(status=Status.SELESAI)),
            draft=Count("pk", filter=Q(status=Status.DRAFT)),
        )
        .order_by()
    )
    for r in records:
        row = rows[r["opd"]]
        row.pencatatan_aktif, row.pencatatan_selesai, row.pencatatan_draft = r["n"], r["selesai"], r["draft"]

    payments = Realisasi.objects.filter(pencatatan__tahun_anggaran=tahun, pencatatan__opd__in=scope).exclude(
        pencatatan__status=Status.BATAL
    )
    for r in (
        payments.values("pencatatan__opd")
        .annotate(
            nilai=Sum("nilai_realisasi"),
            n=Count("pk"),
            novdes=Count("pk", filter=Q(tgl_dicatat__month__in=(11, 12))),
        )
        .order_by()
    ):
        row = rows[r["pencatatan__opd"]]
        row.realisasi_nilai, row.jumlah_realisasi, row.input_nov_des = money(r["nilai"]), r["n"], r["novdes"]

    for r in payments.annotate(lag=_lag()).values("pencatatan__opd", "lag").annotate(n=Count("pk")).order_by():
        rows[r["pencatatan__opd"]].lags[_days(r["lag"])] = r["n"]

    for opd_id, count in (red_flags or {}).items():
        if opd_id in rows:
            rows[opd_id].red_flags = count

    kota = Baris(opd=None)
    for row in rows.values():
        kota.add(row)
    return list(rows.values()), kota


def _days(lag) -> int:
    if isinstance(lag, dt.timedelta):
        return lag.days
    return int(lag)


def entri_per_bulan(*, tahun: int, user: User, opd_id: int | None = None) -> list[tuple[dt.date, int]]:
    """Payments of the year's active records by the month they were first recorded (the pile-up chart)."""
    payments = (
        Realisasi.objects.visible_to(user)
        .filter(pencatatan__tahun_anggaran=tahun)
        .exclude(pencatatan__status=Status.BATAL)
    )
    if opd_id is not None:
        payments = payments.filter(pencatatan__opd=opd_id)
    counts = {
        (r["bulan"].date() if isinstance(r["bulan"], dt.datetime) else r["bulan"]): r["n"]
        for r in payments.annotate(bulan=TruncMonth("tgl_dicatat")).values("bulan").annotate(n=Count("pk")).order_by()
    }
    first = dt.date(tahun, 1, 1)
    last = max([dt.date(tahun, 12, 1), *counts])
    months = []
    month = first
    while month <= last:
        months.append((month, counts.get(month, 0)))
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def kurva_tercatat(
    *, tahun: int, user: User, opd_id: int | None = None
) -> list[tuple[int, Decimal | None, Decimal | None]]:
    """Per month of `tahun`: cumulative persen_tercatat (by the recording date of each package's first
    active record) and the target (the share of RUP pagu whose pemilihan month has come)."""
    packages = PaketRup.objects.visible_to(user).filter(tahun_anggaran=tahun).counting().for_pencatatan()
    if opd_id is not None:
        packages = packages.filter(opd=opd_id)
    first_record = (
        PencatatanRup.objects.filter(paket=OuterRef("pk"))
        .exclude(pencatatan__status=Status.BATAL)
        .filter(
            Q(paket__tipe_paket=TipePaket.PENYEDIA, pencatatan__jenis=JenisPencatatan.NON_TENDER)
            | Q(paket__tipe_paket=TipePaket.SWAKELOLA, pencatatan__jenis=JenisPencatatan.SWAKELOLA)
        )
        .order_by()
        .values("paket")
        .annotate(first=Min("pencatatan__tgl_buat_paket"))
        .values("first")
    )
    total = ZERO
    recorded: dict[int, Decimal] = defaultdict(lambda: ZERO)
    planned: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for p in packages.annotate(pertama=Subquery(first_record)).values("pagu", "pertama", "tgl_awal_pemilihan"):
        total += p["pagu"]
        if p["pertama"] is not None:
            month = 1 if p["pertama"].year < tahun else 13 if p["pertama"].year > tahun else p["pertama"].month
            recorded[month] += p["pagu"]
        plan = p["tgl_awal_pemilihan"]
        planned[1 if plan is None or plan.year < tahun else 12 if plan.year > tahun else plan.month] += p["pagu"]
    curve = []
    done = target = ZERO
    for month in range(1, 13):
        done += recorded[month]
        target += planned[month]
        curve.append((month, percent(done, total), percent(target, total)))
    return curve


def rup_belum_dicatat(*, tahun: int, user: User, opd_id: int | None = None):
    """Counting packages not yet recorded (of one OPD, or of every OPD `user` may see),
    oldest planned month first."""
    packages = counting_rup(tahun).visible_to(user).annotate(tercatat=recorded_exists()).filter(tercatat=False)
    if opd_id is not None:
        packages = packages.filter(opd=opd_id)
    return packages.order_by(F("tgl_awal_pemilihan").asc(nulls_last=True), "kd_rup")
