"""Red flags (DESIGN §7): nine rules that point a pengawas at records that look wrong.

Flags are not stored. Every rule is computed set-based in the database for a whole
fiscal year (one or two aggregate queries per rule, whatever the number of records);
Python only turns the rows the database returns into `Flag` objects. A pengawas marks a
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
4. Terlambat dicatat: an active record with a realisasi first recorded (`tgl_dicatat`) more
   than N days after its `tgl_realisasi` (exactly N days is not late). One flag per record,
   naming how many payments were late and the worst lag.
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

- rules 2–5 and 7–9, one record: ``R<rule>:pencatatan:<pk>``;
- rule 1: ``R1:opd:<opd pk>:npwp:<npwp>:kategori:<kategori>:tahun:<tahun>``;
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
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import reduce
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
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
    4: gettext_lazy("Realisasi terlambat dicatat"),
    5: gettext_lazy("Selesai tanpa realisasi"),
    6: gettext_lazy("Kemungkinan input ganda"),
    7: gettext_lazy("Melewati tanggal selesai"),
    8: gettext_lazy("Nilai PDN/UMK tidak wajar"),
    9: gettext_lazy("Bukti tidak sesuai nilai"),
}
PER_RECORD_RULES = frozenset({2, 3, 4, 5, 7, 8, 9})

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


# --- thresholds ------------------------------------------------------------------------------


def _setting(name: str, default: int) -> Decimal:
    return Decimal(str(getattr(settings, name, default)))


@dataclass(frozen=True)
class _Batas:
    pl: dict[str, Decimal]
    hari_terlambat_catat: int
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
            hari_lewat_selesai=int(getattr(settings, "REDFLAG_HARI_LEWAT_SELESAI", 30)),
            nilai_persen=_setting("REDFLAG_PDN_UMK_NILAI_PERSEN", 100),
            min_realisasi_persen=_setting("REDFLAG_PDN_UMK_MIN_REALISASI", 100_000),
            bukti_pembelian=_setting("REDFLAG_BATAS_BUKTI_PEMBELIAN", 10_000_000),
            kuitansi=_setting("REDFLAG_BATAS_KUITANSI", 50_000_000),
            today=today or timezone.localdate(),
        )

    def pl_q(self, *, lookup: str, kategori: str = "kategori_pengadaan") -> Q:
        """`<kategori> = k AND <lookup> <ceiling of k>`, OR-ed over every kategori with a ceiling."""
        return reduce(operator.or_, (Q(**{kategori: k, lookup: batas}) for k, batas in self.pl.items()))


# --- flag identity -----------------------------------------------------------------------------


def kode_pencatatan(rule: int, pencatatan_id: int) -> str:
    return f"R{rule}:pencatatan:{pencatatan_id}"


def kode_pemecahan(*, opd_id: int, npwp: str, kategori: str, tahun: int) -> str:
    return f"R1:opd:{opd_id}:npwp:{npwp}:kategori:{kategori}:tahun:{tahun}"


def kode_ganda(*, opd_id: int, kd_rup: str, pagu: Decimal, tahun: int) -> str:
    if len(kd_rup) > 100:
        kd_rup = "sha256-" + hashlib.sha256(kd_rup.encode()).hexdigest()[:40]
    return f"R6:opd:{opd_id}:kd_rup:{kd_rup}:pagu:{pagu:.2f}:tahun:{tahun}"


_KODE_PENCATATAN = re.compile(r"^R([2-57-9]):pencatatan:(\d+)$")
_KODE_KELOMPOK = re.compile(r"^R([16]):opd:(\d+):.*:tahun:(\d+)$")


# --- the rules ---------------------------------------------------------------------------------
# Each takes the scoped records of one year (not yet filtered by status) and returns its flags.


def _flag(rule: int, kode: str, opd_id: int, ids: Iterable[int], alasan: str) -> Flag:
    return Flag(
        rule=rule, kode=kode, opd_id=opd_id, pencatatan_ids=tuple(sorted(ids)), judul=str(RULES[rule]), alasan=alasan
    )


def _kategori_label(kategori: str) -> str:
    return str(JenisPengadaan(kategori).label)


def _pemecahan_paket(records: QuerySet[Pencatatan], b: _Batas, tahun: int) -> list[Flag]:
    """Rule 1. Two queries: the groups above the ceiling, then their members."""
    candidates = (
        records.active().filter(jenis=JenisPencatatan.NON_TENDER, mtd_pemilihan=PL).filter(b.pl_q(lookup="pagu__lte"))
    )
    # One row per (record, supplier): the first payment of that supplier on that record,
    # so that a record paid three times to one supplier counts (and sums) once.
    earlier_same_pair = Realisasi.objects.filter(
        pencatatan=OuterRef("pencatatan"), penyedia=OuterRef("penyedia"), pk__lt=OuterRef("pk")
    )
    pairs = Realisasi.objects.filter(pencatatan__in=candidates, penyedia__npwp__isnull=False).filter(
        ~Exists(earlier_same_pair)
    )
    key = ("pencatatan__opd_id", "penyedia__npwp", "pencatatan__kategori_pengadaan")
    groups = list(
        pairs.order_by()
        .values(*key)
        .annotate(n=Count("pencatatan_id"), total=Sum("pencatatan__pagu"), nama=Max("penyedia__nama"))
        .filter(n__gte=2)
        .filter(b.pl_q(lookup="total__gt", kategori="pencatatan__kategori_pengadaan"))
    )
    if not groups:
        return []
    members: dict[tuple, list[int]] = defaultdict(list)
    rows = (
        pairs.filter(
            pencatatan__opd_id__in={g[key[0]] for g in groups},
            penyedia__npwp__in={g[key[1]] for g in groups},
        )
        .order_by()
        .values_list(*key, "pencatatan_id")
    )
    for opd_id, npwp, kategori, pencatatan_id in rows:
        members[(opd_id, npwp, kategori)].append(pencatatan_id)
    flags = []
    for g in groups:
        opd_id, npwp, kategori = (g[k] for k in key)
        batas = b.pl[kategori]
        alasan = _(
            "%(n)d pencatatan Pengadaan Langsung %(kategori)s dengan penyedia %(nama)s (NPWP %(npwp)s) "
            "masing-masing tidak melebihi batas %(batas)s, tetapi jumlah pagunya %(total)s melebihi batas tersebut."
        ) % {
            "n": g["n"],
            "kategori": _kategori_label(kategori),
            "nama": g["nama"],
            "npwp": format_npwp(npwp),
            "batas": format_rupiah(batas),
            "total": format_rupiah(g["total"]),
        }
        kode = kode_pemecahan(opd_id=opd_id, npwp=npwp, kategori=kategori, tahun=tahun)
        flags.append(_flag(1, kode, opd_id, members[(opd_id, npwp, kategori)], alasan))
    return flags


def _pl_melebihi_batas(records: QuerySet[Pencatatan], b: _Batas, tahun: int) -> list[Flag]:
    """Rule 2. One query."""
    rows = (
        records.active()
        .filter(jenis=JenisPencatatan.NON_TENDER, mtd_pemilihan=PL)
        .filter(b.pl_q(lookup="pagu__gt"))
        .values_list("pk", "opd_id", "pagu", "kategori_pengadaan")
    )
    return [
        _flag(
            2,
            kode_pencatatan(2, pk),
            opd_id,
            [pk],
            _("Pagu %(pagu)s melebihi batas Pengadaan Langsung %(kategori)s %(batas)s.")
            % {
                "pagu": format_rupiah(pagu),
                "kategori": _kategori_label(kategori),
                "batas": format_rupiah(b.pl[kategori]),
            },
        )
        for pk, opd_id, pagu, kategori in rows
    ]


def _realisasi_melebihi_pagu(records: QuerySet[Pencatatan], b: _Batas, tahun: int) -> list[Flag]:
    """Rule 3. One query (GROUP BY record, HAVING sum > pagu)."""
    rows = (
        records.active()
        .values("pk", "opd_id", "pagu")
        .annotate(total=Sum("realisasi__nilai_realisasi"))
        .filter(total__gt=F("pagu"))
        .values_list("pk", "opd_id", "pagu", "total")
    )
    return [
        _flag(
            3,
            kode_pencatatan(3, pk),
            opd_id,
            [pk],
            _("Total realisasi %(total)s melebihi pagu %(pagu)s (selisih %(selisih)s).")
            % {"total": format_rupiah(total), "pagu": format_rupiah(pagu), "selisih": format_rupiah(total - pagu)},
        )
        for pk, opd_id, pagu, total in rows
    ]


def _terlambat_dicatat(records: QuerySet[Pencatatan], b: _Batas, tahun: int) -> list[Flag]:
    """Rule 4. One query (late payments grouped by record)."""
    lag = ExpressionWrapper(F("tgl_dicatat") - F("tgl_realisasi"), output_field=DurationField())
    rows = (
        Realisasi.objects.filter(pencatatan__in=records.active())
        .annotate(lag=lag)
        .filter(lag__gt=timedelta(days=b.hari_terlambat_catat))
        .order_by()
        .values("pencatatan_id", "pencatatan__opd_id")
        .annotate(n=Count("pk"), terlama=Max("lag"))
        .values_list("pencatatan_id", "pencatatan__opd_id", "n", "terlama")
    )
    return [
        _flag(
            4,
            kode_pencatatan(4, pk),
            opd_id,
            [pk],
            ngettext(
                "%(n)d realisasi dicatat lebih dari %(batas)d hari setelah tanggal realisasinya; "
                "paling lambat %(hari)d hari.",
                "%(n)d realisasi dicatat lebih dari %(batas)d hari setelah tanggal realisasinya; "
                "paling lambat %(hari)d hari.",
                n,
            )
            % {"n": n, "batas": b.hari_terlambat_catat, "hari": terlama.days},
        )
        for pk, opd_id, n, terlama in rows
    ]


def _selesai_tanpa_realisasi(records: QuerySet[Pencatatan], b: _Batas, tahun: int) -> list[Flag]:
    """Rule 5. One query."""
    rows = (
        records.filter(status=Status.SELESAI)
        .filter(~Exists(Realisasi.objects.filter(pencatatan=OuterRef("pk"))))
        .values_list("pk", "opd_id", "pagu")
    )
    return [
        _flag(
            5,
            kode_pencatatan(5, pk),
            opd_id,
            [pk],
            _("Berstatus Selesai tetapi belum memiliki realisasi (pagu %(pagu)s).") % {"pagu": format_rupiah(pagu)},
        )
        for pk, opd_id, pagu in rows
    ]


def _input_ganda(records: QuerySet[Pencatatan], b: _Batas, tahun: int) -> list[Flag]:
    """Rule 6. One query: every active record that has a twin (same OPD, kd_rup and pagu)."""
    active = records.active().exclude(kd_rup="")
    twin = active.filter(opd_id=OuterRef("opd_id"), kd_rup=OuterRef("kd_rup"), pagu=OuterRef("pagu")).exclude(
        pk=OuterRef("pk")
    )
    groups: dict[tuple[int, str, Decimal], list[int]] = defaultdict(list)
    for pk, opd_id, kd_rup, pagu in active.filter(Exists(twin)).values_list("pk", "opd_id", "kd_rup", "pagu"):
        groups[(opd_id, kd_rup, pagu)].append(pk)
    return [
        _flag(
            6,
            kode_ganda(opd_id=opd_id, kd_rup=kd_rup, pagu=pagu, tahun=tahun),
            opd_id,
            ids,
            _("%(n)d pencatatan aktif dengan kode RUP %(kd_rup)s dan pagu %(pagu)s yang sama.")
            % {"n": len(ids), "kd_rup": kd_rup, "pagu": format_rupiah(pagu)},
        )
        for (opd_id, kd_rup, pagu), ids in groups.items()
    ]


def _melewati_tanggal_selesai(records: QuerySet[Pencatatan], b: _Batas, tahun: int) -> list[Flag]:
    """Rule 7. One query."""
    rows = records.filter(
        status=Status.BERJALAN, tgl_selesai_paket__lt=b.today - timedelta(days=b.hari_lewat_selesai)
    ).values_list("pk", "opd_id", "tgl_selesai_paket")
    return [
        _flag(
            7,
            kode_pencatatan(7, pk),
            opd_id,
            [pk],
            _("Masih Berjalan %(hari)d hari setelah tanggal selesai kontrak %(tanggal)s (batas %(batas)d hari).")
            % {"hari": (b.today - selesai).days, "tanggal": f"{selesai:%d/%m/%Y}", "batas": b.hari_lewat_selesai},
        )
        for pk, opd_id, selesai in rows
    ]


def _pdn_umk_tidak_wajar(records: QuerySet[Pencatatan], b: _Batas, tahun: int) -> list[Flag]:
    """Rule 8. One query (total realisasi as a correlated subquery)."""
    payments = (
        Realisasi.objects.filter(pencatatan=OuterRef("pk"))
        .order_by()
        .values("pencatatan")
        .annotate(s=Sum("nilai_realisasi"))
        .values("s")
    )
    rows = (
        records.active()
        .annotate(total=Coalesce(Subquery(payments, output_field=MONEY), ZERO))
        # Without payments, the pagu is the only bound the values can be checked against.
        .annotate(acuan=Case(When(total__gt=0, then=F("total")), default=F("pagu"), output_field=MONEY))
        .filter(
            Q(nilai_pdn_pct__gt=F("acuan"))
            | Q(nilai_umk_pct__gt=F("acuan"))
            | (
                Q(total__gt=b.min_realisasi_persen)
                & (Q(nilai_pdn_pct=b.nilai_persen) | Q(nilai_umk_pct=b.nilai_persen))
            )
        )
        .values_list("pk", "opd_id", "pagu", "total", "nilai_pdn_pct", "nilai_umk_pct")
    )
    flags = []
    for pk, opd_id, pagu, total, pdn, umk in rows:
        parts = []
        for label, nilai in ((_("PDN"), pdn), (_("UMK"), umk)):
            if nilai is None:
                continue
            if total > 0 and nilai > total:
                parts.append(
                    _("nilai %(label)s %(nilai)s melebihi total realisasi %(total)s")
                    % {"label": label, "nilai": format_rupiah(nilai), "total": format_rupiah(total)}
                )
            elif total == 0 and nilai > pagu:
                parts.append(
                    _("nilai %(label)s %(nilai)s melebihi pagu %(pagu)s (belum ada realisasi)")
                    % {"label": label, "nilai": format_rupiah(nilai), "pagu": format_rupiah(pagu)}
                )
            elif nilai == b.nilai_persen and total > b.min_realisasi_persen:
                parts.append(
                    _(
                        "nilai %(label)s tepat %(nilai)s padahal total realisasi %(total)s "
                        "(kemungkinan persen diketik di kolom Rupiah)"
                    )
                    % {"label": label, "nilai": format_rupiah(nilai), "total": format_rupiah(total)}
                )
        alasan = "; ".join(parts)
        flags.append(_flag(8, kode_pencatatan(8, pk), opd_id, [pk], alasan[:1].upper() + alasan[1:] + "."))
    return flags


def _bukti_tidak_sesuai(records: QuerySet[Pencatatan], b: _Batas, tahun: int) -> list[Flag]:
    """Rule 9. One query (unfit payments grouped by record)."""
    pembelian = Q(jenis_realisasi=JenisRealisasi.BUKTI_PEMBELIAN)
    kuitansi = Q(jenis_realisasi=JenisRealisasi.KUITANSI)
    rows = (
        Realisasi.objects.filter(pencatatan__in=records.active())
        .filter((pembelian & Q(nilai_realisasi__gt=b.bukti_pembelian)) | (kuitansi & Q(nilai_realisasi__gt=b.kuitansi)))
        .order_by()
        .values("pencatatan_id", "pencatatan__opd_id")
        .annotate(
            n_pembelian=Count("pk", filter=pembelian),
            max_pembelian=Max("nilai_realisasi", filter=pembelian),
            n_kuitansi=Count("pk", filter=kuitansi),
            max_kuitansi=Max("nilai_realisasi", filter=kuitansi),
        )
        .values_list(
            "pencatatan_id", "pencatatan__opd_id", "n_pembelian", "max_pembelian", "n_kuitansi", "max_kuitansi"
        )
    )
    flags = []
    for pk, opd_id, n_pembelian, max_pembelian, n_kuitansi, max_kuitansi in rows:
        parts = []
        if n_pembelian:
            parts.append(
                _("%(n)d bukti pembelian untuk pembayaran di atas %(batas)s (terbesar %(nilai)s)")
                % {"n": n_pembelian, "batas": format_rupiah(b.bukti_pembelian), "nilai": format_rupiah(max_pembelian)}
            )
        if n_kuitansi:
            parts.append(
                _("%(n)d kuitansi untuk pembayaran di atas %(batas)s (terbesar %(nilai)s)")
                % {"n": n_kuitansi, "batas": format_rupiah(b.kuitansi), "nilai": format_rupiah(max_kuitansi)}
            )
        flags.append(_flag(9, kode_pencatatan(9, pk), opd_id, [pk], "; ".join(parts) + "."))
    return flags


_RULE_FUNCTIONS: dict[int, Callable[[QuerySet[Pencatatan], _Batas, int], list[Flag]]] = {
    1: _pemecahan_paket,
    2: _pl_melebihi_batas,
    3: _realisasi_melebihi_pagu,
    4: _terlambat_dicatat,
    5: _selesai_tanpa_realisasi,
    6: _input_ganda,
    7: _melewati_tanggal_selesai,
    8: _pdn_umk_tidak_wajar,
    9: _bukti_tidak_sesuai,
}


# --- reads -------------------------------------------------------------------------------------


def _records(*, tahun: int, user: User | AnonymousUser, opd_id: int | None) -> QuerySet[Pencatatan]:
    records = Pencatatan.objects.visible_to(user).filter(tahun_anggaran=tahun)
    if opd_id is not None:
        records = records.filter(opd_id=opd_id)
    return records.order_by()


def _compute(records: QuerySet[Pencatatan], *, tahun: int, rules: Iterable[int], today: date | None) -> list[Flag]:
    batas = _Batas.from_settings(today)
    flags = [flag for rule in sorted(set(rules)) for flag in _RULE_FUNCTIONS[rule](records, batas, tahun)]
    return sorted(flags, key=lambda f: (f.rule, f.opd_id, f.pencatatan_ids, f.kode))


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
    return _compute(_records(tahun=tahun, user=user, opd_id=opd_id), tahun=tahun, rules=rules, today=today)


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

    Recomputes only that flag's rule, for only its record (rules 2–5, 7–9) or its OPD (rules 1, 6).
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
    return next((flag for flag in _compute(records, tahun=tahun, rules=[rule], today=today) if flag.kode == kode), None)


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
