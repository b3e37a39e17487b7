"""Rows of an import: parsed cell values and the problems found, each with its file row and column."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from pengadaan.imports.contracts import Contract
from pengadaan.imports.values import CellError

ROW_LEVEL = "(baris)"
FILE_LEVEL = "(berkas)"


@dataclass
class Row:
    baris: int  # as the person sees it in the file: the header is row 1
    data: dict[str, Any]
    errors: list[tuple[str, str]] = field(default_factory=list)
    target: Any = None  # what the kind's handler resolved (instance to write, parent, …)
    action: str = ""  # "create" | "update" | "unchanged" | "duplicate"
    # DESIGN §12: "cocok" when it is a record or payment already entered in the app, "konfirmasi" when
    # it may be one and the OPD must say
    padanan: str = ""
    # values kept as SPSE published them although they break an entry rule (DESIGN §4): (aturan, column, value)
    notes: list[tuple[str, str, str]] = field(default_factory=list)
    # a warning, not an error: a RUP code not (yet) imported from SiRUP, kept in kd_rup but not linked
    rup_unknown: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def noted(self) -> bool:
        """A stored row that carries data-quality notes (a repeated payment row is not stored again)."""
        return self.ok and bool(self.notes) and self.action != "duplicate"

    def error(self, column: str, reason: str) -> None:
        self.errors.append((column, str(reason)))

    def note(self, aturan: str, column: str, value: object = "") -> None:
        self.notes.append((aturan, column, str(value)[:300]))


def missing_columns(contract: Contract, headers: list[str], *, tahun: int | None) -> list[str]:
    """Required columns the file lacks (a tahun given by the person stands in for tahun_anggaran)."""
    missing = [name for name in contract.required if name not in headers]
    names = {c.name for c in contract.columns}
    if "tahun_anggaran" in names and "tahun_anggaran" not in headers and tahun is None:
        missing.append("tahun_anggaran")
    return missing


def parse_rows(contract: Contract, headers: list[str], cells: Iterator[tuple[int, list[Any]]], *, tahun: int | None):
    """Parse every cell by its column's parser; yield one Row per data row, never raising.

    Each column keeps what its parser made of each text or number already seen (issue 16): LKPP files
    repeat the same dates, amounts, codes and wordings in thousands of rows. A column whose values hardly
    repeat (names, descriptions) stops remembering after a first sample, so that memory stays flat.
    """
    index = {name: i for i, name in enumerate(headers)}
    has_tahun = any(c.name == "tahun_anggaran" for c in contract.columns)
    columns = [_ColumnParser(column, index.get(column.name)) for column in contract.columns]
    for baris, raw in cells:
        row = Row(baris=baris, data={})
        width = len(raw)
        for column in columns:
            i = column.index
            value = raw[i] if i is not None and i < width else None
            error, parsed = column.parse(value)
            if error is not None:
                row.error(column.name, error)
            elif column.required and (parsed is None or parsed == ""):
                row.error(column.name, _("Wajib diisi."))
            else:
                row.data[column.name] = parsed
        if has_tahun:
            _apply_tahun(row, tahun)
        yield row


# after this many cells a column remembers on only when at least a quarter of them repeated an earlier one
_SAMPLE = 2000
_MIN_HITS = _SAMPLE // 4


class _ColumnParser:
    """One column's parser with a memory of the values already parsed: (error message, value) by cell.

    Only str, int and float cells are remembered, by type and exact text (1, 1.0 and True are equal in
    Python but not to a parser; 0.0 and -0.0 are shown differently in a message). Parsers are pure: the
    same cell gives the same value or the same message, in the same run (language and time zone fixed).
    """

    __slots__ = ("_hits", "_memory", "_parse", "_seen", "index", "name", "required")

    def __init__(self, column, index: int | None) -> None:
        self.name, self.index, self.required, self._parse = column.name, index, column.required, column.parse
        self._memory: dict | None = {}
        self._seen = self._hits = 0

    def parse(self, value: Any) -> tuple[str | None, Any]:
        memory = self._memory
        kind = type(value)
        if memory is None or not (kind is str or kind is int or kind is float):
            return self._parse_one(value)
        key = (kind, repr(value)) if kind is float else (kind, value)
        found = memory.get(key)
        if found is not None:
            self._hits += 1
            return found
        found = memory[key] = self._parse_one(value)
        self._seen += 1
        if self._seen == _SAMPLE and self._hits < _MIN_HITS:
            self._memory = None  # values that hardly repeat: remembering them costs memory, saves nothing
        return found

    def _parse_one(self, value: Any) -> tuple[str | None, Any]:
        if isinstance(value, dict | list):
            return _("Nilai bertingkat (objek/larik) tidak dapat diimpor."), None
        try:
            return None, self._parse(value)
        except CellError as exc:
            return str(exc), None


def _apply_tahun(row: Row, tahun: int | None) -> None:
    value = row.data.get("tahun_anggaran")
    if value is None and "tahun_anggaran" not in {c for c, _r in row.errors}:
        if tahun is None:
            row.error("tahun_anggaran", _("Wajib diisi (atau pilih tahun anggaran saat mengimpor)."))
        else:
            row.data["tahun_anggaran"] = tahun
    elif value is not None and tahun is not None and value != tahun:
        row.error(
            "tahun_anggaran",
            _("Tahun %(baris)s berbeda dari tahun yang dipilih (%(pilih)s).") % {"baris": value, "pilih": tahun},
        )
    elif value is not None and not 2000 <= value <= 2100:
        row.error("tahun_anggaran", _("Tahun %(t)s di luar rentang 2000–2100.") % {"t": value})


def mark_duplicates(rows: list[Row], key: tuple[str, ...], *, label: str, seen: dict[tuple, int]) -> None:
    """A second row with the same key as an earlier good row is an error naming the earlier row.

    `seen` carries the keys of earlier chunks of the same file.
    """
    for row in rows:
        if not row.ok:
            continue
        k = tuple(row.data.get(name) for name in key)
        if k in seen:
            row.error(
                key[0],
                _("%(label)s '%(v)s' sudah muncul di baris %(baris)d berkas ini.")
                % {"label": label, "v": row.data.get(key[0]), "baris": seen[k]},
            )
        else:
            seen[k] = row.baris
