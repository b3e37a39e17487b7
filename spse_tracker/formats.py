"""Numbers as the app rounds and shows them, in one small home (used by models, forms, tables, templates,
dashboards and exports of both apps).

It sits in the project package because it is the lowest layer both `opd` and `pengadaan` may import: it
imports nothing of theirs. Rounding is always half up, to the sen (two decimals) for money and to two
decimals for percentages (DESIGN §5); display follows Indonesian usage (`Rp 1.450.200,50`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def two_decimals(value: Decimal) -> Decimal:
    """A score, point or percentage rounded half up to two decimals (ITKP points, DESIGN §6)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money(value: object) -> Decimal:
    """A Rupiah amount with its two decimals, 0.00 when empty (SQLite returns sums without their scale)."""
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def money_or_none(value: object) -> Decimal | None:
    """As `money`, but an empty amount stays None (an export cell left empty, not 0.00)."""
    return None if value is None else money(value)


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part / whole × 100 with 2 decimals (half up); None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def format_rupiah(value: object) -> str:
    """Rupiah with `.` as thousands separator and `,` for sen, which are shown only when not zero; `–` when empty.

    Anything that is not a number is shown as it is.
    """
    if value is None or value == "":
        return "–"
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(value)
    sign = "-" if amount < 0 else ""
    whole, _, sen = f"{abs(amount):.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", ".")
    text = f"Rp {groups}" if sen == "00" else f"Rp {groups},{sen}"
    return sign + text


def format_npwp(npwp: str) -> str:
    """A normalised NPWP shown formatted: 15 digits as 99.999.999.9-999.999; 16 digits (NIK-based NPWP) in
    groups of four; anything else (kept as SPSE published it, DESIGN §4) as it is."""
    if len(npwp) == 15:
        return f"{npwp[:2]}.{npwp[2:5]}.{npwp[5:8]}.{npwp[8]}-{npwp[9:12]}.{npwp[12:]}"
    if len(npwp) == 16:
        return " ".join(npwp[i : i + 4] for i in range(0, 16, 4))
    return npwp
