"""`manage.py ekspor_ocds --tahun T [--output FILE]` (DESIGN §11): the OCDS 1.1 release package of year T."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pengadaan.choices import TAHUN_WAJAR
from pengadaan.exports.ocds.paket import PaketRilis, tahun_dari


class Command(BaseCommand):
    help = (
        "Tulis paket rilis OCDS 1.1 (JSON) pencatatan non tender dan swakelola satu tahun anggaran yang sudah "
        "ada di SPSE: ke layar, atau ke berkas dengan --output."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--tahun", help="Tahun anggaran, misalnya 2026 (wajib).")
        parser.add_argument("--output", type=Path, help="Tulis ke berkas ini, bukan ke layar.")

    def handle(self, *args, tahun: str | None, output: Path | None, **options) -> None:
        tahun_anggaran = tahun_dari(tahun)
        if tahun_anggaran is None:
            raise CommandError(
                f"--tahun harus tahun anggaran antara {TAHUN_WAJAR.start} dan {TAHUN_WAJAR.stop - 1}, "
                f"misalnya --tahun 2026 (diberikan: {(tahun or '').strip() or 'tidak ada'})."
            )
        paket = PaketRilis(tahun=tahun_anggaran)
        if output is None:
            for chunk in paket:
                self.stdout.write(chunk, ending="")
            self.stdout.write("")
            self.stdout.flush()
        else:
            try:
                with output.open("w", encoding="utf-8") as berkas:
                    for chunk in paket:
                        berkas.write(chunk)
            except OSError as exc:
                raise CommandError(f"Berkas {output} tidak dapat ditulis: {exc.strerror}") from exc
        tujuan = f" ke {output}" if output else ""
        self.stderr.write(f"ekspor_ocds: {paket.jumlah} rilis tahun {tahun_anggaran}{tujuan}.")
