"""Rupiah amounts: parse_money and parse_money_nonneg.

LKPP's files carry money as 1450200, "1.450.200" or "1450200,00".
"""

from __future__ import annotations

import math
import numbers
import re
from decimal import ROUND_HALF_UP, Context, Decimal

from django.utils.translation import gettext as _

from pengadaan.imports.values._common import _SCIENTIFIC, CellError, _cell, _show, _unreadable_number

_MONEY_LIMIT = 10**16  # DecimalField(max_digits=18, decimal_places=2)
_CENT = Decimal("0.01")
# room for 16 + 2 digits after rounding whatever came in (the other settings as Python's default context)
_ROUNDING = Context(prec=40, rounding=ROUND_HALF_UP)
_WHOLE_FLOAT = 10.0**15  # below it a whole float's repr is its exact digits

_MONEY_PREFIX = re.compile(r"^(?:rp\.?|idr)", re.IGNORECASE)
_MONEY_SUFFIX = re.compile(r"(?:idr|rupiah)$", re.IGNORECASE)
_MONEY_DASH = re.compile(r"[.,]-+$")  # "Rp1.450.200,-": no cents
_MONEY_CHARS = re.compile(r"[0-9.,]+", re.ASCII)
_THOUSANDS = {
    ".": re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+", re.ASCII),
    ",": re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+", re.ASCII),
}
_GROUPED = {
    ".": re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})*", re.ASCII),
    ",": re.compile(r"[0-9]{1,3}(?:,[0-9]{3})*", re.ASCII),
}
_ONE_DECIMAL = {
    ".": re.compile(r"[0-9]+\.[0-9]+", re.ASCII),
    ",": re.compile(r"[0-9]+,[0-9]+", re.ASCII),
}


def _money_too_big(value: object) -> CellError:
    return CellError(
        _("Nilai '%(value)s' terlalu besar (paling banyak 16 angka sebelum koma).") % {"value": _show(value)}
    )


def _quantize_money(amount: Decimal, raw: object) -> Decimal:
    if not amount.is_finite():
        raise _unreadable_number(raw)
    if amount != 0 and amount.adjusted() >= 16:
        raise _money_too_big(raw)
    cents = amount.quantize(_CENT, context=_ROUNDING)
    if abs(cents) >= _MONEY_LIMIT:
        raise _money_too_big(raw)
    return cents if cents != 0 else Decimal("0.00")  # no "-0.00"


def _take_sign(text: str) -> tuple[str, bool]:
    if text[:1] in ("-", "\u2212"):
        return text[1:].strip(), True
    if text[:1] == "+":
        return text[1:].strip(), False
    return text, False


def _money_from_text(raw: str) -> Decimal:
    text = raw
    in_parentheses = text.startswith("(") and text.endswith(")")  # accountants' negative
    if in_parentheses:
        text = text[1:-1].strip()
    text, sign_before = _take_sign(text)
    text = _MONEY_PREFIX.sub("", text).strip()
    text, sign_after = _take_sign(text)
    text = _MONEY_DASH.sub("", _MONEY_SUFFIX.sub("", text).strip())
    text = re.sub(r"\s+", "", text)  # "1 450 200", and Excel's non-breaking spaces
    if in_parentheses + sign_before + sign_after > 1:
        raise _unreadable_number(raw)
    if _SCIENTIFIC.fullmatch(text):
        raise CellError(
            _(
                "Angka '%(value)s' ditulis dalam notasi ilmiah sehingga digitnya bisa hilang; "
                "format kolom sebagai angka biasa."
            )
            % {"value": _show(raw)}
        )
    if not _MONEY_CHARS.fullmatch(text) or not any(char.isdigit() for char in text):
        raise _unreadable_number(raw)
    has_dot, has_comma = "." in text, "," in text
    if has_dot and has_comma:
        decimal_mark = "." if text.rfind(".") > text.rfind(",") else ","
        thousands_mark = "," if decimal_mark == "." else "."
        whole, _mark, fraction = text.rpartition(decimal_mark)
        if not fraction.isdigit() or not _GROUPED[thousands_mark].fullmatch(whole):
            raise _unreadable_number(raw)
        plain = whole.replace(thousands_mark, "") + "." + fraction
    elif has_dot or has_comma:
        mark = "." if has_dot else ","
        if _THOUSANDS[mark].fullmatch(text):
            plain = text.replace(mark, "")
        elif _ONE_DECIMAL[mark].fullmatch(text):
            plain = text.replace(mark, ".")
        else:
            raise _unreadable_number(raw)
    else:
        plain = text
    amount = Decimal(plain)
    return -amount if in_parentheses or sign_before or sign_after else amount


def parse_money(value: object) -> Decimal | None:
    """A Rupiah amount as Decimal with 2 decimals (ROUND_HALF_UP); None when empty. May be negative.

    Traps: floats from spreadsheets go through their shortest text (1450200.1 → 1450200.10,
    never 1450200.09999…). Strings come in Indonesian and English shapes: "1.450.200",
    "1.450.200,50", "1450200,00", "1,450,200.00", "Rp 1.450.200", "Rp1.450.200,-",
    "IDR 1,450,200"; negatives as "-1.000" or "(1.000)". With both "." and "," the last one
    is the decimal mark. With only one kind, it separates thousands when every group after
    the first has exactly 3 digits and the first does not start with 0 ("1.450" is 1450,
    "1,450" is 1450, "0,500" is 0.50), else it is the decimal mark (and may appear once).
    "1.45E+06", which Excel writes into CSVs for long numbers, is refused: digits may be
    lost. Amounts from 10**16 up do not fit DecimalField(18, 2) and are refused.
    """
    cell = _cell(value)
    if cell is None:
        return None
    if isinstance(cell, float):  # before the (slower) Integral check: spreadsheets give numbers as floats
        if not math.isfinite(cell):
            raise _unreadable_number(cell)
        if cell.is_integer() and -_WHOLE_FLOAT < cell < _WHOLE_FLOAT:
            # whole Rupiah, the common case: the same Decimal (digits, exponent -2, no "-0.00") as below
            return Decimal(int(cell) * 100).scaleb(-2, context=_ROUNDING)
        amount = Decimal(repr(cell))
    elif isinstance(cell, bool):
        raise _unreadable_number(cell)
    elif isinstance(cell, numbers.Integral):
        number = int(cell)
        if abs(number) >= _MONEY_LIMIT:
            raise _money_too_big(cell)
        amount = Decimal(number)
    elif isinstance(cell, Decimal):
        amount = cell
    elif isinstance(cell, str):
        amount = _money_from_text(cell)
    else:
        raise _unreadable_number(cell)
    return _quantize_money(amount, cell)


def parse_money_nonneg(value: object) -> Decimal | None:
    """parse_money for pagu and realisasi, which are never negative (DESIGN §4)."""
    amount = parse_money(value)
    if amount is not None and amount < 0:
        raise CellError(_("Nilai '%(value)s' tidak boleh negatif.") % {"value": _show(value)})
    return amount
