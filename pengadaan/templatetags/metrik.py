"""The §5 numbers as a reader sees them, in the page's language: `{{ row|metrik:"persen_tercatat" }}` →
`74,60%` on an Indonesian page, `74.60%` on an English one; money as `Rp 1.450.200`; `–` when empty.

Only display: ids, URLs, data attributes and exports keep plain numbers (DESIGN §8).
"""

from __future__ import annotations

from django import template
from django.utils.formats import localize

from spse_tracker.formats import format_rupiah

register = template.Library()

MONEY = frozenset({"rup_pagu", "tercatat_pagu", "realisasi_nilai", "tercatat_spse_pagu"})
PERCENT = frozenset({"persen_tercatat", "persen_input_nov_des", "persen_tercatat_spse"})


def angka(value) -> str:
    """A number with the separators of the active language; `–` when empty."""
    if value is None or value == "":
        return "–"
    return localize(value, use_l10n=True)


def persen(value) -> str:
    """A percentage with the separators of the active language (`74,60%` / `74.60%`); `–` when empty."""
    return "–" if value is None else f"{angka(value)}%"


@register.filter
def metrik(row, column: str) -> str:
    """The value of one §5 column of a dashboard row, formatted for reading."""
    value = row.value(column)
    if column in MONEY:
        return format_rupiah(value)
    if column in PERCENT:
        return persen(value)
    if column in ("kd_satker", "nama_satker"):
        return value or ""
    return angka(value)


register.filter("angka", angka)
register.filter("persen", persen)
