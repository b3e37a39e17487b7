"""Read an uploaded table: XLSX (first sheet), CSV with `,` or `;`, or a JSON array as ISB/INAPROC publish it.

Every file is checked before it is parsed (`inspect_file`): size, extension,
and for .xlsx that it really is one, the zip-bomb limits, XML DTD/entity
declarations and the size of the cell grid each sheet would need in memory.
Every refusal is an `ImportFileError` with a message in Indonesian; nothing is
written by reading.

`read_table` is the fast path for bulk LKPP imports: it reads XLSX with
python-calamine (Rust) and hands rows out one at a time.

What calamine (python-calamine 0.9.1) returns for XLSX cells, passed on raw
except that "" becomes None:
- number -> float, also for whole numbers (``1`` -> ``1.0``; 17-digit codes lose
  digits, as they already did in Excel);
- date or date-time cell -> ``datetime.datetime``, but ``datetime.date`` when the
  time part is exactly midnight, whatever the number format;
- time-only cell -> ``datetime.time``; duration format (``[h]:mm``) -> ``datetime.timedelta``;
- boolean -> bool; text -> str; formula -> its cached value;
- empty cell, formula without a cached value and error cells (``#DIV/0!``,
  ``#N/A``) -> "" (so None here: an error cell cannot be told from an empty one).
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

SUPPORTED_EXTENSIONS = (".xlsx", ".csv", ".json")
# An .xlsx is a zip of XML parts; honest spreadsheets compress roughly 5-20x.
MAX_ZIP_RATIO = 100
# Below this a part cannot expand into anything harmful, whatever its ratio
# (a few KB of repeated XML easily compresses more than 100x).
MEMBER_RATIO_MIN_BYTES = 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
# DTDs may only appear in an XML prolog; honest OOXML parts start their root
# element within the first few hundred bytes.
XML_HEAD_BYTES = 64 * 1024
# calamine allocates the whole rectangle between the outermost cells of a sheet
# (about 32 bytes a cell) before handing out a row, and aborts the process when
# that allocation fails: a 5 KB file with cells at A1 and XFD1048576 asks for
# 550 GB. 10 million cells is about 320 MB; 100,000 rows x 25 columns is 2.5 million.
MAX_SHEET_CELLS = 10_000_000

_OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
_ZIP_SIGNATURE = b"PK\x03\x04"
_SCAN_CHUNK_BYTES = 1024 * 1024
_OVERFLOW = 10**12  # a row or column number beyond any limit
_SNIFF_CHARS = 64 * 1024  # a header line is far shorter
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# Cell tags as Excel, LibreOffice, openpyxl, xlsxwriter and POI write them: unprefixed, `r` first.
_CANONICAL_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?=[\s/>])')
_OTHER_CELL = re.compile(rb'<c(?=[\s/>])(?! r="[A-Z]{1,3}[0-9]{1,7}"[\s/>])')
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_ROW_NUMBER = re.compile(rb'<row r="([0-9]{1,7})"')
# The general forms, for parts that are written any other way (namespace
# prefixes, other attribute order or quoting, cells without `r`).
_PREFIX = rb"""(?:[^\s=/<>:"'!?]+:)?"""
_ATTRIBUTE = rb"""[^\s=/<>]+\s*=\s*(?:"[^"]*"|'[^']*')"""
_ANY_REF = re.compile(rb"""\br\s*=\s*["']([A-Za-z]*)([0-9]*)["']""")
_CELL_WITHOUT_REF = re.compile(rb"<" + _PREFIX + rb"c(?=[\s/>])(?:\s*(?!r\s*=)" + _ATTRIBUTE + rb")*\s*/?>")
_ROW_END = re.compile(rb"</" + _PREFIX + rb"row\s*>|<" + _PREFIX + rb"row(?=[\s/>])(?:\s*" + _ATTRIBUTE + rb")*\s*/>")
_ROW_OR_CELL_START = re.compile(rb"<" + _PREFIX + rb"(?:c|row)(?=[\s/>])")
_XML_PROLOG = re.compile(rb"\s*(?:(?:<\?.*?\?>|<!--.*?-->)\s*)*", re.DOTALL)


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, in Indonesian."""


@dataclass
class Table:
    """A file's rows, checked and ready to be cleaned row by row.

    `rows` yields (row number as the person sees it, raw cell values) and can be
    consumed once. Row 1 is the header, so the first data row is 2; a JSON
    object's number is its 1-based position + 1, as in a sheet made from it.
    Blank rows are skipped but keep their numbers counted. Each row has exactly
    `len(headers)` values; empty text is None.
    """

    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    total_rows: int
    format: str


def max_upload_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", 20 * 1024 * 1024)


def inspect_file(data: bytes, filename: str) -> None:
    """Run every check that comes before parsing; raise `ImportFileError` on the first that fails."""
    _inspect(data, filename)


def read_table(data: bytes, filename: str) -> Table:
    """Check then open an uploaded file (its whole content) as a `Table`.

    Raises `ImportFileError` for a file that cannot be read at all; rows are not
    validated here. No side effects.
    """
    ext = _inspect(data, filename)
    if ext == ".xlsx":
        return _xlsx_table(data)
    if ext == ".csv":
        return _csv_table(data)
    return _json_table(data)


def _inspect(data: bytes, filename: str) -> str:
    ext = _extension(filename)
    limit = max_upload_bytes()
    if len(data) > limit:
        raise ImportFileError(_("Berkas lebih besar dari batas %(limit)s.") % {"limit": _size_label(limit)})
    if not data or data.isspace():
        raise ImportFileError(_("Berkas kosong."))
    if ext == ".xlsx":
        _inspect_xlsx(data)
    elif ext == ".csv":
        _decode_csv(data)
    return ext


def _extension(filename: str) -> str:
    ext = Path(filename).suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        raise ImportFileError(
            _("Format berkas %(ext)s tidak didukung; gunakan .xlsx, .csv atau .json.") % {"ext": ext or "?"}
        )
    return ext


def _size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size // (1024 * 1024)} MB"
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} byte"


def _inspect_xlsx(data: bytes) -> None:
    if data.startswith(_OLE_SIGNATURE):
        raise ImportFileError(_password_message())
    if not data.startswith(_ZIP_SIGNATURE) or not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFileError(_("Berkas bukan XLSX yang sah (mungkin berkas lain yang diberi nama .xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_zip_limits(members, len(data))
            names = {info.filename.replace("\\", "/").lower() for info in members}
            if "xl/workbook.xml" not in names:
                raise ImportFileError(_("Berkas bukan XLSX yang sah (tidak ada workbook)."))
            for info in members:
                _inspect_member(archive, info)
    except ImportFileError:
        raise
    except Exception as exc:  # zipfile and zlib raise many kinds for a damaged archive
        raise ImportFileError(_damaged_xlsx_message()) from exc


def _password_message() -> str:
    return _(
        "Berkas XLSX terlindungi kata sandi atau berformat Excel lama (.xls); "
        "simpan ulang sebagai .xlsx tanpa kata sandi."
    )


def _damaged_xlsx_message() -> str:
    return _("Berkas XLSX rusak dan tidak dapat dibaca.")


def _check_zip_limits(members: list[zipfile.ZipInfo], archive_size: int) -> None:
    if len(members) > MAX_ZIP_MEMBERS:
        raise ImportFileError(
            _("Berkas XLSX ditolak: berisi terlalu banyak bagian (%(count)d; batasnya %(max)d).")
            % {"count": len(members), "max": MAX_ZIP_MEMBERS}
        )
    # The declared sizes can be trusted as upper bounds: Python's zipfile and
    # calamine's zip reader both stop with an error at a part that inflates past them.
    total = sum(info.file_size for info in members)
    too_dense = any(
        info.file_size > MEMBER_RATIO_MIN_BYTES and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1)
        for info in members
    )
    if total > MAX_UNCOMPRESSED_BYTES or total > MAX_ZIP_RATIO * archive_size or too_dense:
        raise ImportFileError(_("Berkas XLSX ditolak: isinya mengembang terlalu besar (zip bomb?)."))
    for info in members:
        if info.flag_bits & 0x1:
            raise ImportFileError(_password_message())
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ImportFileError(_damaged_xlsx_message())


def _inspect_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse XML declarations that can expand entities, and cell grids too large to hold.

    Every part is scanned, not only the first sheet: which part calamine reads
    depends on the workbook's relationships, and scanning them all spares us
    resolving those exactly as calamine does.
    """
    if info.is_dir() or info.file_size == 0:
        return
    with archive.open(info) as stream:
        head = stream.read(XML_HEAD_BYTES)
        _check_xml_head(head, truncated=info.file_size > len(head))
    rows, cols = _grid_bounds(archive, info, head)
    if rows * cols > MAX_SHEET_CELLS:
        raise ImportFileError(
            _(
                "Berkas XLSX ditolak: lembar kerjanya terlalu luas (%(rows)s baris × %(cols)s kolom; "
                "batasnya %(max)s sel). Hapus isi atau format sel yang jauh dari tabel, lalu simpan ulang."
            )
            % {"rows": _number(rows), "cols": _number(cols), "max": _number(MAX_SHEET_CELLS)}
        )


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _check_xml_head(head: bytes, *, truncated: bool) -> None:
    # Dropping NUL bytes turns UTF-16/32 markup into ASCII, so one test covers every encoding.
    text = head.replace(b"\x00", b"")
    lowered = text.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise ImportFileError(_xml_attack_message())
    if not truncated:
        return  # the whole part was searched
    for bom in _BOMS:
        text = text.removeprefix(bom)
    if not text.lstrip().startswith(b"<"):
        return  # not XML (an image, a binary part)
    prolog_end = _XML_PROLOG.match(text).end()
    if prolog_end >= len(text) or text[prolog_end : prolog_end + 2] == b"<!":
        # A prolog that outlasts the head could hide a DTD beyond it.
        raise ImportFileError(_xml_attack_message())


def _xml_attack_message() -> str:
    return _("Berkas XLSX ditolak: berisi deklarasi DTD/entitas XML (kemungkinan serangan XML).")


def _grid_bounds(archive: zipfile.ZipFile, info: zipfile.ZipInfo, head: bytes) -> tuple[int, int]:
    """Rows x columns that bound the cells of one part (0 x 0 for a part without cells)."""
    bounds = _canonical_grid_bounds(_part_pieces(archive, info, head))
    if bounds is None:
        bounds = _general_grid_bounds(_part_pieces(archive, info, head))
    return bounds


def _canonical_grid_bounds(pieces: Iterator[bytes]) -> tuple[int, int] | None:
    """Fast bound for parts whose every cell tag reads `<c r="A1"`; None if any does not.

    Rows come in order in honest sheets, so each piece's cells are guessed to lie
    within the columns seen so far and up to the piece's last `<row r>`; one
    regex search confirms the guess, and only a piece that breaks it has its
    cell references read one by one.
    """
    max_row = max_col = 0
    for piece in pieces:
        if b":c" in piece and _PREFIXED_CELL.search(piece):
            return None
        guess_row = max(max_row, _last_row_number(piece))
        if max_col and not _cells_outside(guess_row, max_col).search(piece):
            max_row = guess_row
            continue
        cells = _CANONICAL_CELL.findall(piece)
        # Every match starts with "<c": equal counts mean no other cell tag, and
        # the regex search only runs on pieces holding <col>, <cfRule> and the like.
        if piece.count(b"<c") != len(cells) and _OTHER_CELL.search(piece):
            return None
        if cells:
            max_col = max(max_col, *map(_column_number, set(map(itemgetter(0), cells))))
            max_row = max(max_row, *map(int, set(map(itemgetter(1), cells))))
    return max_row, max_col


def _last_row_number(piece: bytes) -> int:
    match = _ROW_NUMBER.match(piece, max(piece.rfind(b'<row r="'), 0))
    return int(match[1]) if match else 0


@functools.lru_cache(maxsize=32)
def _cells_outside(max_row: int, max_col: int) -> re.Pattern[bytes]:
    """A regex finding any cell tag that is not `<c r="..."` within A1:(max_col)(max_row)."""
    column_beyond = _beyond(_column_letters(max_col), "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    row_beyond = _beyond(str(max_row), "0123456789")
    inside = f' r="(?!{column_beyond}[0-9])[A-Z]{{1,3}}(?!{row_beyond}")[0-9]{{1,7}}"[\\s/>]'
    return re.compile(f"<c(?=[\\s/>])(?!{inside})".encode())


def _beyond(limit: str, alphabet: str) -> str:
    """Regex for the strings that sort after `limit` (longer ones, or as long and greater)."""
    options = [f"[{alphabet[0]}-{alphabet[-1]}]{{{len(limit) + 1},}}"]
    for position, char in enumerate(limit):
        index = alphabet.index(char)
        if index + 1 < len(alphabet):
            rest = len(limit) - position - 1
            options.append(
                f"{limit[:position]}[{alphabet[index + 1]}-{alphabet[-1]}][{alphabet[0]}-{alphabet[-1]}]{{{rest}}}"
            )
    return "(?:" + "|".join(options) + ")"


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _general_grid_bounds(pieces: Iterator[bytes]) -> tuple[int, int]:
    """Conservative bound for any other way of writing cells, the way calamine places them.

    A cell without `r` lands on the current row (set by `<row r>`, else one past
    the last `</row>`) and one column right of the previous cell.
    """
    max_row = max_cell_row = max_col = 0
    without_ref = row_ends = run = longest_run = 0
    for piece in pieces:
        for letters, digits in set(_ANY_REF.findall(piece)):
            row = _bounded_int(digits)
            max_row = max(max_row, row)
            if letters:
                max_col = max(max_col, _column_number(letters))
                max_cell_row = max(max_cell_row, row)
        segments = _ROW_END.split(piece)
        for index, segment in enumerate(segments):
            if index:
                row_ends += 1
                run = 0
            count = len(_CELL_WITHOUT_REF.findall(segment))
            without_ref += count
            run += count
            longest_run = max(longest_run, run)
    if not without_ref:
        return max_cell_row, max_col
    return max_row + row_ends + 1, max_col + longest_run + 1


def _column_number(letters: bytes) -> int:
    if len(letters) > 3:
        return _OVERFLOW  # calamine's 32-bit arithmetic would wrap it to anything
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _bounded_int(digits: bytes) -> int:
    if not digits:
        return 0
    return int(digits) if len(digits) <= 7 else _OVERFLOW


def _part_pieces(archive: zipfile.ZipFile, info: zipfile.ZipInfo, head: bytes) -> Iterator[bytes]:
    """Yield a part's decompressed bytes as UTF-8-compatible pieces, each cut just before a `<`."""
    decoder = None
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        decoder = codecs.getincrementaldecoder("utf-16")(errors="replace")
    elif head[:2] == b"<\x00":
        decoder = codecs.getincrementaldecoder("utf-16-le")(errors="replace")
    elif head[:2] == b"\x00<":
        decoder = codecs.getincrementaldecoder("utf-16-be")(errors="replace")
    carry = b""
    with archive.open(info) as stream:
        while chunk := stream.read(_SCAN_CHUNK_BYTES):
            if decoder is not None:
                chunk = decoder.decode(chunk).encode("utf-8")
            buffer = carry + chunk
            cut = buffer.rfind(b"<")
            if cut < 0:
                cut = len(buffer)
            piece, carry = buffer[:cut], buffer[cut:]
            if len(carry) > _SCAN_CHUNK_BYTES:
                # No tag is that long in an honest part: this is text or binary data.
                if _ROW_OR_CELL_START.match(carry):
                    raise ImportFileError(_("Berkas XLSX ditolak: struktur XML-nya tidak wajar."))
                piece, carry = buffer, b""
            if piece:
                yield piece
    if carry:
        yield carry


# XLSX --------------------------------------------------------------------------------------------


def _xlsx_table(data: bytes) -> Table:
    import python_calamine

    try:
        with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)) as workbook:
            sheet = workbook.get_sheet_by_index(0)
    except Exception as exc:  # CalamineError mostly, but a damaged file may raise other kinds
        raise ImportFileError(_damaged_xlsx_message()) from exc
    if sheet.start is None:  # iter_rows() panics on an empty sheet
        raise ImportFileError(_("Lembar pertama berkas XLSX kosong."))
    # iter_rows() starts at row 1 (rows above the first filled one come back
    # empty) but at the first filled column, so entirely empty leading columns
    # are dropped; their absence changes no value.
    header = next(sheet.iter_rows(), [])
    headers = _clean_headers(header)

    def records() -> Iterator[tuple[int, Sequence[Any]]]:
        rows = sheet.iter_rows()
        next(rows, None)
        return enumerate(rows, start=2)

    return _table(headers, records, "xlsx")


def _decode_csv(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("Berkas CSV harus berenkode UTF-8.")) from exc
    if "\x00" in text:
        raise ImportFileError(_("Berkas CSV berisi karakter NUL (mungkin UTF-16); simpan ulang sebagai CSV UTF-8."))
    return text


def _sniff_delimiter(text: str) -> str:
    """`;` when the header line has more of them than commas outside quotes, else `,`."""
    counts = {",": 0, ";": 0}
    quoted = False
    for char in text[:_SNIFF_CHARS]:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            if char in "\r\n":
                break
            if char in counts:
                counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","


def _lines(text: str) -> Iterator[str]:
    """The text's lines, ends kept, one at a time.

    io.StringIO would hold a second copy of the file at 4 bytes a character.
    """
    end_of_line = "\n" if "\n" in text or "\r" not in text else "\r"  # "\r" alone: old Mac files
    start = 0
    while start < len(text):
        end = text.find(end_of_line, start) + 1 or len(text)
        yield text[start:end]
        start = end


def _csv_table(data: bytes) -> Table:
    text = _decode_csv(data)
    delimiter = _sniff_delimiter(text)

    def records() -> Iterator[tuple[int, Sequence[Any]]]:
        return enumerate(csv.reader(_lines(text), delimiter=delimiter), start=1)

    try:
        all_records = records()
        header = next(all_records, (1, []))[1]
        headers = _clean_headers(header)

        def data_records() -> Iterator[tuple[int, Sequence[Any]]]:
            rows = records()
            next(rows, None)
            return rows

        return _table(headers, data_records, "csv")
    except csv.Error as exc:
        raise ImportFileError(
            _("Berkas CSV tidak dapat dibaca: %(reason)s (tanda kutip tidak seimbang atau sel terlalu panjang).")
            % {"reason": exc}
        ) from exc


def _load_json_objects(data: bytes) -> list[dict[str, Any]]:
    # NaN and Infinity are not JSON but Python writes them; they come through as
    # floats for the row cleaning to report against their cell.
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        raise ImportFileError(_("Berkas JSON tidak sah: %(reason)s") % {"reason": exc}) from exc
    if not isinstance(payload, list) or not all(isinstance(item, dict) for item in payload):
        raise ImportFileError(_("Berkas JSON harus berupa array objek, seperti yang diterbitkan ISB/INAPROC."))
    return payload


def _json_keys(payload: list[dict[str, Any]]) -> list[str]:
    keys: dict[str, None] = {}
    for item in payload:
        keys.update(dict.fromkeys(item))
    return list(keys)


def _json_table(data: bytes) -> Table:
    payload = _load_json_objects(data)
    keys = _json_keys(payload)
    if not keys:
        raise ImportFileError(_("Berkas JSON tidak berisi data: array kosong atau objek tanpa nama kolom."))
    headers = _clean_headers(keys)
    keys = keys[: len(headers)]

    def records() -> Iterator[tuple[int, Sequence[Any]]]:
        return ((index, [item.get(key) for key in keys]) for index, item in enumerate(payload, start=2))

    return _table(headers, records, "json")


def _clean_headers(raw: Sequence[Any]) -> list[str]:
    headers = [_header_text(value) for value in raw]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise ImportFileError(_("Baris pertama harus berisi nama kolom."))
    seen: set[str] = set()
    for position, name in enumerate(headers, start=1):
        if not name:
            raise ImportFileError(
                _("Kolom ke-%(position)d di baris pertama tidak bernama; beri nama atau hapus kolom itu.")
                % {"position": position}
            )
        if name in seen:
            raise ImportFileError(_("Kolom '%(name)s' muncul lebih dari sekali.") % {"name": name})
        seen.add(name)
    return headers


def _header_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a header typed as the number 2024 reads "2024", not "2024.0"
    return str(value).strip()


def _has_value(values: Sequence[Any]) -> bool:
    """Whether any cell holds more than whitespace; stops at the first that does."""
    for value in values:
        if isinstance(value, str):
            if value.strip():
                return True
        elif value is not None:
            return True
    return False


def _table(headers: list[str], records: Callable[[], Iterator[tuple[int, Sequence[Any]]]], fmt: str) -> Table:
    """Build a Table whose rows are read twice: once now to count, once by the caller.

    Reading twice keeps memory to one row at a time on top of the parsed file,
    and any parse error surfaces here, before the caller starts writing.
    """
    width = len(headers)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, values in records():
            if _has_value(values[:width]):
                row = [None if value == "" else value for value in values[:width]]
                if len(row) < width:
                    row.extend([None] * (width - len(row)))
                yield number, row

    total = sum(1 for _number, values in records() if _has_value(values[:width]))
    return Table(headers=headers, rows=rows(), total_rows=total, format=fmt)
