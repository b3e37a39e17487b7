"""Red flags (DESIGN §7): nine rules that point a pengawas at records that look wrong.

Every rule is computed set-based in the database for a whole fiscal year, whatever the
number of records: rules 1 and 6 with a grouped query each (rule 6 then reads its groups'
members), the seven per-record rules together with one query that groups each active
record with its payments; Python checks the conditions on the rows the database returns
and writes the reasons. `pengadaan.ringkasan` keeps the flags of each OPD and year until
the data change, and the pages read them from there. A pengawas marks a
flag reviewed with a note (`redflag_review`); the review is stored in `RedFlagReview`,
keyed by the flag's stable identity string `Flag.kode`, and kept in its history.

Scope: only records `user` may see (`Pencatatan.objects.visible_to(user)`) of
`tahun_anggaran == tahun`. "Active" means status not Batal (DESIGN §5), and every rule
ignores Batal records: a cancelled record no longer counts anywhere, so flagging it would
only be noise. Rule by rule:

1. Kemungkinan pemecahan paket: ≥2 active non-tender records with method Pengadaan
   Langsung, in one OPD, of one `kategori_pengadaan`, with one supplier NPWP (a record's
   suppliers are the Penyedia of its realisasi; suppliers without NPWP are ignored), each
   with pagu at most the PL ceiling (i.e. lawful as a PL on its own), whose pagu together
   exceed the ceiling. One flag per (OPD, NPWP, kategori). A record with several suppliers
   may appear in several groups.
2. PL melebihi batas: an active PL record whose pagu is above the ceiling (exactly at the
   ceiling is lawful: "paling banyak").
3. Realisasi melebihi pagu: total realisasi of an active record above its pagu.
4. Kebiasaan terlambat mencatat: one flag per OPD and year when more than a share (default:
   half) of the realisasi entries of its active records were first recorded (`tgl_dicatat`)
   more than N days after their `tgl_realisasi` (exactly N days is not late; exactly half is
   not more than half). It names the count, the share and the latest entries (the records of
   the five entries recorded latest after payment). Lateness per entry is a dashboard figure,
   not a flag: per entry it would flag about two thirds of all real entries.
5. Selesai tanpa realisasi: status Selesai and no realisasi at all.
6. Kemungkinan input ganda: ≥2 active records of one OPD with the same non-empty `kd_rup`
   text (the `;`-joined RUP codes) and the same pagu. One flag per group.
7. Melewati tanggal selesai: status Berjalan and `tgl_selesai_paket` more than N days before
   today (`today=` or `timezone.localdate()`); a record without that date is not flagged.
8. PDN/UMK tidak wajar: `nilai_pdn_pct` or `nilai_umk_pct` above the total realisasi, or —
   when the record has no realisasi yet — above its pagu (the values are entered when the
   record is made, so without payments the pagu is the only bound); or exactly 100 on a
   record whose total realisasi is above Rp100.000 (a percentage typed into a Rupiah field).
   One flag per record, naming each implausible value.
9. Bukti tidak sesuai nilai (Perpres 16/2018 ps. 28): a bukti pembelian payment above
   Rp10 juta or a kuitansi payment above Rp50 juta (exactly at the limit is allowed). One
   flag per record. Applies to swakelola payments too: the proof limits do not depend on
   the kind of record.

Flag identity (`kode`, what a review is attached to):

- rules 2, 3, 5 and 7–9, one record: ``R<rule>:pencatatan:<pk>``;
- rule 1: ``R1:opd:<opd pk>:npwp:<npwp>:kategori:<kategori>:tahun:<tahun>``;
- rule 4: ``R4:opd:<opd pk>:tahun:<tahun>``;
- rule 6: ``R6:opd:<opd pk>:kd_rup:<kd_rup>:pagu:<pagu, 2 decimals>:tahun:<tahun>``
  (a `kd_rup` longer than 100 characters is replaced by ``sha256-<first 40 hex digits>``).

Thresholds (settings, all optional; read on every call, so an override applies at once):

======================================  ==============  ===========================================
setting                                 default         meaning
======================================  ==============  ===========================================
``REDFLAG_BATAS_PL_BARANG``             200000000       PL ceiling for Barang, also for Terintegrasi
``REDFLAG_BATAS_PL_JASA_LAINNYA``       200000000       PL ceiling for Jasa Lainnya
``REDFLAG_BATAS_PL_KONSTRUKSI``         400000000       PL ceiling for Pekerjaan Konstruksi
``REDFLAG_BATAS_PL_KONSULTANSI``        100000000       PL ceiling for Jasa Konsultansi
``REDFLAG_HARI_TERLAMBAT_CATAT``        30              rule 4: days between payment and recording
``REDFLAG_PORSI_TERLAMBAT_CATAT``       0.5             rule 4: share of an OPD's entries above which it is flagged
``REDFLAG_HARI_LEWAT_SELESAI``          30              rule 7: days past `tgl_selesai_paket`
``REDFLAG_PDN_UMK_NILAI_PERSEN``        100             rule 8: the value that looks like a percentage
``REDFLAG_PDN_UMK_MIN_REALISASI``       100000          rule 8: ... on a record whose realisasi is above this
``REDFLAG_BATAS_BUKTI_PEMBELIAN``       10000000        rule 9: largest payment a bukti pembelian may prove
``REDFLAG_BATAS_KUITANSI``              50000000        rule 9: largest payment a kuitansi may prove
======================================  ==============  ===========================================

Records of a kategori without a ceiling (none set) are never flagged by rules 1 and 2.
"""

