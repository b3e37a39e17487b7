"""Yes/no and known-choice cells: parse_bool and parse_choice."""

from __future__ import annotations

import numbers
from decimal import Decimal

from django.utils.translation import gettext as _

from pengadaan.imports.values._common import CellError, _cell, _show
from pengadaan.imports.values.text import parse_text

# "t"/"f" are PostgreSQL's booleans. "y" is left out on purpose: Indonesian forms pair Y with
# T (Tidak), and "T" here means true, so a Y/T column fails loudly on its first "Y" instead.
# BENAR/SALAH is how Excel in Indonesian writes TRUE/FALSE into a CSV.
_TRUE = frozenset({"true", "t", "1", "1.0", "ya", "iya", "yes", "aktif", "benar"})
_FALSE = frozenset(
    {"false", "f", "0", "0.0", "tidak", "no", "nonaktif", "non aktif", "non-aktif", "tidak aktif", "salah"}
)


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
