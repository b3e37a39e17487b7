"""`manage.py kirim_pengingat [--dry-run] [--tahun T]` (DESIGN §11): send the reminder digests."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from pengadaan import pengingat


class Command(BaseCommand):
    help = (
        "Kirim e-mail pengingat ke setiap OPD: paket RUP yang bulan rencananya sudah lewat tetapi belum dicatat, "
        "draft lama dan tanda bahaya terbuka."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--tahun", type=int, help="Tahun anggaran (bawaan: tahun berjalan).")
        parser.add_argument("--dry-run", action="store_true", help="Tampilkan saja, jangan kirim e-mail.")

    def handle(self, *args, tahun: int | None, dry_run: bool, **options) -> None:
        tahun = tahun or timezone.localdate().year
        hasil = pengingat.send_digests(tahun=tahun, dry_run=dry_run)
        terkirim = penerima = kosong = 0
        for digest, n in hasil:
            if not digest.ada_isi:
                kosong += 1
                self.stdout.write(f"{digest.opd}: tidak ada yang perlu diingatkan")
                continue
            line = (
                f"{digest.opd}: {n} penerima, {len(digest.belum_dicatat)} paket belum dicatat, "
                f"{len(digest.draft_lama)} draft lama, {len(digest.flags)} tanda bahaya, "
                f"{len(digest.belum_di_spse)} belum di SPSE"
            )
            if not n:
                line += " (tidak dikirim: tidak ada penerima dengan alamat e-mail)"
            self.stdout.write(line)
            if n:
                terkirim += 1
                penerima += n
        if dry_run:
            self.stdout.write(
                f"Uji coba TA {tahun}: {terkirim} e-mail akan dikirim ke {penerima} penerima, "
                f"{kosong} OPD tanpa pengingat; tidak ada e-mail yang dikirim."
            )
        else:
            self.stdout.write(
                f"TA {tahun}: {terkirim} e-mail pengingat dikirim ke {penerima} penerima, {kosong} OPD tanpa pengingat."
            )
