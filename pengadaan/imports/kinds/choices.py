"""LKPP's and SPSE's wording mapped to our values: the tables, and how a cell is read against them.

A value a person must pick (`choose`) is an error when unknown; a value SPSE published
(`published_choice`, `published_npwp`) is kept, with a note (DESIGN §4).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from opd.models import Opd
from pengadaan.cleaning import normalize_npwp
from pengadaan.imports.contracts import STATUS_TO_SPSE
from pengadaan.imports.rows import Row
from pengadaan.models import CatatanData, JenisPengadaan, JenisRealisasi, MetodePemilihan, Penyedia, Status


def published_choice(row: Row, column: str, text: str, table: Sequence[tuple[str, str]], *, default: str = "") -> str:
    """SPSE's wording mapped to our value. SPSE's own data is kept (DESIGN §4): a value we do not know, or
    an empty one that a person would have to fill in, becomes `default` with a note keeping what SPSE wrote."""
    if not text:
        row.note(CatatanData.Aturan.WAJIB_KOSONG, column)
        return default
    lowered = " ".join(text.lower().split())
    for keyword, value in table:
        if keyword in lowered:
            return value
    row.note(CatatanData.Aturan.TIDAK_DIKENAL, column, text)
    return default


def choose(row: Row, column: str, text: str, table: Sequence[tuple[str, str]], *, choices: Iterable[str]) -> str | None:
    """Map LKPP's wording to our value: the first (keyword, value) whose keyword is in the text."""
    lowered = " ".join(text.lower().split())
    for keyword, value in table:
        if keyword in lowered:
            return value
    row.error(column, _("Nilai '%(v)s' tidak dikenal; pilihan: %(p)s.") % {"v": text, "p": ", ".join(choices)})
    return None


def published_npwp(row: Row, column: str) -> str | None:
    """An NPWP as published: digits only; one of other than 15 or 16 digits is kept with a note (DESIGN §4)."""
    value = row.data.get(column)
    try:
        return normalize_npwp(value)
    except ValidationError:
        digits = re.sub(r"\D", "", str(value))
        row.note(CatatanData.Aturan.NPWP_TIDAK_BAKU, column, value)
        return digits if len(digits) <= Penyedia._meta.get_field("npwp").max_length else None


JENIS_PENGADAAN = (
    ("terintegrasi", JenisPengadaan.TERINTEGRASI),
    ("konsultansi", JenisPengadaan.KONSULTANSI),
    ("konstruksi", JenisPengadaan.KONSTRUKSI),
    ("jasa lain", JenisPengadaan.JASA_LAINNYA),
    ("barang", JenisPengadaan.BARANG),
)
METODE = (
    ("pengadaan langsung", MetodePemilihan.PENGADAAN_LANGSUNG),
    ("penunjukan langsung", MetodePemilihan.PENUNJUKAN_LANGSUNG),
    ("kecuali", MetodePemilihan.DIKECUALIKAN),
    ("darurat", MetodePemilihan.DARURAT),
    ("kontes", MetodePemilihan.KONTES),
    ("sayembara", MetodePemilihan.SAYEMBARA),
)
# the lists an error message offers, built once (not per row)
JENIS_PENGADAAN_VALUES = tuple(JenisPengadaan.values)
BUKTI_PEMBAYARAN = (("non", "NonSPK"), ("kuitansi", "NonSPK"), ("spk", "SPK"))
JENIS_REALISASI = (
    ("kuitansi", JenisRealisasi.KUITANSI),
    ("kwitansi", JenisRealisasi.KUITANSI),
    ("pembelian", JenisRealisasi.BUKTI_PEMBELIAN),
    ("bukti pembayaran", JenisRealisasi.BUKTI_PEMBELIAN),
    ("pesanan", JenisRealisasi.SURAT_PESANAN),
    ("perintah kerja", JenisRealisasi.SPK),
    ("spk", JenisRealisasi.SPK),
    ("perjanjian", JenisRealisasi.SURAT_PERJANJIAN),
    ("kontrak", JenisRealisasi.SURAT_PERJANJIAN),
    ("lain", JenisRealisasi.LAINNYA),
)
JENIS_SATKER = (
    ("sekretariat", Opd.Jenis.SEKRETARIAT),
    ("inspektorat", Opd.Jenis.INSPEKTORAT),
    ("badan", Opd.Jenis.BADAN),
    ("dinas", Opd.Jenis.DINAS),
    ("kantor", Opd.Jenis.KANTOR),
    ("satuan", Opd.Jenis.SATUAN),
    ("kecamatan", Opd.Jenis.KECAMATAN),
    ("rsud", Opd.Jenis.RSUD),
    ("rumah sakit", Opd.Jenis.RSUD),
    ("blud", Opd.Jenis.RSUD),
)
# SPSE's two status fields (DESIGN §4), read back as the LKPP export writes them (SPSE has no draft);
# both empty reads as running
STATUS_SPSE = {
    (aktif.lower(), ket.lower()): status for status, (aktif, ket) in STATUS_TO_SPSE.items() if status != Status.DRAFT
} | {("", ""): Status.BERJALAN}
# another pair is read by its second field (or, without one, by the first), and noted
STATUS_KET = (("batal", Status.BATAL), ("selesai", Status.SELESAI), ("berjalan", Status.BERJALAN))
STATUS_SAJA = {"aktif": Status.BERJALAN, "ditutup": Status.BATAL}
TIPE_SWAKELOLA = {"1": 1, "2": 2, "3": 3, "4": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4}
