"""`manage.py import_data KIND FILE [--tahun T] [--dry-run] [--valid-only]` (DESIGN §11)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opd.imports.files import ImportFileError
from opd.imports.runner import KINDS, run_import


class Command(BaseCommand):
    help = "Impor data massal dari berkas .xlsx, .csv atau .json."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS), help="Jenis data yang diimpor.")
        parser.add_argument("file", type=Path, help="Berkas .xlsx (lembar pertama), .csv atau .json.")
        parser.add_argument("--tahun", type=int, help="Tahun anggaran (untuk jenis data per tahun).")
        parser.add_argument("--dry-run", action="store_true", help="Periksa saja, jangan tulis apa pun.")
        parser.add_argument(
            "--valid-only", action="store_true", help="Tulis baris yang benar saja dan laporkan baris yang salah."
        )

    def handle(self, *args, kind: str, file: Path, dry_run: bool, valid_only: bool, **options) -> None:
        if not file.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {file}")
        try:
            with file.open("rb") as fh:
                outcome = run_import(kind, fh, file.name, dry_run=dry_run, valid_only=valid_only)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        for error in outcome.errors:
            self.stderr.write(str(error))
        if outcome.errors and not valid_only:
            raise CommandError(f"Impor dibatalkan: {len(outcome.errors)} kesalahan; tidak ada data yang ditulis.")
        suffix = " (uji coba, tidak ada yang ditulis)" if dry_run else ""
        self.stdout.write(outcome.summary() + suffix)
