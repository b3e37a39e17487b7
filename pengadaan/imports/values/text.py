"""Text cells: parse_text, and parse_html_text for SPSE's HTML."""

from __future__ import annotations

import math
import numbers
from datetime import date, time
from decimal import Decimal

from django.utils.translation import gettext as _

from pengadaan.cleaning import html_to_text
from pengadaan.imports.values._common import (
    _CODE_FLOAT_LIMIT,
    CellError,
    _cell,
    _clean,
    _is_integral_decimal,
    _show,
    _unreadable_number,
)


def parse_text(value: object, *, max_length: int | None = None) -> str:
    """Text of a cell, ends stripped; "" when empty.

    Traps: spreadsheets turn text into numbers (2025 arrives as 2025.0, shown here as "2025")
    and into dates (shown as YYYY-MM-DD); NUL and other control characters, which PostgreSQL
    and XLSX refuse, are removed. Inner whitespace and line breaks are kept.
    """
    cell = _cell(value)
    if cell is None:
        text = ""
    elif isinstance(cell, str):
        text = cell
    elif isinstance(cell, float):  # before the (slower) Integral check: spreadsheets give numbers as floats
        if not math.isfinite(cell):
            raise _unreadable_number(cell)
        text = str(int(cell)) if cell.is_integer() and abs(cell) < _CODE_FLOAT_LIMIT else repr(cell)
    elif isinstance(cell, bool):
        raise CellError(_("Nilai benar/salah '%(value)s' tidak dapat dipakai sebagai teks.") % {"value": cell})
    elif isinstance(cell, numbers.Integral):
        try:
            text = str(int(cell))
        except ValueError:  # more digits than Python will print
            raise CellError(_("Angka '%(value)s' terlalu besar.") % {"value": _show(cell)}) from None
    elif isinstance(cell, Decimal):
        if not cell.is_finite():
            raise _unreadable_number(cell)
        if -30 <= cell.adjusted() <= 30:
            text = str(int(cell)) if _is_integral_decimal(cell) else format(cell, "f")
        else:
            text = str(cell)
    elif isinstance(cell, date | time):
        text = cell.isoformat()
    else:
        raise CellError(_("Isi sel '%(value)s' tidak dapat dibaca sebagai teks.") % {"value": _show(cell)})
    if max_length is not None and len(text) > max_length:
        raise CellError(
            _("Teks lebih dari %(max)d karakter (ada %(length)d karakter).") % {"max": max_length, "length": len(text)}
        )
    return text


def parse_html_text(value: object, *, max_length: int | None = None) -> str:
    """SPSE's `uraian_pekerjaan` arrives as HTML: its text and line breaks, every tag dropped."""
    text = _clean(html_to_text(parse_text(value)))
    if max_length is not None and len(text) > max_length:
        raise CellError(
            _("Teks lebih dari %(max)d karakter (ada %(length)d karakter).") % {"max": max_length, "length": len(text)}
        )
    return text
