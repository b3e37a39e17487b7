"""Everything a person downloads as CSV or XLSX (DESIGN §8), one module per export on one base.

- `base`: how every cell is written (money, dates, formula-safe text) and the response; re-exported here.
- `pencatatan`: the record list's columns (`?_export=csv|xlsx` on /pencatatan/).
- `dashboard`: the §5 table (`/dashboard/?_export=csv|xlsx`, DESIGN §11).
- `lkpp`: our data in LKPP's own columns per import kind, read back unchanged by an import.
- `workbooks`: the import template of a kind and the workbook of an import's bad rows.
"""

from pengadaan.exports.base import (
    CSV_CONTENT_TYPE,
    FORMATS,
    XLSX_CONTENT_TYPE,
    Column,
    escape_formula,
    export_response,
)

__all__ = ["CSV_CONTENT_TYPE", "FORMATS", "XLSX_CONTENT_TYPE", "Column", "escape_formula", "export_response"]
