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

    Rows are parsed a block at a time, a column at a time (issue 16): a column whose cells in the block
    are all of one type (text, whole numbers or numbers, besides empty cells) has each distinct value
    parsed once, and each column keeps what its parser made of the values already seen, since LKPP files
    repeat the same dates, amounts, codes and wordings in thousands of rows. A column whose values hardly
    repeat (names, descriptions) stops remembering after a first sample, so that memory stays flat.
    """
    index = {name: i for i, name in enumerate(headers)}
    has_tahun = any(c.name == "tahun_anggaran" for c in contract.columns)
    columns = [_ColumnParser(column, index.get(column.name)) for column in contract.columns]
    block: list[tuple[int, list[Any]]] = []
    for item in cells:
        block.append(item)
        if len(block) == _BLOCK:
            yield from _parse_block(columns, block, tahun if has_tahun else _NO_TAHUN)
            block = []
    if block:
        yield from _parse_block(columns, block, tahun if has_tahun else _NO_TAHUN)


_BLOCK = 1000  # rows parsed together, a column at a time
_NO_TAHUN = object()  # the contract has no tahun_anggaran column
# after this many cells a column remembers on only when at least a quarter of them repeated an earlier one
_SAMPLE = 2000
_MIN_HITS = _SAMPLE // 4
_NONE = type(None)
_REMEMBERED = (str, int, float)


def _parse_block(columns: list[_ColumnParser], block: list[tuple[int, list[Any]]], tahun: Any) -> Iterator[Row]:
    raws = [raw for _baris, raw in block]
    shortest = min(map(len, raws))
    problems: dict[int, list[tuple[str, str]]] = {}  # row in the block -> (column, reason), in column order
    parsed_columns = []
    for column in columns:
        i = column.index
        if i is None:
            cells = [None] * len(raws)
        elif i < shortest:
            cells = [raw[i] for raw in raws]
        else:
            cells = [raw[i] if i < len(raw) else None for raw in raws]
        values, errors = column.parse_column(cells)
        if column.required and (None in values or "" in values):
            for k, value in enumerate(values):
                if (value is None or value == "") and k not in errors:
                    errors[k] = _("Wajib diisi.")
        for k, reason in errors.items():
            problems.setdefault(k, []).append((column.name, reason))
        parsed_columns.append(values)
    names = [column.name for column in columns]
    for k, ((baris, _raw), values) in enumerate(zip(block, zip(*parsed_columns, strict=True), strict=True)):
        row = Row(baris=baris, data=dict(zip(names, values, strict=True)))
        if k in problems:
            row.errors = problems[k]
            for name, _reason in row.errors:
                row.data.pop(name, None)  # a cell with an error has no value
        if tahun is not _NO_TAHUN:
            _apply_tahun(row, tahun)
        yield row


class _ColumnParser:
    """One column's parser with a memory of the values already parsed: (error message, value) by cell.

    Only str, int and float cells are remembered, by type then value (1, 1.0 and True are equal in
    Python but not to a parser); 0.0 and -0.0 (shown differently in a message) and NaN are not.
    Parsers are pure: the same cell gives the same value or the same message, in the same run
    (language and time zone fixed).
    """

    __slots__ = ("_decided", "_hits", "_memory", "_parse", "_seen", "index", "name", "required")

    def __init__(self, column, index: int | None) -> None:
        self.name, self.index, self.required, self._parse = column.name, index, column.required, column.parse
        self._memory: dict[type, dict[Any, tuple[str | None, Any]]] | None = {kind: {} for kind in _REMEMBERED}
        self._seen = self._hits = 0
        self._decided = False

    def parse(self, value: Any) -> tuple[str | None, Any]:
        """One cell: (error message or None, value)."""
        memory = self._memory
        kind = type(value)
        if memory is None or kind not in memory or (kind is float and (value == 0.0 or value != value)):
            return self._parse_one(value)
        found = memory[kind].get(value)
        if found is not None:
            self._hits += 1
            return found
        found = memory[kind][value] = self._parse_one(value)
        self._count(1, 0)
        return found

    def parse_column(self, cells: list[Any]) -> tuple[list[Any], dict[int, str]]:
        """A block's cells of this column: their values (None where there is an error) and the errors by
        position. Cells of one remembered type (and empty ones) are looked up by value, each distinct one
        parsed once; a block of mixed types goes cell by cell."""
        kinds = set(map(type, cells))
        kinds.discard(_NONE)
        if not kinds:  # an empty column
            error, value = self._parse_one(None)
            return [value] * len(cells), (dict.fromkeys(range(len(cells)), error) if error else {})
        if len(kinds) != 1 or (kind := kinds.pop()) not in _REMEMBERED:
            return self._split([self.parse(cell) for cell in cells])
        distinct = set(cells)
        # 0.0 and -0.0 are one key but two messages: zeros are parsed cell by cell (NaN is never equal to
        # itself, so each NaN object is its own key)
        zero = kind is float and 0.0 in distinct
        if zero:
            distinct = {cell for cell in distinct if cell != 0.0}
        memory = self._memory[kind] if self._memory is not None else {}
        if None not in memory:
            memory[None] = self._parse_one(None)
        new = distinct.difference(memory)
        parse_one = self._parse_one
        for cell in new:
            memory[cell] = parse_one(cell)
        if self._memory is not None:
            self._count(len(new), len(cells) - len(new))
        if zero:
            return self._split([parse_one(cell) if cell == 0.0 else memory[cell] for cell in cells])
        results = list(map(memory.__getitem__, cells))
        bad = {cell for cell in distinct if memory[cell][0] is not None}
        values = [value for _error, value in results]
        if not bad:
            return values, {}
        return values, {k: memory[cell][0] for k, cell in enumerate(cells) if cell in bad}

    def _count(self, seen: int, hits: int) -> None:
        self._seen += seen
        self._hits += hits
        if not self._decided and self._seen >= _SAMPLE:
            self._decided = True
            if self._hits < _MIN_HITS:
                self._memory = None  # values that hardly repeat: remembering them costs memory, saves nothing

    @staticmethod
    def _split(results: list[tuple[str | None, Any]]) -> tuple[list[Any], dict[int, str]]:
        return [value for _error, value in results], {k: error for k, (error, _v) in enumerate(results) if error}

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