from __future__ import annotations

import hashlib
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import reduce
from typing import TYPE_CHECKING, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    Count,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import RowNumber
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from opd.templatetags.format_id import format_rupiah
from pengadaan.models import (
    JenisPencatatan,
    JenisPengadaan,
    JenisRealisasi,
    MetodePemilihan,
    Pencatatan,
    Realisasi,
    RedFlagReview,
    Status,
)
from pengadaan.models.realisasi import format_npwp

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opd.models import User

RULES: dict[int, str] = {
    1: gettext_lazy("Kemungkinan pemecahan paket"),
    2: gettext_lazy("Pengadaan Langsung melebihi batas"),
    3: gettext_lazy("Realisasi melebihi pagu"),
    4: gettext_lazy("Kebiasaan terlambat mencatat"),
    5: gettext_lazy("Selesai tanpa realisasi"),
    6: gettext_lazy("Kemungkinan input ganda"),
    7: gettext_lazy("Melewati tanggal selesai"),
    8: gettext_lazy("Nilai PDN/UMK tidak wajar"),
    9: gettext_lazy("Bukti tidak sesuai nilai"),
}
PER_RECORD_RULES = frozenset({2, 3, 5, 7, 8, 9})
LATEST_SHOWN = 5  # rule 4 names the records of this many entries recorded latest
# Which flags a supervisor should see first: possible fraud and money errors before lateness.
PRIORITY = {1: 0, 2: 1, 3: 2, 6: 3, 8: 4, 9: 5, 5: 6, 7: 7, 4: 8}

MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY)
PL = MetodePemilihan.PENGADAAN_LANGSUNG


@dataclass(frozen=True)
class Flag:
    rule: int
    kode: str
    opd_id: int
    pencatatan_ids: tuple[int, ...]
    judul: str
    alasan: str
    # what the reason is written from (JSON-safe), so that a stored flag is shown in the reader's language
    data: dict = field(default_factory=dict, compare=False, repr=False)


# --- thresholds ------------------------------------------------------------------------------


def _setting(name: str, default: int) -> Decimal:
    return Decimal(str(getattr(settings, name, default)))


