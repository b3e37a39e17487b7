"""Cell parsers every LKPP import uses: one cell in, one clean Python value (or a CellError) out.

LKPP's files (ISB / INAPROC JSON, XLSX and CSV saved by people from them) carry the same
value in many shapes: a code as 48120334, 48120334.0 or "48120334"; money as 1450200,
"1.450.200" or "1450200,00"; a date as an ISO timestamp in UTC, a naive local timestamp,
"29/08/2024" or an Excel serial number. Each parser accepts the real shapes (DESIGN §8),
and for anything else raises CellError with a short Indonesian reason that names the value,
so the import can report row, column and reason. No other exception escapes a parser,
whatever object it is given.

Empty cells: None, "", whitespace-only strings and the strings "null" and "none" (any case)
are empty, and parsers return None for them (parse_text returns ""). "-" is not empty: in a
money or date column it is an error, because a dash may stand for 0 as well as for nothing.
"""

from __future__ import annotations

import math
import numbers
import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import TypeVar

from django.utils import timezone as dj_timezone
from django.utils.translation import gettext as _

from pengadaan.cleaning import html_to_text

__all__ = [
    "EMPTY",
    "CellError",
    "is_empty",
    "parse_bool",
    "parse_choice",
    "parse_code",
    "parse_date",
    "parse_datetime",
    "parse_html_text",
    "parse_int",
    "parse_money",
    "parse_money_nonneg",
    "parse_text",
]

T = TypeVar("T")

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
_INT_LIMIT = 10**18  # fits the database's BigIntegerField
_MONEY_LIMIT = 10**16  # DecimalField(max_digits=18, decimal_places=2)
_CENT = Decimal("0.01")

_SCIENTIFIC = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?e[+-]?[0-9]+", re.IGNORECASE | re.ASCII)
_CODE_POINT_ZERO = re.compile(r"([0-9]+)\.0", re.ASCII)
_INT_TEXT = re.compile(r"([+-]?)([0-9]+)(?:\.0)?", re.ASCII)
_INT_WITH_FRACTION = re.compile(r"[+-]?[0-9]+[.,][0-9]+", re.ASCII)

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

_TIME = r"(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2})(?:[.,](?P<f>[0-9]{1,9}))?)?"
_ISO = re.compile(
    r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
    rf"(?:[T ]{_TIME}\s*(?P<tz>Z|[+-][0-9]{{2}}(?::?[0-9]{{2}}(?::[0-9]{{2}})?)?)?)?",
    re.IGNORECASE | re.ASCII,
)
_DMY = re.compile(
    rf"(?P<d>[0-9]{{1,2}})(?P<sep>[/-])(?P<m>[0-9]{{1,2}})(?P=sep)(?P<y>[0-9]{{4}})(?:\s+{_TIME})?",
    re.ASCII,
)
_DAY_MONTH_NAME = re.compile(
    rf"(?P<d>[0-9]{{1,2}})[\s-]+(?P<mon>[a-z]+)\.?[\s-]+(?P<y>[0-9]{{4}})(?:,?\s+{_TIME})?",
    re.IGNORECASE | re.ASCII,
)
# How SPSE's pages and Indonesian reports print months ("29 Agustus 2024"), plus English.
_MONTHS = {
    **dict.fromkeys(("januari", "jan", "january"), 1),
    **dict.fromkeys(("februari", "pebruari", "feb", "peb", "february"), 2),
    **dict.fromkeys(("maret", "mar", "march"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "jun", "june"), 6),
    **dict.fromkeys(("juli", "jul", "july"), 7),
    **dict.fromkeys(("agustus", "agu", "agt", "ags", "aug", "august"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "okt", "oct", "october"), 10),
    **dict.fromkeys(("november", "nov", "nop", "nopember"), 11),
    **dict.fromkeys(("desember", "des", "dec", "december"), 12),
}
_EXCEL_EPOCH = datetime(1899, 12, 30)  # serials count days of local time
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31
_YEAR_MIN, _YEAR_MAX = 1900, 2100

# "t"/"f" are PostgreSQL's booleans. "y" is left out on purpose: Indonesian forms pair Y with
# T (Tidak), and "T" here means true, so a Y/T column fails loudly on its first "Y" instead.
# BENAR/SALAH is how Excel in Indonesian writes TRUE/FALSE into a CSV.
_TRUE = frozenset({"true", "t", "1", "1.0", "ya", "iya", "yes", "aktif", "benar"})
_FALSE = frozenset(
    {"false", "f", "0", "0.0", "tidak", "no", "nonaktif", "non aktif", "non-aktif", "tidak aktif", "salah"}
)


