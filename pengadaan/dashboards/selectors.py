"""What the dashboards show (DESIGN §5): the §5 table per OPD and for the city, the two charts, and
the RUP packages not yet recorded, for the OPDs a person may see.

Read from the stored summaries (`pengadaan.dashboards.ringkasan`), which are computed by
`pengadaan.dashboards.compute`; what is computed from them is cached under their versions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _

from opd.models import Opd
from pengadaan.dashboards import compute, ringkasan
from spse_tracker.formats import money, percent

if TYPE_CHECKING:
    from opd.models import User

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
    "tercatat_spse_paket",
    "tercatat_spse_pagu",
    "persen_tercatat_spse",
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
    "tercatat_spse_paket": _("Paket tercatat di SPSE"),
    "tercatat_spse_pagu": _("Pagu tercatat di SPSE"),
    "persen_tercatat_spse": _("% tercatat di SPSE"),
}


@dataclass
class DashboardRow:
    """One row of the §5 table (an OPD, or the city when `opd` is None)."""

    opd: Opd | None
    rup_paket: int = 0
    rup_pagu: Decimal = compute.ZERO
    tercatat_paket: int = 0
    tercatat_pagu: Decimal = compute.ZERO
    tercatat_spse_paket: int = 0
    tercatat_spse_pagu: Decimal = compute.ZERO
    pencatatan_aktif: int = 0
    pencatatan_selesai: int = 0
    pencatatan_draft: int = 0
    realisasi_nilai: Decimal = compute.ZERO
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
    def persen_tercatat_spse(self) -> Decimal | None:
        """What ITKP sees: the share of pagu recorded by records that exist in SPSE."""
        return percent(self.tercatat_spse_pagu, self.rup_pagu)

    @property
    def median_lag_hari(self) -> Decimal | None:
        return compute.median(self.lags)

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
    def from_data(cls, opd: Opd, data: dict, *, red_flags: int = 0) -> DashboardRow:
        """A row from the JSON-safe numbers `compute.hitung` returns."""
        return cls(
            opd=opd,
            rup_paket=data["rup_paket"],
            rup_pagu=money(data["rup_pagu"]),
            tercatat_paket=data["tercatat_paket"],
            tercatat_pagu=money(data["tercatat_pagu"]),
            tercatat_spse_paket=data["tercatat_spse_paket"],
            tercatat_spse_pagu=money(data["tercatat_spse_pagu"]),
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

    def add(self, other: DashboardRow) -> None:
        for name in (
            "rup_paket",
            "rup_pagu",
            "tercatat_paket",
            "tercatat_pagu",
            "tercatat_spse_paket",
            "tercatat_spse_pagu",
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


def _scope(*, user: User, opd_ids: list[int] | None = None) -> list[Opd]:
    opds = Opd.objects.visible_to(user).order_by("nama_satker")
    if opd_ids is not None:
        opds = opds.filter(pk__in=opd_ids)
    return list(opds)


@dataclass
class Dashboard:
    """What a dashboard shows of its OPDs: the §5 rows, the city row and the two charts."""

    rows: list[DashboardRow]
    kota: DashboardRow
    entri: list[tuple[dt.date, int]]
    kurva: list[tuple[int, Decimal | None, Decimal | None]]
    # the version of each OPD's stored summary these numbers come from (`ringkasan.generation_key`)
    generasi: dict[int, str] = field(default_factory=dict, repr=False)
    # when the oldest numbers shown were computed, if some are out of date (the worker is recomputing them)
    basi_sejak: dt.datetime | None = None


@dataclass
class _Angka:
    """What `dashboard` computes from the stored summaries, cached under their versions: the rows
    without their OPD and open red flags (the OPD is read on every request, so that a renamed OPD
    shows its new name; reviews do not raise the generasi), and the charts."""

    rows: dict[int, DashboardRow]
    kota: DashboardRow
    entri: list[tuple[dt.date, int]]
    kurva: list[tuple[int, Decimal | None, Decimal | None]]
    jumlah_flags: dict[int, int]


def _angka(datas: dict[int, dict], opd_ids: list[int], tahun: int) -> _Angka:
    ordered = [datas[pk] for pk in opd_ids]
    rows = {pk: DashboardRow.from_data(None, datas[pk]) for pk in opd_ids}
    kota = DashboardRow(opd=None)
    for row in rows.values():
        kota.add(row)
    return _Angka(
        rows=rows,
        kota=kota,
        entri=_entri(ordered, tahun),
        kurva=_kurva(ordered, tahun),
        jumlah_flags={pk: datas[pk].get("jumlah_flags", 0) for pk in opd_ids},
    )


def dashboard(*, tahun: int, user: User, opd_ids: list[int] | None = None) -> Dashboard:
    """The dashboard numbers of every OPD `user` may see (or of `opd_ids`) for `tahun`.

    Read from the stored summaries (`pengadaan.dashboards.ringkasan`): three queries (the OPDs, the
    versions of their summaries, the open red flags; one more, the summaries, when the cache does not
    have their numbers), whatever the number of OPDs and records. Out-of-date summaries are shown as
    last stored (`Dashboard.basi_sejak` says since when) and the worker is asked to recompute them
    (`ringkasan.request_refresh`); only summaries never computed are computed here, a fixed number of
    queries more. Side effect: what is computed is cached (Django's default cache) under the
    versions of the summaries it comes from (`ringkasan.generation_key`).
    """
    opds = _scope(user=user, opd_ids=opd_ids)
    ids = [opd.pk for opd in opds]
    probed = ringkasan.probe(tahun=tahun, opd_ids=ids)
    generasi, angka = probed.seen, None
    if not probed.missing:
        angka = cache.get(ringkasan.generation_key("dashboard", tahun=tahun, generasi=generasi))
    if angka is None:
        datas, generasi = ringkasan.current_data(tahun=tahun, opd_ids=ids, probed=probed)
        angka = _angka(datas, ids, tahun)
        cache.set(ringkasan.generation_key("dashboard", tahun=tahun, generasi=generasi), angka, ringkasan.CACHE_SECONDS)
    if probed.shown:
        ringkasan.request_refresh(tahun=tahun)
    red_flags = ringkasan.open_flag_counts(tahun=tahun, jumlah_flags=angka.jumlah_flags)
    rows = []
    for opd in opds:
        row = angka.rows[opd.pk]  # a copy of its own: the cache hands out a new one on every get
        row.opd, row.red_flags = opd, red_flags.get(opd.pk, 0)
        rows.append(row)
    kota = angka.kota
    kota.red_flags = sum(row.red_flags for row in rows)
    return Dashboard(
        rows=rows, kota=kota, entri=angka.entri, kurva=angka.kurva, generasi=generasi, basi_sejak=probed.since
    )


def tabel(*, tahun: int, user: User, opd_ids: list[int] | None = None) -> tuple[list[DashboardRow], DashboardRow]:
    """The §5 rows of every OPD `user` may see (or of `opd_ids`), and the city row."""
    numbers = dashboard(tahun=tahun, user=user, opd_ids=opd_ids)
    return numbers.rows, numbers.kota


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
    total = compute.ZERO
    recorded: dict[int, Decimal] = defaultdict(lambda: compute.ZERO)
    planned: dict[int, Decimal] = defaultdict(lambda: compute.ZERO)
    for data in datas:
        total += Decimal(data["rup_pagu"])
        for month, pagu in data["kurva_tercatat"].items():
            recorded[int(month)] += Decimal(pagu)
        for month, pagu in data["kurva_rencana"].items():
            planned[min(int(month), 12)] += Decimal(pagu)
    curve = []
    done = target = compute.ZERO
    for month in range(1, 13):
        done += recorded[month]
        target += planned[month]
        curve.append((month, percent(done, total), percent(target, total)))
    return curve


def rup_belum_dicatat(*, tahun: int, user: User, opd_id: int | None = None, limit: int | None = None):
    """Counting packages not yet recorded (of one OPD, or of every OPD `user` may see),
    oldest planned month first; the first `limit` of them when given (a page reads only
    those: the index gives them in order)."""
    packages = (
        compute.counting_rup(tahun).visible_to(user).annotate(tercatat=compute.recorded_exists()).filter(tercatat=False)
    )
    if opd_id is not None:
        packages = packages.filter(opd=opd_id)
    packages = packages.order_by(F("tgl_awal_pemilihan").asc(nulls_last=True), "kd_rup")
    return packages[:limit] if limit is not None else packages


def rup_belum_dicatat_pertama(*, tahun: int, user: User, opd_id: int, limit: int, generasi: dict[int, str]) -> list:
    """The first `limit` packages of one OPD not yet recorded (`rup_belum_dicatat`), cached under the
    version of its summary `generasi` (`Dashboard.generasi`, read before the packages): every write to its
    packages, records or their links raises it, so the cache never holds them older than that. The same
    for everyone who may see the OPD (the caller has checked that)."""
    key = ringkasan.generation_key("belum", tahun=tahun, generasi=generasi, extra=(opd_id, limit))
    packages = cache.get(key)
    if packages is None:
        packages = list(rup_belum_dicatat(tahun=tahun, user=user, opd_id=opd_id, limit=limit))
        cache.set(key, packages, ringkasan.CACHE_SECONDS)
    return packages


@dataclass(frozen=True)
class FlagGroup:
    """The open (or reviewed, or all) flags of one rule, with their count per OPD (largest first)."""

    rule: int
    jumlah: int
    per_opd: list[tuple[int, int]]  # (OPD pk, count)


def flag_groups(*, tahun: int, opd_ids: list[int], status: str = "open", rule: int | None = None) -> list[FlagGroup]:
    """The stored flags of `opd_ids` (whose summaries must be current) counted by rule and OPD, rules in
    their order: one grouped query, whatever the number of flags."""
    counts = (
        ringkasan.stored_flags(tahun=tahun, opd_ids=opd_ids, status=status, rule=rule)
        .order_by()
        .values_list("rule", "opd_id")
        .annotate(n=Count("pk"))
    )
    per_rule: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for rule_n, opd_id, n in counts:
        per_rule[rule_n].append((opd_id, n))
    return [
        FlagGroup(
            rule=rule_n,
            jumlah=sum(n for _opd, n in per_rule[rule_n]),
            per_opd=sorted(per_rule[rule_n], key=lambda item: (-item[1], item[0])),
        )
        for rule_n in sorted(per_rule)
    ]
