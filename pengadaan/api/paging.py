"""Pages of a list (`?halaman=` from 1, `?per_halaman=` up to `MAX_PER_HALAMAN`) and the answer's envelope."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from ninja import Query, Schema
from pydantic import Field

from pengadaan.choices import TAHUN_WAJAR

PER_HALAMAN = 100
MAX_PER_HALAMAN = 1000
TAHUN_MIN, TAHUN_MAX = TAHUN_WAJAR.start, TAHUN_WAJAR.stop - 1


class Halaman(Schema):
    halaman: int = Field(1, ge=1, description="Nomor halaman, mulai 1.")
    per_halaman: int = Field(
        PER_HALAMAN,
        ge=1,
        le=MAX_PER_HALAMAN,
        description=f"Baris per halaman, 1–{MAX_PER_HALAMAN} (bawaan {PER_HALAMAN}).",
    )


HalamanQuery = Query[Halaman]


def tahun_field(description: str = "Tahun anggaran, mis. 2026.", default: int | None = None) -> Any:
    return Field(default, ge=TAHUN_MIN, le=TAHUN_MAX, description=description)


def page(rows: QuerySet | Sequence, halaman: Halaman, convert: Callable[[Any], Any]) -> dict:
    """The envelope of one page: total count, page number and size, and the page's rows converted.
    A queryset costs two queries (its count and its page); a page past the last is empty."""
    jumlah = rows.count() if isinstance(rows, QuerySet) else len(rows)
    start = (halaman.halaman - 1) * halaman.per_halaman
    return {
        "jumlah": jumlah,
        "halaman": halaman.halaman,
        "per_halaman": halaman.per_halaman,
        "hasil": [convert(row) for row in rows[start : start + halaman.per_halaman]] if start < jumlah else [],
    }