class CellError(ValueError):
    """One cell's value cannot be used; the message says why, in Indonesian, for the person fixing the file."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- shared helpers ---------------------------------------------------------------------------


def _clean(text: str) -> str:
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


# --- text -------------------------------------------------------------------------------------


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
    elif isinstance(cell, bool):
        raise CellError(_("Nilai benar/salah '%(value)s' tidak dapat dipakai sebagai teks.") % {"value": cell})
    elif isinstance(cell, numbers.Integral):
        try:
            text = str(int(cell))
        except ValueError:  # more digits than Python will print
            raise CellError(_("Angka '%(value)s' terlalu besar.") % {"value": _show(cell)}) from None
    elif isinstance(cell, float):
        if not math.isfinite(cell):
            raise _unreadable_number(cell)
        text = str(int(cell)) if cell.is_integer() and abs(cell) < _CODE_FLOAT_LIMIT else repr(cell)
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


# --- codes and integers -----------------------------------------------------------------------


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
    if isinstance(cell, bool):
        raise _invalid_code(cell)
    if isinstance(cell, numbers.Integral):
        number = int(cell)
        if number < 0 or number.bit_length() > 256:
            raise _invalid_code(cell)
        return str(number)
    if isinstance(cell, float):
        if not math.isfinite(cell) or cell < 0:
            raise _invalid_code(cell)
        if not cell.is_integer() or cell >= _CODE_FLOAT_LIMIT:
            raise _code_as_number(cell)
        return str(int(cell))
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


# --- money ------------------------------------------------------------------------------------


def _money_too_big(value: object) -> CellError:
    return CellError(
        _("Nilai '%(value)s' terlalu besar (paling banyak 16 angka sebelum koma).") % {"value": _show(value)}
    )


def _quantize_money(amount: Decimal, raw: object) -> Decimal:
    if not amount.is_finite():
        raise _unreadable_number(raw)
    if amount != 0 and amount.adjusted() >= 16:
        raise _money_too_big(raw)
    with localcontext() as context:
        context.prec = 40  # room for 16 + 2 digits after rounding whatever came in
        cents = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
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
    if isinstance(cell, bool):
        raise _unreadable_number(cell)
    if isinstance(cell, numbers.Integral):
        number = int(cell)
        if abs(number) >= _MONEY_LIMIT:
            raise _money_too_big(cell)
        amount = Decimal(number)
    elif isinstance(cell, float):
        if not math.isfinite(cell):
            raise _unreadable_number(cell)
        amount = Decimal(repr(cell))
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


# --- dates and times --------------------------------------------------------------------------


def _unrecognised_date(value: object) -> CellError:
    return CellError(
        _("Tanggal '%(value)s' tidak dikenali; gunakan format YYYY-MM-DD atau DD/MM/YYYY.") % {"value": _show(value)}
    )


def _invalid_date(value: object) -> CellError:
    return CellError(_("Tanggal '%(value)s' tidak valid.") % {"value": _show(value)})


def _year_out_of_range(value: object) -> CellError:
    return CellError(
        _("Tahun pada tanggal '%(value)s' harus antara %(min)d dan %(max)d.")
        % {"value": _show(value), "min": _YEAR_MIN, "max": _YEAR_MAX}
    )


def _checked(moment: T, year: int, raw: object) -> T:
    if not _YEAR_MIN <= year <= _YEAR_MAX:
        raise _year_out_of_range(raw)
    return moment


def _local(moment: datetime, raw: object) -> datetime:
    """An aware datetime in the site's zone (Asia/Jakarta); naive ones are already local (WIB)."""
    zone = dj_timezone.get_default_timezone()
    if moment.tzinfo is None or moment.utcoffset() is None:
        return _checked(moment.replace(tzinfo=zone), moment.year, raw)
    # Check before converting (year 9999 overflows); a day either side may still land inside.
    if not _YEAR_MIN - 1 <= moment.year <= _YEAR_MAX + 1:
        raise _year_out_of_range(raw)
    local = moment.astimezone(zone)
    return _checked(local, local.year, raw)


def _from_excel_serial(serial: float, raw: object) -> datetime:
    """Excel's day count (1899-12-30 = 0, so 1900's fake 29 February needs no correction after it)."""
    if not 1 <= serial <= _EXCEL_MAX_SERIAL:
        raise _unrecognised_date(raw)
    days = math.floor(serial)
    milliseconds = round((serial - days) * 86_400_000)  # Excel stores time to the millisecond
    moment = _EXCEL_EPOCH + timedelta(days=days, milliseconds=milliseconds)
    return _checked(moment, moment.year, raw)


def _offset(text: str) -> timezone:
    if text.upper() == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    parts = [int(part) for part in re.findall(r"[0-9]{2}", text[1:])]
    hours, minutes, seconds = (*parts, 0, 0)[:3]
    if hours > 23 or minutes > 59 or seconds > 59:
        raise ValueError(text)
    return timezone(sign * timedelta(hours=hours, minutes=minutes, seconds=seconds))


