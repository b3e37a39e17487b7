"""Money shorthands of the demo: Rp1 juta, rounding to thousands and the PL ceilings a demo PL keeps under."""

from __future__ import annotations

from decimal import Decimal

from pengadaan.models import JenisPengadaan, MetodePemilihan

JUTA = Decimal(1_000_000)
PL = MetodePemilihan.PENGADAAN_LANGSUNG.value
# PL ceilings (Perpres 46/2025); a demo PL stays under them unless it is the red-flag case.
BATAS_PL = {
    JenisPengadaan.BARANG: 200 * JUTA,
    JenisPengadaan.JASA_LAINNYA: 200 * JUTA,
    JenisPengadaan.KONSTRUKSI: 400 * JUTA,
    JenisPengadaan.KONSULTANSI: 100 * JUTA,
}


def ribu(value: float | Decimal) -> Decimal:
    """Rupiah rounded to thousands, as SiRUP pagu are."""
    return Decimal(round(value / 1000)) * 1000 if isinstance(value, float) else (value // 1000) * 1000
