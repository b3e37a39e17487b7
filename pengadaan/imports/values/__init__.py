"""Cell parsers every LKPP import uses: one cell in, one clean Python value (or a CellError) out.

LKPP's files (ISB / INAPROC JSON, XLSX and CSV saved by people from them) carry the same
value in many shapes. Each parser accepts the real shapes (DESIGN §8), and for anything else
raises CellError with a short Indonesian reason that names the value, so the import can report
row, column and reason. No other exception escapes a parser, whatever object it is given.

One module per kind of value:

- `_common`: CellError, what an empty cell is (`is_empty`, `EMPTY`), cleaning and showing a cell
- `text`: parse_text, parse_html_text
- `codes`: parse_code (kd_rup, kd_satker, NIP, NPWP, …), parse_int
- `money`: parse_money, parse_money_nonneg
- `dates`: parse_date, parse_datetime
- `choices`: parse_bool, parse_choice
"""

from __future__ import annotations

from pengadaan.imports.values._common import EMPTY, CellError, is_empty
from pengadaan.imports.values.choices import parse_bool, parse_choice
from pengadaan.imports.values.codes import parse_code, parse_int
from pengadaan.imports.values.dates import parse_date, parse_datetime
from pengadaan.imports.values.money import parse_money, parse_money_nonneg
from pengadaan.imports.values.text import parse_html_text, parse_text

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
