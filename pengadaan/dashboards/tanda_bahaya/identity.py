"""A flag's stable identity string, `kode`: what a review is attached to (formats in the package docstring)."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal


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


KODE_PENCATATAN = re.compile(r"^R([235789]):pencatatan:(\d+)$")
KODE_KELOMPOK = re.compile(r"^R([146]):opd:(\d+):(?:.*:)?tahun:(\d+)$")