def _from_text(text: str) -> date | datetime:
    """A date, or a datetime (aware when the text has Z or an offset, else naive local)."""
    if (match := _ISO.fullmatch(text)) or (match := _DMY.fullmatch(text)):
        month = int(match["m"])
    elif (match := _DAY_MONTH_NAME.fullmatch(text)) and match["mon"].lower() in _MONTHS:
        month = _MONTHS[match["mon"].lower()]
    else:
        raise _unrecognised_date(text)
    year, day = int(match["y"]), int(match["d"])
    _checked(None, year, text)
    try:
        if match["H"] is None:
            return date(year, month, day)
        fraction = (match["f"] or "")[:6].ljust(6, "0")
        zone = _offset(match["tz"]) if match.groupdict().get("tz") else None
        return datetime(year, month, day, int(match["H"]), int(match["M"]), int(match["S"] or 0), int(fraction), zone)
    except ValueError:
        raise _invalid_date(text) from None


def _moment(value: object) -> date | datetime | None:
    """The cell as a date (no time given) or an aware local datetime; None when empty."""
    cell = _cell(value)
    if cell is None:
        return None
    if isinstance(cell, datetime):
        return _local(cell, cell)
    if isinstance(cell, date):
        return _checked(cell, cell.year, cell)
    if isinstance(cell, time):
        raise CellError(_("Sel berisi jam '%(value)s' tanpa tanggal.") % {"value": _show(cell)})
    if isinstance(cell, str):
        parsed = _from_text(cell)
        return _local(parsed, cell) if isinstance(parsed, datetime) else parsed
    if isinstance(cell, bool):
        raise _unrecognised_date(cell)
    # A date cell without date formatting reaches us as Excel's day number.
    if isinstance(cell, numbers.Integral):
        number = int(cell)
        if not 1 <= number <= _EXCEL_MAX_SERIAL:
            raise _unrecognised_date(cell)
        return _local(_from_excel_serial(float(number), cell), cell)
    if isinstance(cell, float | Decimal):
        if isinstance(cell, Decimal) and not (cell.is_finite() and 1 <= cell <= _EXCEL_MAX_SERIAL):
            raise _unrecognised_date(cell)
        serial = float(cell)
        if not math.isfinite(serial):
            raise _unrecognised_date(cell)
        return _local(_from_excel_serial(serial, cell), cell)
    raise _unrecognised_date(cell)


def parse_date(value: object) -> date | None:
    """A date; None when empty.

    Traps: LKPP's JSON stamps times in UTC ("2024-08-29T20:00:00Z" is 30 August in Jakarta),
    so a timestamp with Z or an offset is converted to Asia/Jakarta before its date is taken;
    one without a zone ("2024-08-29 10:06:52", or a naive datetime from a spreadsheet) is
    already local (WIB). Also "2024-08-29", "29/08/2024", "29-08-2024", "29/8/2024" (always
    day first: "08/29/2024" is an invalid date, not 29 August) and "29 Agustus 2024". A date
    cell without date formatting arrives as Excel's serial number (45533 is 2024-08-29):
    accepted as int or float, but not as the string "45533", which is refused. Years must
    lie within 1900–2100 (Excel's 1904 date system, from old Macs, is not detected).
    """
    moment = _moment(value)
    if isinstance(moment, datetime):
        return moment.date()
    return moment


def parse_datetime(value: object) -> datetime | None:
    """An aware datetime in Asia/Jakarta; None when empty.

    Same inputs as parse_date: zoned timestamps are converted, naive ones and Excel serials
    are local, and a bare date becomes 00:00 local time.
    """
    moment = _moment(value)
    if moment is None or isinstance(moment, datetime):
        return moment
    return datetime.combine(moment, time(0), tzinfo=dj_timezone.get_default_timezone())


# --- booleans and choices ---------------------------------------------------------------------


def parse_bool(value: object) -> bool | None:
    """True/False from JSON booleans, 1/0, and text such as true/false, t/f, ya/tidak,
    aktif/nonaktif, benar/salah (any case); None when empty.

    Trap: "T" means true (PostgreSQL's t/f), so Indonesian Y/T (Ya/Tidak) columns are not
    read; "Y" is refused so that such a column fails on its first row instead of silently.
    """
    cell = _cell(value)
    if cell is None:
        return None
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, numbers.Integral | float) or (isinstance(cell, Decimal) and cell.is_finite()):
        if cell == 1:
            return True
        if cell == 0:
            return False
    elif isinstance(cell, str):
        word = " ".join(cell.split()).lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise CellError(_("Nilai '%(value)s' tidak dikenal; gunakan ya/tidak atau true/false.") % {"value": _show(cell)})


def _choice_key(text: str) -> str:
    return " ".join(text.split()).lower()


def parse_choice(value: object, mapping: dict[str, str], *, label: str) -> str | None:
    """The mapped value of a text among known choices (e.g. jenis_pengadaan); None when empty.

    Matching ignores case and repeated or surrounding whitespace, on both the cell and the
    mapping's keys. A number such as tipe_swakelola 1 or 1.0 is matched as the text "1".
    """
    text = parse_text(value)
    if not text:
        return None
    choices = {_choice_key(key): result for key, result in mapping.items()}
    key = _choice_key(text)
    if key in choices:
        return choices[key]
    raise CellError(
        _("%(label)s '%(value)s' tidak dikenal; pilihan: %(choices)s.")
        % {"label": label, "value": _show(text), "choices": ", ".join(dict.fromkeys(mapping))}
    )