@dataclass(frozen=True)
class _Batas:
    pl: dict[str, Decimal]
    hari_terlambat_catat: int
    porsi_terlambat_catat: Decimal
    hari_lewat_selesai: int
    nilai_persen: Decimal
    min_realisasi_persen: Decimal
    bukti_pembelian: Decimal
    kuitansi: Decimal
    today: date

    @classmethod
    def from_settings(cls, today: date | None) -> _Batas:
        barang = _setting("REDFLAG_BATAS_PL_BARANG", 200_000_000)
        return cls(
            pl={
                JenisPengadaan.BARANG.value: barang,
                # Terintegrasi has no ceiling of its own in the Perpres: use the Barang ceiling.
                JenisPengadaan.TERINTEGRASI.value: barang,
                JenisPengadaan.JASA_LAINNYA.value: _setting("REDFLAG_BATAS_PL_JASA_LAINNYA", 200_000_000),
                JenisPengadaan.KONSTRUKSI.value: _setting("REDFLAG_BATAS_PL_KONSTRUKSI", 400_000_000),
                JenisPengadaan.KONSULTANSI.value: _setting("REDFLAG_BATAS_PL_KONSULTANSI", 100_000_000),
            },
            hari_terlambat_catat=int(getattr(settings, "REDFLAG_HARI_TERLAMBAT_CATAT", 30)),
            porsi_terlambat_catat=Decimal(str(getattr(settings, "REDFLAG_PORSI_TERLAMBAT_CATAT", "0.5"))),
            hari_lewat_selesai=int(getattr(settings, "REDFLAG_HARI_LEWAT_SELESAI", 30)),
            nilai_persen=_setting("REDFLAG_PDN_UMK_NILAI_PERSEN", 100),
            min_realisasi_persen=_setting("REDFLAG_PDN_UMK_MIN_REALISASI", 100_000),
            bukti_pembelian=_setting("REDFLAG_BATAS_BUKTI_PEMBELIAN", 10_000_000),
            kuitansi=_setting("REDFLAG_BATAS_KUITANSI", 50_000_000),
            today=today or timezone.localdate(),
        )

    def as_dict(self) -> dict:
        """The thresholds (not the day), JSON-safe: what stored flags depend on besides the data."""
        return {
            "pl": {k: str(v) for k, v in self.pl.items()},
            "hari_terlambat_catat": self.hari_terlambat_catat,
            "porsi_terlambat_catat": str(self.porsi_terlambat_catat),
            "hari_lewat_selesai": self.hari_lewat_selesai,
            "nilai_persen": str(self.nilai_persen),
            "min_realisasi_persen": str(self.min_realisasi_persen),
            "bukti_pembelian": str(self.bukti_pembelian),
            "kuitansi": str(self.kuitansi),
        }

    def pl_q(self, *, lookup: str, kategori: str = "kategori_pengadaan") -> Q:
        """`<kategori> = k AND <lookup> <ceiling of k>`, OR-ed over every kategori with a ceiling."""
        return reduce(operator.or_, (Q(**{kategori: k, lookup: batas}) for k, batas in self.pl.items()))


# --- flag identity -----------------------------------------------------------------------------


def kode_pencatatan(rule: int, pencatatan_id: int) -> str:
    return f"R{rule}:pencatatan:{pencatatan_id}"


def kode_pemecahan(*, opd_id: int, npwp: str, kategori: str, tahun: int) -> str:
    return f"R1:opd:{opd_id}:npwp:{npwp}:kategori:{kategori}:tahun:{tahun}"


def kode_terlambat(*, opd_id: int, tahun: int) -> str:
    return f"R4:opd:{opd_id}:tahun:{tahun}"


def kode_ganda(*, opd_id: int, kd_rup: str, pagu: Decimal, tahun: int) -> str:
    if len(kd_rup) > 100:
        kd_rup = "sha256-" + hashlib.sha256(kd_rup.encode()).hexdigest()[:40]
    return f"R6:opd:{opd_id}:kd_rup:{kd_rup}:pagu:{pagu:.2f}:tahun:{tahun}"


_KODE_PENCATATAN = re.compile(r"^R([235789]):pencatatan:(\d+)$")
_KODE_KELOMPOK = re.compile(r"^R([146]):opd:(\d+):(?:.*:)?tahun:(\d+)$")


