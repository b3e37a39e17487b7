"""`manage.py import_data KIND FILE [--tahun T] [--dry-run] [--valid-only]` (DESIGN §11)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pengadaan.imports import pipeline
from pengadaan.imports.files import ImportFileError


class Command(BaseCommand):
    help = "Impor data massal (LKPP atau templat) dari berkas .xlsx, .csv atau .json."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=pipeline.KINDS, help="Jenis data yang diimpor.")
        parser.add_argument("file", type=Path, help="Berkas .xlsx (lembar pertama), .csv atau .json.")
        parser.add_argument("--tahun", type=int, help="Tahun anggaran bila berkas tidak memuat kolom tahun_anggaran.")
        parser.add_argument("--dry-run", action="store_true", help="Periksa saja, jangan tulis apa pun.")
        parser.add_argument(
            "--valid-only", action="store_true", help="Tulis baris yang benar saja dan laporkan baris yang salah."
        )

    def handle(self, *args, kind: str, file: Path, tahun: int | None, dry_run: bool, valid_only: bool, **options):
        if not file.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {file}")
        progress = None
        if sys.stderr.isatty():

            def progress(done: int, total: int) -> None:
                self.stderr.write(f"\r{done}/{total} baris diperiksa", ending="")

        try:
            outcome = pipeline.run(
                kind,
                file.read_bytes(),
                file.name,
                tahun=tahun,
                dry_run=dry_run,
                valid_only=valid_only,
                progress=progress,
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        if progress:
            self.stderr.write("")
        for baris, kolom, alasan in outcome.errors:
            self.stderr.write(f"Baris {baris}, kolom {kolom}: {alasan}")
        if outcome.errors and not valid_only:
            raise CommandError(f"Impor dibatalkan: {len(outcome.errors)} kesalahan; tidak ada data yang ditulis.")
        suffix = " (uji coba, tidak ada yang ditulis)" if dry_run else ""
        self.stdout.write(outcome.summary() + suffix)
