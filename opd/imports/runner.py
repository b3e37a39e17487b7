"""Run an import of one kind from a file: validate everything first, then write in one transaction.

Used by `manage.py import_data`; the admin's Import button runs the same
resources through django-import-export's own preview and confirm screens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils.translation import gettext as _
from import_export.resources import Resource
from import_export.results import Result, RowResult

from opd.imports.files import read_dataset
from opd.imports.users import UserResource

# kind name (DESIGN §11) -> resource class
KINDS: dict[str, type[Resource]] = {
    "users": UserResource,
}


@dataclass
class RowError:
    baris: int  # the row as the user sees it in the file: the header is row 1
    kolom: str
    alasan: str

    def __str__(self) -> str:
        return _("Baris %(baris)d, kolom %(kolom)s: %(alasan)s") % {
            "baris": self.baris,
            "kolom": self.kolom,
            "alasan": self.alasan,
        }


@dataclass
class ImportOutcome:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    def summary(self) -> str:
        return _("%(kind)s: dibuat %(c)d, diperbarui %(u)d, tidak berubah %(n)d, dilewati %(s)d") % {
            "kind": self.kind,
            "c": self.created,
            "u": self.updated,
            "n": self.unchanged,
            "s": self.skipped,
        }


def row_errors(result: Result) -> list[RowError]:
    """Every problem of an import result, as (row, column, reason), in row order."""
    if result.base_errors:
        # A problem with the file as a whole (missing columns): row errors would only repeat it.
        return [RowError(1, _("(berkas)"), _error_text(base.error)) for base in result.base_errors]
    errors: list[RowError] = []
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            kolom = _("(baris)") if column == NON_FIELD_ERRORS else column
            for message in messages:
                errors.append(RowError(invalid.number + 1, kolom, str(message)))
    for number, row_errs in result.row_errors():
        for err in row_errs:
            errors.append(RowError(number + 1, _("(baris)"), _error_text(err.error)))
    return sorted(errors, key=lambda e: e.baris)


def _error_text(error: Exception) -> str:
    messages = getattr(error, "messages", None)
    return " ".join(str(m) for m in messages) if messages else str(error)


def run_import(
    kind: str,
    fileobj: IO[bytes],
    filename: str,
    *,
    dry_run: bool = False,
    valid_only: bool = False,
) -> ImportOutcome:
    """Validate the whole file, then (unless dry_run) write it in one transaction.

    Side effects: with errors and not `valid_only`, nothing is written. With
    `valid_only`, the good rows are written and the bad ones reported.
    Raises `ImportFileError` for a file that cannot be read at all.
    """
    dataset = read_dataset(fileobj, filename)
    resource = KINDS[kind]()
    preview = resource.import_data(dataset, dry_run=True, use_transactions=True, raise_errors=False)
    outcome = ImportOutcome(kind=kind, errors=row_errors(preview))
    if outcome.errors and valid_only:
        bad = {e.baris - 2 for e in outcome.errors}  # back to 0-based data rows
        dataset = _only_rows(dataset, keep=lambda i: i not in bad)
        outcome.skipped = len(bad)
    final = preview
    if not dry_run and (valid_only or not outcome.errors) and len(dataset):
        with transaction.atomic():
            final = KINDS[kind]().import_data(dataset, dry_run=False, use_transactions=True, raise_errors=True)
        outcome.written = True
    totals = final.totals
    outcome.created = totals[RowResult.IMPORT_TYPE_NEW]
    outcome.updated = totals[RowResult.IMPORT_TYPE_UPDATE]
    outcome.unchanged = totals[RowResult.IMPORT_TYPE_SKIP]
    return outcome


def _only_rows(dataset: tablib.Dataset, keep) -> tablib.Dataset:
    kept = tablib.Dataset(headers=dataset.headers)
    for i, row in enumerate(dataset):
        if keep(i):
            kept.append(row)
    return kept