# --- the rules ---------------------------------------------------------------------------------
# Each takes the scoped records of one year (not yet filtered by status) and returns its flags.


class Temuan(NamedTuple):
    """A flag as a rule finds it, before its reason is written (what `pengadaan.ringkasan` stores)."""

    rule: int
    kode: str
    opd_id: int
    pencatatan_ids: tuple[int, ...]
    data: dict


def _flag(rule: int, kode: str, opd_id: int, ids: Iterable[int], data: dict) -> Temuan:
    return Temuan(rule, kode, opd_id, tuple(sorted(ids)), data)


def build_flag(*, rule: int, kode: str, opd_id: int, pencatatan_ids: Iterable[int], data: dict) -> Flag:
    """A flag with its title and reason written in the active language from `data`."""
    return Flag(
        rule=rule,
        kode=kode,
        opd_id=opd_id,
        pencatatan_ids=tuple(pencatatan_ids),
        judul=str(RULES[rule]),
        alasan=ALASAN[rule](data),
        data=data,
    )


def _d(value) -> Decimal:
    return Decimal(str(value))


def _kategori_label(kategori: str) -> str:
    return str(JenisPengadaan(kategori).label)


def _pemecahan_paket(records: QuerySet[Pencatatan], b: _Batas, tahun: int) -> list[Temuan]:
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
        flags.append(_flag(1, kode, opd_id, members[(opd_id, npwp, kategori)], data))
    return flags


def _alasan_pemecahan(d: dict) -> str:
    return _(
        "%(n)d pencatatan Pengadaan Langsung %(kategori)s dengan penyedia %(nama)s (NPWP %(npwp)s) "
        "masing-masing tidak melebihi batas %(batas)s, tetapi jumlah pagunya %(total)s melebihi batas tersebut."
    ) % {
        "n": d["n"],
        "kategori": _kategori_label(d["kategori"]),
        "nama": d["nama"],
        "npwp": format_npwp(d["npwp"]),
        "batas": format_rupiah(_d(d["batas"])),
        "total": format_rupiah(_d(d["total"])),
    }


