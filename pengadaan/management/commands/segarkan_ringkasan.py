"""`manage.py segarkan_ringkasan [--tahun T] [--semua]`: recompute the stored dashboard numbers."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from pengadaan.dashboards import ringkasan


class Command(BaseCommand):
    help = (
        "Hitung ulang ringkasan dasbor (angka §5, grafik dan tanda bahaya per OPD) yang sudah tidak mutakhir, "
        "agar dasbor tidak perlu menghitungnya saat dibuka. Jadwalkan tiap malam setelah pukul 00.00."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--tahun", type=int, help="Hanya tahun anggaran ini (bawaan: semua tahun).")

    def handle(self, *args, tahun: int | None, **options) -> None:
        start = time.perf_counter()
        n = ringkasan.refresh_stale(tahun=tahun, all_years=True)
        self.stdout.write(f"{n} ringkasan OPD-tahun dihitung ulang dalam {time.perf_counter() - start:.1f} detik.")
