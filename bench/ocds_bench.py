"""OCDS release package of a year at 100,000 records: time and peak memory of the streamed export.

    .venv/bin/python bench/ocds_bench.py [--records 100000] [--keep FILE]

Seeds a SQLite file of its own (in a temporary folder, unless --keep names one, which is reused when it
already holds the data) with bulk_create: 10 OPDs, one RUP package per record, `--records` records in SPSE
(half non-tender, half swakelola), two payments each. Then streams `PaketRilis` into a byte counter twice:
once timed, once under tracemalloc for its peak, and prints both with the process's peak RSS. The peak of
a tenth of the records is measured too: flat memory means the two peaks are about the same.
Not a test: nothing is asserted, the figures are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TAHUN = 2026
OPD_COUNT = 10
BATCH = 5000


def setup_django(path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spse_tracker.settings")
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
    os.environ["LOG_LEVEL"] = "WARNING"
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))
    import django

    django.setup()


def seed(records: int) -> None:
    """bulk_create the OPDs, RUP packages, records, links, suppliers and payments (no signals, no history)."""
    from django.core.management import call_command

    from opd.models import Opd
    from pengadaan.choices import JenisPencatatan, JenisRealisasi, Status, TipePaket
    from pengadaan.models import PaketRup, Pencatatan, PencatatanRup, Penyedia, Realisasi

    call_command("migrate", verbosity=0)
    if Pencatatan.objects.count() == records:
        print(f"reusing {records} records")
        return
    start = time.perf_counter()
    opds = Opd.objects.bulk_create(
        Opd(kd_satker=str(80000 + i), kd_satker_str=f"9.99.0.00.0.00.{i:02d}.0000", nama_satker=f"Dinas Bench {i}")
        for i in range(OPD_COUNT)
    )
    penyedia = Penyedia.objects.bulk_create(Penyedia(nama=f"CV Bench {i}", npwp=f"01{i:013d}") for i in range(200))
    today = dt.date(TAHUN, 6, 1)
    for begin in range(0, records, BATCH):
        numbers = range(begin, min(begin + BATCH, records))
        swakelola = [n % 2 == 1 for n in numbers]
        paket = PaketRup.objects.bulk_create(
            PaketRup(
                opd=opds[n % OPD_COUNT],
                kd_rup=60_000_000 + n,
                tahun_anggaran=TAHUN,
                nama_paket=f"Paket bench {n}",
                pagu=Decimal("25000000.00"),
                tipe_paket=TipePaket.SWAKELOLA if sw else TipePaket.PENYEDIA,
                metode_pengadaan="" if sw else "Pengadaan Langsung",
                sumber_dana="APBD",
            )
            for n, sw in zip(numbers, swakelola, strict=True)
        )
        rows = Pencatatan.objects.bulk_create(
            Pencatatan(
                opd=opds[n % OPD_COUNT],
                jenis=JenisPencatatan.SWAKELOLA if sw else JenisPencatatan.NON_TENDER,
                tahun_anggaran=TAHUN,
                kd_rup=str(60_000_000 + n),
                kd_nontender_pct=None if sw else 30_000_000 + n,
                kd_swakelola_pct=30_000_000 + n if sw else None,
                nama_paket=f"Paket bench {n}",
                pagu=Decimal("25000000.00"),
                mtd_pemilihan="" if sw else "Pengadaan Langsung",
                kategori_pengadaan="" if sw else "Barang",
                tipe_swakelola=(n % 4) + 1 if sw and n % 8 == 1 else None,
                status=Status.SELESAI if n % 3 == 0 else Status.BERJALAN,
                tgl_buat_paket=today,
                tgl_mulai_paket=today,
                tgl_selesai_paket=today + dt.timedelta(days=90),
            )
            for n, sw in zip(numbers, swakelola, strict=True)
        )
        PencatatanRup.objects.bulk_create(
            PencatatanRup(pencatatan=p, paket=k) for p, k in zip(rows, paket, strict=True)
        )
        Realisasi.objects.bulk_create(
            Realisasi(
                pencatatan=p,
                jenis_realisasi=JenisRealisasi.KUITANSI,
                no_realisasi=f"KW/{p.pk}/{i}",
                tgl_realisasi=today + dt.timedelta(days=30 * i),
                tgl_dicatat=today + dt.timedelta(days=30 * i),
                nilai_realisasi=Decimal("10000000.50"),
                penyedia=penyedia[p.pk % len(penyedia)],
            )
            for p in rows
            for i in (1, 2)
        )
    print(f"seeded {records} records, {2 * records} payments in {time.perf_counter() - start:.1f} s")


def export(*, stop_after: int | None = None) -> tuple[int, int]:
    """(releases, bytes) of the package streamed into a counter; stops once `stop_after` releases are out."""
    from pengadaan.exports.ocds.paket import PaketRilis

    paket = PaketRilis(tahun=TAHUN)
    size = 0
    for chunk in paket:
        size += len(chunk.encode())
        if stop_after is not None and paket.jumlah >= stop_after:
            break
    return paket.jumlah, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="the SQLite file to seed (and keep); reused when seeded")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(args.keep or Path(folder) / "ocds_bench.sqlite3")
        seed(args.records)

        start = time.perf_counter()
        releases, size = export()
        seconds = time.perf_counter() - start

        tracemalloc.start()
        export(stop_after=max(1, releases // 10))
        tenth_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        export()
        full_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(f"releases           {releases:>12,}")
    print(f"JSON               {size / 1e6:>12.1f} MB")
    print(f"time               {seconds:>12.1f} s   ({releases / seconds:,.0f} releases/s)")
    print(f"peak (tracemalloc) {full_peak / 1e6:>12.1f} MB   (first tenth: {tenth_peak / 1e6:.1f} MB)")
    print(f"peak RSS           {rss:>12.1f} MB   (the whole process, seeding included)")


if __name__ == "__main__":
    main()
