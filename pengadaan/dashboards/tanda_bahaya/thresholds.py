"""The thresholds of the red-flag rules (DESIGN §7, "configurable"): settings `REDFLAG_*`, defaults
from the Perpres (the table in `pengadaan.dashboards.tanda_bahaya`)."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import reduce

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from pengadaan.models import JenisPengadaan


def _setting(name: str, default: int) -> Decimal:
    return Decimal(str(getattr(settings, name, default)))


@dataclass(frozen=True)
class Batas:
    """Every rule's thresholds, read from settings on every call (an override applies at once), and the
    day rule 7 counts from."""

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
    def from_settings(cls, today: date | None) -> Batas:
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


def thresholds() -> dict:
    """The current thresholds of every rule, JSON-safe (what stored flags depend on besides the data)."""
    return Batas.from_settings(None).as_dict()
