"""The red-flag rules that judge one record (DESIGN §7 rules 2, 3, 5, 7, 8 and 9).

One query reads the active records of the year with their payments grouped (total, how many, the
largest payments each kind of proof covers), one pass over each table (`record_rows`). Each rule is
then a function of one such row and the thresholds, named after the rule, returning what its flag
is written from (`Temuan.data`) or None; the registry (`registry.RULES`) names them by number.

Each rule also says, as a condition the database evaluates on the same grouped row (`*_candidates`),
which records it may flag: the query returns only those (a few thousand of a year's hundreds of
thousands), so that Python neither receives nor checks the rest. The condition may let through more
than the rule flags, never fewer; the Python function decides and writes the flag.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, F, Max, Q, QuerySet, Sum

from pengadaan.dashboards.tanda_bahaya.thresholds import Batas
from pengadaan.models import JenisPencatatan, JenisRealisasi, MetodePemilihan, Pencatatan, Status

PL = MetodePemilihan.PENGADAAN_LANGSUNG


class RecordRow(NamedTuple):
    """One active record and its payments, as the per-record rules read it."""

    pk: int
    opd_id: int
    jenis: str
    status: str
    metode: str
    kategori: str
    pagu: Decimal
    pdn: Decimal | None
    umk: Decimal | None
    selesai: date | None
    total: Decimal  # total realisasi, 0 without payments
    paid: bool  # whether it has any payment
    n: int
    n_pembelian: int  # bukti pembelian payments above their limit
    max_pembelian: Decimal | None
    n_kuitansi: int  # kuitansi payments above their limit
    max_kuitansi: Decimal | None


def record_rows(records: QuerySet[Pencatatan], b: Batas, candidates: Q | None = None) -> Iterator[RecordRow]:
    """The active records of `records` with their payments grouped, only those that meet `candidates` (a
    condition on the fields and the annotations below, evaluated in the database) when given: one query."""
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
    if candidates is not None:
        rows = rows.filter(candidates)
    for pk, opd_id, jenis, status, metode, kategori, pagu, pdn, umk, selesai, total, *counts in rows.iterator(
        chunk_size=5000
    ):
        paid = total is not None
        yield RecordRow(
            pk, opd_id, jenis, status, metode, kategori, pagu, pdn, umk, selesai,
            total if paid else Decimal("0"), paid, *counts,
        )  # fmt: skip


def pl_melebihi_batas(row: RecordRow, b: Batas) -> dict | None:
    """Rule 2: an active PL record whose pagu is above its kategori's ceiling (exactly at it is lawful)."""
    if row.jenis != JenisPencatatan.NON_TENDER or row.metode != PL:
        return None
    batas = b.pl.get(row.kategori)
    if batas is None or row.pagu <= batas:
        return None
    return {"pagu": str(row.pagu), "kategori": row.kategori, "batas": str(batas)}


def pl_melebihi_batas_candidates(b: Batas) -> Q:
    return Q(jenis=JenisPencatatan.NON_TENDER, mtd_pemilihan=PL) & b.pl_q(lookup="pagu__gt")


def realisasi_melebihi_pagu(row: RecordRow, b: Batas) -> dict | None:
    """Rule 3: the total realisasi of an active record above its pagu."""
    if not row.paid or row.total <= row.pagu:
        return None
    return {"total": str(row.total), "pagu": str(row.pagu)}


def realisasi_melebihi_pagu_candidates(b: Batas) -> Q:
    return Q(total__gt=F("pagu"))  # NULL (no payments) is not above


def selesai_tanpa_realisasi(row: RecordRow, b: Batas) -> dict | None:
    """Rule 5: Selesai without any realisasi."""
    if row.status != Status.SELESAI or row.n:
        return None
    return {"pagu": str(row.pagu)}


def selesai_tanpa_realisasi_candidates(b: Batas) -> Q:
    return Q(status=Status.SELESAI, n=0)


def melewati_tanggal_selesai(row: RecordRow, b: Batas) -> dict | None:
    """Rule 7: Berjalan while `tgl_selesai_paket` is more than N days before `b.today`."""
    if row.status != Status.BERJALAN or row.selesai is None:
        return None
    if row.selesai >= b.today - timedelta(days=b.hari_lewat_selesai):
        return None
    return {"hari": (b.today - row.selesai).days, "tanggal": row.selesai.isoformat(), "batas": b.hari_lewat_selesai}


def melewati_tanggal_selesai_candidates(b: Batas) -> Q:
    return Q(status=Status.BERJALAN, tgl_selesai_paket__lt=b.today - timedelta(days=b.hari_lewat_selesai))


def pdn_umk_tidak_wajar(row: RecordRow, b: Batas) -> dict | None:
    """Rule 8: PDN or UMK above the total realisasi, or (without payments) above the pagu: the values
    are entered with the record, so the pagu is then the only bound; or exactly the percentage value on
    a record whose realisasi is above the minimum (a percentage typed into a Rupiah field)."""
    parts = []
    for label, nilai in (("PDN", row.pdn), ("UMK", row.umk)):
        if nilai is None:
            continue
        if row.total > 0 and nilai > row.total:
            parts.append(["realisasi", label, str(nilai), str(row.total)])
        elif row.total == 0 and nilai > row.pagu:
            parts.append(["pagu", label, str(nilai), str(row.pagu)])
        elif nilai == b.nilai_persen and row.total > b.min_realisasi_persen:
            parts.append(["persen", label, str(nilai), str(row.total)])
    return {"bagian": parts} if parts else None


def pdn_umk_tidak_wajar_candidates(b: Batas) -> Q:
    # as the function above; without payments the total is NULL in the database and 0 in the row
    found = Q()
    for field in ("nilai_pdn_pct", "nilai_umk_pct"):
        found |= (
            Q(total__gt=0, **{f"{field}__gt": F("total")})
            | (Q(n=0) | Q(total=0)) & Q(**{f"{field}__gt": F("pagu")})
            | Q(**{field: b.nilai_persen, "total__gt": b.min_realisasi_persen})
        )
    return found


def bukti_tidak_sesuai_nilai(row: RecordRow, b: Batas) -> dict | None:
    """Rule 9 (Perpres 16/2018 ps. 28): a bukti pembelian payment above its limit or a kuitansi payment
    above its limit (exactly at the limit is allowed), on any kind of record."""
    if not (row.n_pembelian or row.n_kuitansi):
        return None
    return {
        "n_pembelian": row.n_pembelian,
        "batas_pembelian": str(b.bukti_pembelian),
        "max_pembelian": str(row.max_pembelian) if row.n_pembelian else None,
        "n_kuitansi": row.n_kuitansi,
        "batas_kuitansi": str(b.kuitansi),
        "max_kuitansi": str(row.max_kuitansi) if row.n_kuitansi else None,
    }


def bukti_tidak_sesuai_nilai_candidates(b: Batas) -> Q:
    return Q(n_pembelian__gt=0) | Q(n_kuitansi__gt=0)


RecordCheck = Callable[[RecordRow, Batas], "dict | None"]
RecordCandidates = Callable[[Batas], Q]
