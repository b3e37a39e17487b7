"""Workbooks people download: the template of a kind (with a notes sheet) and the bad rows of an import."""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import PurePath

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from pengadaan.exports.base import XLSX_CONTENT_TYPE, escape_formula
from pengadaan.imports.contracts import CONTRACTS
from pengadaan.imports.files import read_table
from pengadaan.models import ImportJob


def _response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _bold_row(sheet, values) -> None:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=str(value))
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)


def _safe(value):
    return escape_formula(value) if isinstance(value, str) else value


def template_response(kind: str) -> HttpResponse:
    """Sheet 1 (Data): the columns only, the sheet an import reads; sheet 2 (Contoh): the columns and one
    example row, kept off the Data sheet so that a partly overwritten example is never imported; sheet 3
    (Catatan): what each column means."""
    contract = CONTRACTS[kind]
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet("Data")
    _bold_row(data, [c.name for c in contract.columns])
    example = workbook.create_sheet(_("Contoh"))
    _bold_row(example, [c.name for c in contract.columns])
    example.append([_safe(c.example) if c.example != "" else None for c in contract.columns])
    notes = workbook.create_sheet(_("Catatan"))
    _bold_row(notes, [_("kolom"), _("wajib"), _("keterangan"), _("contoh")])
    for c in contract.columns:
        notes.append([c.name, _("ya") if c.required else _("tidak"), str(c.help), _safe(str(c.example))])
    notes.append([])
    notes.append(
        [_("Kunci upsert: %(k)s. Baris pertama lembar Data harus nama kolom.") % {"k": ", ".join(contract.key)}]
    )
    notes.append([_("Lembar Contoh hanya contoh pengisian dan tidak diimpor: isi data di lembar Data.")])
    notes.append(
        [_("Format yang diterima: .xlsx (lembar pertama), .csv (UTF-8, pemisah , atau ;) dan JSON ISB/INAPROC.")]
    )
    return _response(workbook, f"templat-{kind}.xlsx")


def errors_response(job: ImportJob) -> HttpResponse:
    """The file's bad rows as they were, with the row number and an error column added."""
    by_row: dict[int, list[str]] = defaultdict(list)
    for baris, kolom, alasan in job.kesalahan:
        by_row[baris].append(f"{kolom}: {alasan}")
    table = read_table(bytes(job.isi_berkas), job.nama_berkas)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Baris salah"))
    _bold_row(sheet, [_("baris"), *table.headers, _("kesalahan")])
    if 1 in by_row:
        sheet.append([1, *([None] * len(table.headers)), _safe("; ".join(by_row[1]))])
    for baris, cells in table.rows:
        if baris in by_row:
            sheet.append(
                [
                    baris,
                    *(_safe(c) if not isinstance(c, dict | list) else str(c) for c in cells),
                    _safe("; ".join(by_row[baris])),
                ]
            )
    # the stem without its extension: "nt 3 baris.xlsx" gives kesalahan-impor-7-nontender-nt-3-baris.xlsx,
    # not "…-nt-3-barisxlsx.xlsx"
    stem = slugify(PurePath(job.nama_berkas).stem)
    return _response(workbook, "-".join(filter(None, ["kesalahan-impor", str(job.pk), job.jenis, stem])) + ".xlsx")