def _per_record(records: QuerySet[Pencatatan], b: _Batas, tahun: int, rules: set[int]) -> list[Temuan]:
    """Rules 2, 3, 5, 7, 8 and 9 (those in `rules`) in one query: every active record of the year
    with its payments grouped (total, how many, how late, proof kinds), one pass over each table.
    The conditions are then checked here, each rule's exactly as the module docstring says."""
    pembelian = Q(realisasi__jenis_realisasi=JenisRealisasi.BUKTI_PEMBELIAN)
    kuitansi = Q(realisasi__jenis_realisasi=JenisRealisasi.KUITANSI)
    pembelian_lebih = pembelian & Q(realisasi__nilai_realisasi__gt=b.bukti_pembelian)
    kuitansi_lebih = kuitansi & Q(realisasi__nilai_realisasi__gt=b.kuitansi)
    rows = (
        records.active()
        .values("pk")
        .annotate(
            total=Sum("realisasi__nilai_realisasi"),
            n=Count("realisasi"),
            n_pembelian=Count("realisasi", filter=pembelian_lebih),
            max_pembelian=Max("realisasi__nilai_realisasi", filter=pembelian_lebih),
            n_kuitansi=Count("realisasi", filter=kuitansi_lebih),
            max_kuitansi=Max("realisasi__nilai_realisasi", filter=kuitansi_lebih),
        )
        .values_list(
            "pk",
            "opd_id",
            "jenis",
            "status",
            "mtd_pemilihan",
            "kategori_pengadaan",
            "pagu",
            "nilai_pdn_pct",
            "nilai_umk_pct",
            "tgl_selesai_paket",
            "total",
            "n",
            "n_pembelian",
            "max_pembelian",
            "n_kuitansi",
            "max_kuitansi",
        )
        .order_by()
    )
    overdue_before = b.today - timedelta(days=b.hari_lewat_selesai)
    found: list[Temuan] = []
    for (
        pk,
        opd_id,
        jenis,
        status,
        metode,
        kategori,
        pagu,
        pdn,
        umk,
        selesai,
        total,
        n,
        n_pembelian,
        max_pembelian,
        n_kuitansi,
        max_kuitansi,
    ) in rows.iterator(chunk_size=5000):
        paid = total is not None
        total = total if paid else Decimal("0")
        if 2 in rules and jenis == JenisPencatatan.NON_TENDER and metode == PL:
            batas = b.pl.get(kategori)
            if batas is not None and pagu > batas:
                data = {"pagu": str(pagu), "kategori": kategori, "batas": str(batas)}
                found.append(_flag(2, kode_pencatatan(2, pk), opd_id, [pk], data))
        if 3 in rules and paid and total > pagu:
            found.append(_flag(3, kode_pencatatan(3, pk), opd_id, [pk], {"total": str(total), "pagu": str(pagu)}))
        if 5 in rules and status == Status.SELESAI and not n:
            found.append(_flag(5, kode_pencatatan(5, pk), opd_id, [pk], {"pagu": str(pagu)}))
        if 7 in rules and status == Status.BERJALAN and selesai is not None and selesai < overdue_before:
            data = {"hari": (b.today - selesai).days, "tanggal": selesai.isoformat(), "batas": b.hari_lewat_selesai}
            found.append(_flag(7, kode_pencatatan(7, pk), opd_id, [pk], data))
        if 8 in rules and (pdn is not None or umk is not None):
            parts = _pdn_umk_parts(pdn, umk, total=total, pagu=pagu, b=b)
            if parts:
                found.append(_flag(8, kode_pencatatan(8, pk), opd_id, [pk], {"bagian": parts}))
        if 9 in rules and (n_pembelian or n_kuitansi):
            data = {
                "n_pembelian": n_pembelian,
                "batas_pembelian": str(b.bukti_pembelian),
                "max_pembelian": str(max_pembelian) if n_pembelian else None,
                "n_kuitansi": n_kuitansi,
                "batas_kuitansi": str(b.kuitansi),
                "max_kuitansi": str(max_kuitansi) if n_kuitansi else None,
            }
            found.append(_flag(9, kode_pencatatan(9, pk), opd_id, [pk], data))
    return found


def _pdn_umk_parts(pdn, umk, *, total: Decimal, pagu: Decimal, b: _Batas) -> list[list[str]]:
    """Rule 8's findings on one record: which value is implausible and against what. Without payments
    the pagu is the only bound the values can be checked against (they are entered with the record)."""
    parts = []
    for label, nilai in (("PDN", pdn), ("UMK", umk)):
        if nilai is None:
            continue
        if total > 0 and nilai > total:
            parts.append(["realisasi", label, str(nilai), str(total)])
        elif total == 0 and nilai > pagu:
            parts.append(["pagu", label, str(nilai), str(pagu)])
        elif nilai == b.nilai_persen and total > b.min_realisasi_persen:
            parts.append(["persen", label, str(nilai), str(total)])
    return parts


def _alasan_pl(d: dict) -> str:
    return _("Pagu %(pagu)s melebihi batas Pengadaan Langsung %(kategori)s %(batas)s.") % {
        "pagu": format_rupiah(_d(d["pagu"])),
        "kategori": _kategori_label(d["kategori"]),
        "batas": format_rupiah(_d(d["batas"])),
    }


def _alasan_melebihi_pagu(d: dict) -> str:
    total, pagu = _d(d["total"]), _d(d["pagu"])
    return _("Total realisasi %(total)s melebihi pagu %(pagu)s (selisih %(selisih)s).") % {
        "total": format_rupiah(total),
        "pagu": format_rupiah(pagu),
        "selisih": format_rupiah(total - pagu),
    }


def _days(lag) -> int:
    return lag.days if isinstance(lag, timedelta) else int(lag)


