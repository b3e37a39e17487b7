"""Codes and whole numbers: parse_code and parse_int.

LKPP's files carry a code as 48120334, 48120334.0 or "48120334".
"""

from __future__ import annotations

import math
import numbers
import re
from datetime import date, time
from decimal import Decimal

from django.utils.translation import gettext as _

from pengadaan.imports.values._common import (
    _CODE_FLOAT_LIMIT,
    _SCIENTIFIC,
    CellError,
    _cell,
    _is_integral_decimal,
    _show,
    _unreadable_number,
)

_INT_LIMIT = 10**18  # fits the database's BigIntegerField

_CODE_POINT_ZERO = re.compile(r"([0-9]+)\.0", re.ASCII)
_INT_TEXT = re.compile(r"([+-]?)([0-9]+)(?:\.0)?", re.ASCII)
_INT_WITH_FRACTION = re.compile(r"[+-]?[0-9]+[.,][0-9]+", re.ASCII)


def _code_as_number(value: object) -> CellError:
    return CellError(
        _(
            "Kode '%(value)s' tersimpan sebagai angka sehingga digitnya bisa hilang; "
            "format kolom sebagai teks lalu ketik ulang kodenya."
        )
        % {"value": _show(value)}
    )


def _invalid_code(value: object) -> CellError:
    return CellError(_("Kode '%(value)s' tidak valid.") % {"value": _show(value)})


def parse_code(value: object) -> str | None:
    """A code (kd_rup, kd_satker, kd_nontender_pct, NIP, NPWP, …) as text; None when empty.

    Traps: JSON and spreadsheets hand codes over as numbers. An int is exact; a float is
    exact only while integral and below 10**15, because Excel keeps 15 significant digits
    (an 18-digit NIP typed as a number is already wrong), so longer or fractional floats,
    and "1.98001E+17" written by Excel into a CSV, are refused with advice to format the
    column as text. pandas writes integers as "48120334.0": the ".0" goes. Text codes such
    as kd_satker_str "4.01.0.00.0.00.24.0000" or "48120334;48120335" are kept as written.
    """
    cell = _cell(value)
    if cell is None:
        return None
    if isinstance(cell, str):
        if _SCIENTIFIC.fullmatch(cell):
            raise _code_as_number(cell)
        point_zero = _CODE_POINT_ZERO.fullmatch(cell)
        return point_zero.group(1) if point_zero else cell
    if isinstance(cell, float):  # before the (slower) Integral check: spreadsheets give numbers as floats
        if not math.isfinite(cell) or cell < 0:
            raise _invalid_code(cell)
        if not cell.is_integer() or cell >= _CODE_FLOAT_LIMIT:
            raise _code_as_number(cell)
        return str(int(cell))
    if isinstance(cell, bool):
        raise _invalid_code(cell)
    if isinstance(cell, numbers.Integral):
        number = int(cell)
        if number < 0 or number.bit_length() > 256:
            raise _invalid_code(cell)
        return str(number)
    if isinstance(cell, Decimal):
        if not cell.is_finite() or cell < 0 or (cell != 0 and cell.adjusted() > 40):
            raise _invalid_code(cell)
        if not _is_integral_decimal(cell):
            raise _code_as_number(cell)
        return str(int(cell))
    if isinstance(cell, date | time):
        raise CellError(
            _("Kode '%(value)s' terbaca sebagai tanggal; format kolom sebagai teks lalu ketik ulang kodenya.")
            % {"value": _show(cell)}
        )
    raise _invalid_code(cell)


def _int_too_big(value: object) -> CellError:
    return CellError(_("Angka '%(value)s' terlalu besar.") % {"value": _show(value)})


def _not_whole(value: object) -> CellError:
    return CellError(_("Angka '%(value)s' harus bilangan bulat, tanpa titik atau koma.") % {"value": _show(value)})


def parse_int(value: object) -> int | None:
    """A whole number (tahun_anggaran, tipe_swakelola); None when empty.

    Traps: spreadsheets give 2025 as 2025.0 and pandas' CSVs as "2025.0", both accepted. A
    string like "1.000" is refused rather than guessed (1 or, in Indonesian, 1000). Values
    must fit the database's BigIntegerField (below 10**18).
    """
    cell = _cell(value)
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise _unreadable_number(cell)
    if isinstance(cell, numbers.Integral):
        number = int(cell)
    elif isinstance(cell, float):
        if not math.isfinite(cell):
            raise _unreadable_number(cell)
        if not cell.is_integer():
            raise _not_whole(cell)
        if abs(cell) >= _INT_LIMIT:
            raise _int_too_big(cell)
        number = int(cell)
    elif isinstance(cell, Decimal):
        if not cell.is_finite():
            raise _unreadable_number(cell)
        if cell != 0 and cell.adjusted() >= 18:
            raise _int_too_big(cell)
        if not _is_integral_decimal(cell):
            raise _not_whole(cell)
        number = int(cell)
    elif isinstance(cell, str):
        match = _INT_TEXT.fullmatch(cell)
        if match is None:
            raise _not_whole(cell) if _INT_WITH_FRACTION.fullmatch(cell) else _unreadable_number(cell)
        sign, digits = match.group(1), match.group(2).lstrip("0")
        if len(digits) > 18:
            raise _int_too_big(cell)
        number = int(sign + (digits or "0"))
    else:
        raise _unreadable_number(cell)
    if abs(number) >= _INT_LIMIT:
        raise _int_too_big(cell)
    return number
