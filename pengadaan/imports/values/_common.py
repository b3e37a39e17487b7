"""What every cell parser shares: CellError, empty cells, and a cell cleaned and shown.

Empty cells: None, "", whitespace-only strings and the strings "null" and "none" (any case)
are empty, and parsers return None for them (parse_text returns ""). "-" is not empty: in a
money or date column it is an error, because a dash may stand for 0 as well as for nothing.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

# Strings (stripped, lowercased) that mean "no value": DB dumps write NULL, Python writes None.
EMPTY: frozenset[str] = frozenset({"", "null", "none"})

# Excel writes a formula's error as the cell's value; it is a broken formula, never data.
_EXCEL_ERRORS = frozenset(
    {"#n/a", "#value!", "#ref!", "#div/0!", "#name?", "#num!", "#null!", "#spill!", "#calc!", "#getting_data"}
)

# NUL and other C0 controls break PostgreSQL text and XLSX export; lone surrogates (valid in
# JSON) cannot be encoded as UTF-8. Tab, newline and carriage return are kept.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Excel's non-breaking spaces, the byte order mark of CSVs and zero-width spaces at the edges.
_EDGES = re.compile(r"^[\s\ufeff\u200b\u200c\u200d\u2060]+|[\s\ufeff\u200b\u200c\u200d\u2060]+$")
_SHOW_MAX = 50

# Excel keeps 15 significant digits, so a longer code typed as a number has already lost its
# last digits (NIP has 18, NPWP 16) even where a float could still hold it exactly (< 2**53).
_CODE_FLOAT_LIMIT = 10**15

# "1.98001E+17", which Excel writes into CSVs for long numbers: codes and money refuse it.
_SCIENTIFIC = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?e[+-]?[0-9]+", re.IGNORECASE | re.ASCII)


class CellError(ValueError):
    """One cell's value cannot be used; the message says why, in Indonesian, for the person fixing the file."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _clean(text: str) -> str:
    if text.isascii() and text.isprintable():  # no control character; the only whitespace is " "
        return text.strip(" ")
    return _EDGES.sub("", _CONTROL.sub("", text))


def _show(value: object) -> str:
    """The value as the person sees it in the file, at most 50 characters, for error messages."""
    try:
        if isinstance(value, str):
            shown = _clean(value)
        elif isinstance(value, float):
            shown = repr(value)
        else:
            shown = _clean(str(value))
    except Exception:  # a huge int refuses str(), a foreign object may break its own __str__
        shown = type(value).__name__
    return shown if len(shown) <= _SHOW_MAX else shown[: _SHOW_MAX - 1] + "…"


def is_empty(value: object) -> bool:
    """True for None, "" and whitespace-only strings and "null"/"none" in any case."""
    return value is None or (isinstance(value, str) and _clean(value).lower() in EMPTY)


def _cell(value: object) -> object:
    """The value with strings cleaned (controls removed, ends stripped); None when empty."""
    if value is None:
        return None
    if isinstance(value, str):
        text = _clean(value)
        lowered = text.lower()
        if lowered in EMPTY:
            return None
        if lowered in _EXCEL_ERRORS:
            raise CellError(_("Sel berisi galat Excel '%(value)s'; perbaiki rumusnya di berkas.") % {"value": text})
        return text
    return value


def _is_integral_decimal(value: Decimal) -> bool:
    return value.is_finite() and value == value.to_integral_value()


def _unreadable_number(value: object) -> CellError:
    return CellError(_("Angka '%(value)s' tidak dapat dibaca.") % {"value": _show(value)})
