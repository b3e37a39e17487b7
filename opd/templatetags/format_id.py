"""Indonesian number formats for templates: `{{ nilai|rupiah }}` -> `Rp 1.450.200`."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


def format_rupiah(value: object) -> str:
    """Rupiah with `.` as thousands separator and `,` for sen, which are shown only when not zero."""
    if value is None or value == "":
        return "–"
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(value)
    sign = "-" if amount < 0 else ""
    whole, _, sen = f"{abs(amount):.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", ".")
    text = f"Rp {groups}" if sen == "00" else f"Rp {groups},{sen}"
    return sign + text


register.filter("rupiah", format_rupiah)