def _terlambat_dicatat(records: QuerySet[Pencatatan], b: _Batas, tahun: int) -> list[Temuan]:
    """Rule 4. One query counts each OPD's entries and late entries; a second, only when an OPD is
    flagged, reads the entries recorded latest of the flagged OPDs (a window per OPD)."""
    lag = ExpressionWrapper(F("tgl_dicatat") - F("tgl_realisasi"), output_field=DurationField())
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
        latest[opd_id].append((_days(lag_value), pencatatan_id))
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
        found.append(_flag(4, kode_terlambat(opd_id=opd_id, tahun=tahun), opd_id, ids, data))
    return found


def _alasan_terlambat(d: dict) -> str:
    return ngettext(
        "%(n)d dari %(total)d realisasi OPD ini (%(persen)s%%) dicatat lebih dari %(batas)d hari setelah tanggal "
        "realisasinya; tanda ini muncul bila lebih dari %(porsi)s%%. Paling lambat: %(hari)s hari.",
        "%(n)d dari %(total)d realisasi OPD ini (%(persen)s%%) dicatat lebih dari %(batas)d hari setelah tanggal "
        "realisasinya; tanda ini muncul bila lebih dari %(porsi)s%%. Paling lambat: %(hari)s hari.",
        d["total"],
    ) % {
        "n": d["n"],
        "total": d["total"],
        "persen": number_format(Decimal(d["persen"])),
        "porsi": number_format(Decimal(d["porsi"])),
        "batas": d["batas"],
        "hari": ", ".join(str(h) for h in d["hari"]),
    }


def _alasan_selesai(d: dict) -> str:
    return _("Berstatus Selesai tetapi belum memiliki realisasi (pagu %(pagu)s).") % {
        "pagu": format_rupiah(_d(d["pagu"]))
    }


def _input_ganda(records: QuerySet[Pencatatan], b: _Batas, tahun: int) -> list[Temuan]:
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
        _flag(
            6,
            kode_ganda(opd_id=opd_id, kd_rup=kd_rup, pagu=pagu, tahun=tahun),
            opd_id,
            ids,
            {"n": len(ids), "kd_rup": kd_rup, "pagu": str(pagu)},
        )
        for (opd_id, kd_rup, pagu), ids in groups.items()
    ]


def _alasan_ganda(d: dict) -> str:
    return _("%(n)d pencatatan aktif dengan kode RUP %(kd_rup)s dan pagu %(pagu)s yang sama.") % {
        "n": d["n"],
        "kd_rup": d["kd_rup"],
        "pagu": format_rupiah(_d(d["pagu"])),
    }


def _alasan_lewat_selesai(d: dict) -> str:
    return _("Masih Berjalan %(hari)d hari setelah tanggal selesai kontrak %(tanggal)s (batas %(batas)d hari).") % {
        "hari": d["hari"],
        "tanggal": f"{date.fromisoformat(d['tanggal']):%d/%m/%Y}",
        "batas": d["batas"],
    }


def _alasan_pdn_umk(d: dict) -> str:
    labels = {"PDN": _("PDN"), "UMK": _("UMK")}
    templates = {
        "realisasi": _("nilai %(label)s %(nilai)s melebihi total realisasi %(acuan)s"),
        "pagu": _("nilai %(label)s %(nilai)s melebihi pagu %(acuan)s (belum ada realisasi)"),
        "persen": _(
            "nilai %(label)s tepat %(nilai)s padahal total realisasi %(acuan)s "
            "(kemungkinan persen diketik di kolom Rupiah)"
        ),
    }
    alasan = "; ".join(
        templates[kind] % {"label": labels[label], "nilai": format_rupiah(_d(nilai)), "acuan": format_rupiah(_d(acuan))}
        for kind, label, nilai, acuan in d["bagian"]
    )
    return alasan[:1].upper() + alasan[1:] + "."


