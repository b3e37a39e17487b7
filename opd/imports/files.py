"""Read an uploaded table (XLSX first sheet, CSV with `,` or `;`, JSON array) into a tablib Dataset.

Files are checked before they are parsed: size, that an .xlsx really is one, and
the uncompressed size and ratio of its parts (zip bombs). Every refusal is an
`ImportFileError` with a message in Indonesian; nothing is written by reading.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import IO

import tablib
from django.conf import settings
from django.utils.translation import gettext as _

SUPPORTED_EXTENSIONS = (".xlsx", ".csv", ".json")
# An .xlsx is a zip of XML parts; honest spreadsheets compress roughly 5-20x.
MAX_ZIP_RATIO = 100
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, in Indonesian."""


def max_upload_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", 20 * 1024 * 1024)


def read_dataset(fileobj: IO[bytes], filename: str) -> tablib.Dataset:
    """Return the file's rows as a Dataset whose headers are the first row, stripped."""
    ext = Path(filename).suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        raise ImportFileError(
            _("Format berkas %(ext)s tidak didukung; gunakan .xlsx, .csv atau .json.") % {"ext": ext or "?"}
        )
    data = fileobj.read(max_upload_bytes() + 1)
    if len(data) > max_upload_bytes():
        raise ImportFileError(
            _("Berkas lebih besar dari batas %(mb)d MB.") % {"mb": max_upload_bytes() // (1024 * 1024)}
        )
    if not data.strip():
        raise ImportFileError(_("Berkas kosong."))
    if ext == ".xlsx":
        return _read_xlsx(data)
    if ext == ".csv":
        return _read_csv(data)
    return _read_json(data)


def _dataset(headers: list, rows: list[list]) -> tablib.Dataset:
    clean_headers = [str(h).strip() if h is not None else "" for h in headers]
    if not any(clean_headers):
        raise ImportFileError(_("Baris pertama harus berisi nama kolom."))
    width = len(clean_headers)
    dataset = tablib.Dataset(headers=clean_headers)
    for row in rows:
        row = list(row)[:width] + [None] * (width - len(row))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue  # blank lines at the end of a sheet are not rows
        dataset.append(row)
    return dataset


def _read_xlsx(data: bytes) -> tablib.Dataset:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFileError(_("Berkas bukan XLSX yang sah (mungkin berkas lain yang diberi nama .xlsx)."))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(info.file_size for info in archive.infolist())
        if total > MAX_UNCOMPRESSED_BYTES or total > MAX_ZIP_RATIO * len(data):
            raise ImportFileError(_("Berkas XLSX ditolak: isinya mengembang terlalu besar (zip bomb?)."))
        if "xl/workbook.xml" not in archive.namelist():
            raise ImportFileError(_("Berkas bukan XLSX yang sah (tidak ada workbook)."))
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(_("Berkas XLSX rusak dan tidak dapat dibaca.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        headers = next(rows, None)
        if headers is None:
            raise ImportFileError(_("Lembar pertama berkas XLSX kosong."))
        return _dataset(list(headers), [list(r) for r in rows])
    finally:
        workbook.close()


def _read_csv(data: bytes) -> tablib.Dataset:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("Berkas CSV harus berenkode UTF-8.")) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    headers = next(reader, None)
    if headers is None:
        raise ImportFileError(_("Berkas CSV kosong."))
    return _dataset(headers, [[v if v != "" else None for v in row] for row in reader])


def _read_json(data: bytes) -> tablib.Dataset:
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFileError(_("Berkas JSON tidak sah: %(reason)s") % {"reason": exc}) from exc
    if not isinstance(payload, list) or not all(isinstance(item, dict) for item in payload):
        raise ImportFileError(_("Berkas JSON harus berupa array objek, seperti yang diterbitkan ISB/INAPROC."))
    headers: list[str] = []
    for item in payload:
        headers.extend(k for k in item if k not in headers)
    return _dataset(headers, [[item.get(h) for h in headers] for item in payload])
