"""The OCDS 1.1 release package of a year, streamed as JSON text (DESIGN §11, §13).

The records are read with `.iterator(chunk_size=…)`, their payments and RUP links prefetched per chunk:
three queries per chunk whatever the number of payments, and only one chunk of records in memory, so
that a year of 100,000 records streams in flat memory (bench/ocds_bench.py).

Amounts are Decimals and are written as JSON numbers from their exact text, never through a float:
`rilis.nilai` leaves each amount as a string under the key "amount", and `dumps` turns exactly those
strings into numbers. No other string can match: every quote inside a text value is escaped by the
encoder, so `"amount":"…"` with bare quotes only ever comes from our own keys.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from pengadaan.choices import TAHUN_WAJAR, Status
from pengadaan.exports.ocds import rilis
from pengadaan.models import Pencatatan, PencatatanRup, Realisasi

VERSION = "1.1"
CHUNK_SIZE = 2000
FLUSH_CHARS = 64 * 1024  # releases are sent in pieces of about this size

_AMOUNT = re.compile(r'"amount":"(-?\d+(?:\.\d+)?)"')

# What a release reads of a record and its rows; nothing else is loaded (no NIP, no PPK's name).
RECORD_FIELDS = (
    "pk",
    "jenis",
    "tahun_anggaran",
    "kd_nontender_pct",
    "kd_swakelola_pct",
    "nama_paket",
    "pagu",
    "sumber_dana",
    "kategori_pengadaan",
    "mtd_pemilihan",
    "tipe_swakelola",
    "pelaksana_swakelola",
    "status",
    "tgl_mulai_paket",
    "tgl_selesai_paket",
    "diubah_pada",
    "opd__kd_satker_str",
    "opd__nama_satker",
)
PAYMENT_FIELDS = (
    "pk",
    "pencatatan_id",
    "tgl_realisasi",
    "nilai_realisasi",
    "dibuat_pada",
    "penyedia__nama",
    "penyedia__npwp",
)


def records(tahun: int) -> QuerySet[Pencatatan]:
    """The records a package of `tahun` publishes: in SPSE (with its code), not Draft (local only)."""
    payments = Realisasi.objects.select_related("penyedia").only(*PAYMENT_FIELDS).order_by("tgl_realisasi", "pk")
    links = (
        PencatatanRup.objects.select_related("paket")
        .only("pencatatan_id", "paket__kd_rup", "paket__nama_paket", "paket__pagu", "paket__sumber_dana")
        .order_by("paket__kd_rup")
    )
    return (
        Pencatatan.objects.in_spse()
        .filter(tahun_anggaran=tahun)
        .exclude(status=Status.DRAFT)
        .select_related("opd")
        .only(*RECORD_FIELDS)
        .prefetch_related(Prefetch("realisasi", queryset=payments), Prefetch("tautan_rup", queryset=links))
        .order_by("pk")
    )


def tahun_dari(raw: str | None) -> int | None:
    """The budget year written in `raw` (a query parameter or a command's argument), None when it is not one."""
    text = (raw or "").strip()
    return int(text) if text.isdigit() and int(text) in TAHUN_WAJAR else None


def dumps(value: dict) -> str:
    """Compact JSON of `value`, its amounts written as numbers from their exact text."""
    return _AMOUNT.sub(r'"amount":\1', json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def package_uri(tahun: int) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('ocds_rilis')}?tahun={tahun}"


class PaketRilis:
    """The release package of `tahun` as JSON text chunks; iterate it once. `jumlah` counts the releases
    written so far (all of them once the iteration has ended)."""

    def __init__(self, *, tahun: int, chunk_size: int = CHUNK_SIZE) -> None:
        self.tahun = tahun
        self.chunk_size = chunk_size
        self.jumlah = 0

    def header(self) -> dict:
        return {
            "uri": package_uri(self.tahun),
            "publishedDate": rilis.waktu(timezone.now()),
            "publisher": {"name": settings.NAMA_PEMDA},
            "version": VERSION,
        }

    def __iter__(self) -> Iterator[str]:
        prefix = settings.OCDS_OCID_PREFIX
        head = dumps(self.header())
        buffer = [head[:-1], ',"releases":[']
        size = 0
        for record in records(self.tahun).iterator(chunk_size=self.chunk_size):
            text = dumps(rilis.release(record, ocid_prefix=prefix))
            buffer.append("," + text if self.jumlah else text)
            self.jumlah += 1
            size += len(text)
            if size >= FLUSH_CHARS:
                yield "".join(buffer)
                buffer, size = [], 0
        buffer.append("]}")
        yield "".join(buffer)