def _alasan_bukti(d: dict) -> str:
    parts = []
    if d["n_pembelian"]:
        parts.append(
            _("%(n)d bukti pembelian untuk pembayaran di atas %(batas)s (terbesar %(nilai)s)")
            % {
                "n": d["n_pembelian"],
                "batas": format_rupiah(_d(d["batas_pembelian"])),
                "nilai": format_rupiah(_d(d["max_pembelian"])),
            }
        )
    if d["n_kuitansi"]:
        parts.append(
            _("%(n)d kuitansi untuk pembayaran di atas %(batas)s (terbesar %(nilai)s)")
            % {
                "n": d["n_kuitansi"],
                "batas": format_rupiah(_d(d["batas_kuitansi"])),
                "nilai": format_rupiah(_d(d["max_kuitansi"])),
            }
        )
    return "; ".join(parts) + "."


ALASAN: dict[int, Callable[[dict], str]] = {
    1: _alasan_pemecahan,
    2: _alasan_pl,
    3: _alasan_melebihi_pagu,
    4: _alasan_terlambat,
    5: _alasan_selesai,
    6: _alasan_ganda,
    7: _alasan_lewat_selesai,
    8: _alasan_pdn_umk,
    9: _alasan_bukti,
}

_GROUP_RULES: dict[int, Callable[[QuerySet[Pencatatan], _Batas, int], list[Temuan]]] = {
    1: _pemecahan_paket,
    4: _terlambat_dicatat,
    6: _input_ganda,
}


# --- reads -------------------------------------------------------------------------------------


def _records(*, tahun: int, user: User | AnonymousUser, opd_id: int | None) -> QuerySet[Pencatatan]:
    records = Pencatatan.objects.visible_to(user).filter(tahun_anggaran=tahun)
    if opd_id is not None:
        records = records.filter(opd_id=opd_id)
    return records.order_by()


def _compute(records: QuerySet[Pencatatan], *, tahun: int, rules: Iterable[int], today: date | None) -> list[Temuan]:
    batas = _Batas.from_settings(today)
    rules = set(rules)
    found = [flag for rule in sorted(rules & set(_GROUP_RULES)) for flag in _GROUP_RULES[rule](records, batas, tahun)]
    if rules & PER_RECORD_RULES:
        found += _per_record(records, batas, tahun, rules & PER_RECORD_RULES)
    return sorted(found, key=lambda f: (f.rule, f.opd_id, f.pencatatan_ids, f.kode))


def _written(found: list[Temuan]) -> list[Flag]:
    return [
        build_flag(rule=t.rule, kode=t.kode, opd_id=t.opd_id, pencatatan_ids=t.pencatatan_ids, data=t.data)
        for t in found
    ]


def flags_for(
    *,
    tahun: int,
    user: User | AnonymousUser,
    opd_id: int | None = None,
    rules: Iterable[int] | None = None,
    today: date | None = None,
) -> list[Flag]:
    """Every red flag on the records of `tahun` that `user` may see (of one OPD when `opd_id` is given).

    Sorted by rule, OPD and records. `rules` limits the rules computed (default all nine);
    `today` is rule 7's reference day (default `timezone.localdate()`). No side effects; one
    or two queries per rule, whatever the number of records and flags.
    """
    rules = list(RULES) if rules is None else list(rules)
    unknown = set(rules) - set(RULES)
    if unknown:
        raise ValueError(f"unknown red-flag rules: {sorted(unknown)}")
    return _written(_compute(_records(tahun=tahun, user=user, opd_id=opd_id), tahun=tahun, rules=rules, today=today))


def flags_for_opds(*, tahun: int, opd_ids: list[int], today: date | None = None) -> list[Temuan]:
    """Every red flag of `tahun` on the records of the OPDs `opd_ids`, reasons not yet written (for
    `pengadaan.ringkasan`, which stores them; callers scope the OPDs). Same queries as `flags_for`."""
    records = Pencatatan.objects.filter(tahun_anggaran=tahun, opd_id__in=opd_ids).order_by()
    return _compute(records, tahun=tahun, rules=list(RULES), today=today)


def thresholds() -> dict:
    """The current thresholds of every rule, JSON-safe."""
    return _Batas.from_settings(None).as_dict()


