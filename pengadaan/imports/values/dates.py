"""Dates and times: parse_date and parse_datetime, always in Asia/Jakarta.

LKPP's files carry a date as an ISO timestamp in UTC, a naive local timestamp, "29/08/2024"
or an Excel serial number.
"""

from __future__ import annotations

import math
import numbers
import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import TypeVar

from django.utils import timezone as dj_timezone
from django.utils.translation import gettext as _

from pengadaan.imports.values._common import CellError, _cell, _show

T = TypeVar("T")

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