def reviews_for(*, tahun: int, user: User | AnonymousUser, opd_id: int | None = None) -> QuerySet[RedFlagReview]:
    """The reviews of `tahun` that `user` may see, with their reviewer."""
    reviews = RedFlagReview.objects.visible_to(user).filter(tahun=tahun).select_related("ditinjau_oleh")
    if opd_id is not None:
        reviews = reviews.filter(opd_id=opd_id)
    return reviews


def open_flags(
    *,
    tahun: int,
    user: User | AnonymousUser,
    opd_id: int | None = None,
    rules: Iterable[int] | None = None,
    today: date | None = None,
) -> list[Flag]:
    """`flags_for`, without the flags a pengawas has reviewed. One query more than `flags_for`."""
    flags = flags_for(tahun=tahun, user=user, opd_id=opd_id, rules=rules, today=today)
    reviewed = set(reviews_for(tahun=tahun, user=user, opd_id=opd_id).values_list("kode", flat=True))
    return [flag for flag in flags if flag.kode not in reviewed]


def open_counts_by_opd(*, tahun: int, user: User | AnonymousUser, today: date | None = None) -> dict[int, int]:
    """Open flags per OPD pk (the dashboard's `red_flags` column); OPDs without open flags are absent.

    The same fixed number of queries as `open_flags`, whatever the number of OPDs.
    """
    return dict(Counter(flag.opd_id for flag in open_flags(tahun=tahun, user=user, today=today)))


def flag_by_kode(*, tahun: int, user: User | AnonymousUser, kode: str, today: date | None = None) -> Flag | None:
    """The current flag `kode` of `tahun` if `user` may see it, else None.

    Recomputes only that flag's rule, for only its record (rules 2, 3, 5, 7–9) or its OPD (rules 1, 4, 6).
    """
    records = _records(tahun=tahun, user=user, opd_id=None)
    if match := _KODE_PENCATATAN.match(kode):
        rule, records = int(match[1]), records.filter(pk=int(match[2]))
    elif match := _KODE_KELOMPOK.match(kode):
        if int(match[3]) != tahun:
            return None
        rule, records = int(match[1]), records.filter(opd_id=int(match[2]))
    else:
        return None
    found = [t for t in _compute(records, tahun=tahun, rules=[rule], today=today) if t.kode == kode]
    return _written(found)[0] if found else None


# --- writes ------------------------------------------------------------------------------------


def can_review(user: User | AnonymousUser) -> bool:
    """Only the pengawas and the administrator mark flags reviewed (DESIGN §7)."""
    return bool(user.is_authenticated and user.is_active and (user.is_pengawas or user.is_admin_role))


@transaction.atomic
def redflag_review(*, user: User, tahun: int, kode: str, catatan: str) -> RedFlagReview:
    """Mark the current flag `kode` of `tahun` reviewed with `catatan`; reviewing it again replaces the note.

    Raises PermissionDenied for anyone but pengawas and admin, ValidationError for an empty
    note or a kode that is not a current flag visible to `user`.
    Side effects: one RedFlagReview created or updated (reviewer and time set to this
    review), one history entry by `user`.
    """
    if not can_review(user):
        raise PermissionDenied
    catatan = (catatan or "").strip()
    if not catatan:
        raise ValidationError({"catatan": _("Tuliskan catatan hasil tinjauan.")})
    flag = flag_by_kode(tahun=tahun, user=user, kode=kode)
    if flag is None:
        raise ValidationError(
            {"kode": _("Tanda bahaya %(kode)s tidak ada pada tahun %(tahun)s.") % {"kode": kode, "tahun": tahun}}
        )
    review = RedFlagReview.objects.select_for_update().filter(kode=kode).first()
    if review is None:
        review = RedFlagReview(kode=kode, rule=flag.rule, tahun=tahun, opd_id=flag.opd_id)
    else:
        review.ditinjau_pada = timezone.now()
    review.catatan = catatan
    review.ditinjau_oleh = user
    review._history_user = user
    review.save()
    return review
