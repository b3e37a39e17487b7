"""Reading uploaded tables (DESIGN §8): three formats, row numbers as the person sees them,
and every hostile file refused before it is parsed."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import zipfile
from collections.abc import Callable

import openpyxl
import pytest

from pengadaan.imports import files
from pengadaan.imports.files import ImportFileError, inspect_file, read_table

SHEET = "xl/worksheets/sheet1.xml"
BOMB_MESSAGE = "Berkas XLSX ditolak: isinya mengembang terlalu besar (zip bomb?)."
XML_ATTACK_MESSAGE = "Berkas XLSX ditolak: berisi deklarasi DTD/entitas XML (kemungkinan serangan XML)."
NOT_XLSX_MESSAGE = "Berkas bukan XLSX yang sah (mungkin berkas lain yang diberi nama .xlsx)."
PASSWORD_MESSAGE = (
    "Berkas XLSX terlindungi kata sandi atau berformat Excel lama (.xls); simpan ulang sebagai .xlsx tanpa kata sandi."
)
JSON_SHAPE_MESSAGE = "Berkas JSON harus berupa array objek, seperti yang diterbitkan ISB/INAPROC."


def noise(size: int) -> bytes:
    """Bytes that look random and do not compress, the same on every run."""
    return hashlib.shake_256(b"spse-tracker").digest(size)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, change: Callable[[str, bytes], bytes] = lambda name, body: body) -> bytes:
    """Copy an .xlsx member by member, letting `change` rewrite any member's content."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info.filename)))
    return out.getvalue()


def with_member(data: bytes, name: str, body: bytes, compress_type: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO(rezip(data))
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr(name, body, compress_type=compress_type)
    return out.getvalue()


def rewrite_sheet(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    return rezip(data, lambda name, body: change(body) if name == SHEET else body)


def refusal(data: bytes, filename: str) -> str:
    with pytest.raises(ImportFileError) as excinfo:
        read_table(data, filename)
    return str(excinfo.value)


def read_all(data: bytes, filename: str) -> tuple[list[str], int, list[tuple[int, list]]]:
    table = read_table(data, filename)
    return table.headers, table.total_rows, list(table.rows)


TABLE = [["kd_rup", "nama_paket", "pagu"], [12345, "Paket A", 1500000.5], [67890, "Paket B", 250000]]


@pytest.mark.parametrize(
    ("filename", "data", "expected_rows"),
    [
        (
            "paket.xlsx",
            xlsx_bytes(TABLE),
            [(2, [12345.0, "Paket A", 1500000.5]), (3, [67890.0, "Paket B", 250000.0])],
        ),
        (
            "paket.csv",
            b"kd_rup,nama_paket,pagu\r\n12345,Paket A,1500000.5\r\n67890,Paket B,250000\r\n",
            [(2, ["12345", "Paket A", "1500000.5"]), (3, ["67890", "Paket B", "250000"])],
        ),
        (
            "paket.json",
            json.dumps([dict(zip(TABLE[0], row, strict=True)) for row in TABLE[1:]]).encode(),
            [(2, [12345, "Paket A", 1500000.5]), (3, [67890, "Paket B", 250000])],
        ),
    ],
)
def test_read_table_reads_the_same_table_from_each_format(filename, data, expected_rows):
    table = read_table(data, filename)
    assert (table.headers, table.total_rows, table.format) == (TABLE[0], 2, filename.rsplit(".", 1)[1])
    assert list(table.rows) == expected_rows
    assert list(table.rows) == []  # rows are read once


def test_read_table_xlsx_cell_types_as_calamine_returns_them():
    data = xlsx_bytes(
        [
            ["teks", "angka", "tanggal_jam", "tengah_malam", "jam", "benar", "kosong"],
            [
                "Paket",
                1450200,
                dt.datetime(2024, 8, 29, 10, 6, 52),
                dt.datetime(2025, 1, 1),
                dt.time(10, 30),
                True,
                None,
            ],
        ]
    )
    assert read_all(data, "jenis.xlsx")[2] == [
        (2, ["Paket", 1450200.0, dt.datetime(2024, 8, 29, 10, 6, 52), dt.date(2025, 1, 1), dt.time(10, 30), True, None])
    ]


def test_read_table_csv_semicolon_with_commas_in_values():
    data = b'kd_rup;nama_paket;pagu\n123;"Jl. Merdeka; Blok A";1.450.200,00\n'
    assert read_all(data, "paket.csv") == (
        ["kd_rup", "nama_paket", "pagu"],
        1,
        [(2, ["123", "Jl. Merdeka; Blok A", "1.450.200,00"])],
    )


def test_read_table_csv_delimiter_counts_only_outside_quotes():
    data = b'"nama; lengkap",kode\n"Budi; S",1\n'
    assert read_all(data, "paket.csv") == (["nama; lengkap", "kode"], 1, [(2, ["Budi; S", "1"])])


def test_read_table_csv_with_bom_and_stripped_headers():
    data = "\ufeff kd_rup ,nama\n1,Ä\n".encode()
    assert read_all(data, "paket.csv") == (["kd_rup", "nama"], 1, [(2, ["1", "Ä"])])


def test_read_table_csv_numbers_records_not_lines():
    data = b'nama,kode\n"baris\ndua",1\nbaris tiga,2\n'
    assert read_all(data, "paket.csv")[2] == [(2, ["baris\ndua", "1"]), (3, ["baris tiga", "2"])]


def test_read_table_csv_with_old_mac_line_ends():
    assert read_all(b"a;b\r1;2\r3;4\r", "paket.csv") == (["a", "b"], 2, [(2, ["1", "2"]), (3, ["3", "4"])])


def test_read_table_csv_short_rows_padded_and_long_rows_cut():
    data = b"a,b,c\n1\n1,2,3,4,5\n"
    assert read_all(data, "paket.csv")[2] == [(2, ["1", None, None]), (3, ["1", "2", "3"])]


def test_read_table_json_headers_are_the_union_of_keys_in_first_seen_order():
    data = json.dumps([{"b": 1}, {"a": "x", "b": 2}, {}, {"c": {"nested": True}, "a": ""}, {"a": [1, 2]}]).encode()
    assert read_all(data, "paket.json") == (
        ["b", "a", "c"],
        4,
        [(2, [1, None, None]), (3, [2, "x", None]), (5, [None, None, {"nested": True}]), (6, [None, [1, 2], None])],
    )


def test_read_table_json_passes_nan_through_for_the_row_cleaning_to_report():
    [(number, [pagu])] = read_all(b'[{"pagu": NaN}]', "paket.json")[2]
    assert (number, math.isnan(pagu)) == (2, True)


def test_read_table_blank_rows_skipped_and_numbering_kept():
    data = xlsx_bytes([["a", "b"], [1, "x"], [None, None], [2, "y"], ["   ", None], [3, "z"]])
    assert read_all(data, "paket.xlsx")[1:] == (3, [(2, [1.0, "x"]), (4, [2.0, "y"]), (6, [3.0, "z"])])
    assert read_all(b"a,b\n1,x\n,\n\n2,y\n", "paket.csv")[1:] == (2, [(2, ["1", "x"]), (5, ["2", "y"])])


def test_read_table_trailing_empty_header_cells_are_dropped():
    data = xlsx_bytes([["a", "b", None, None], [1, 2, "diabaikan", None]])
    assert read_all(data, "paket.xlsx") == (["a", "b"], 1, [(2, [1.0, 2.0])])
    assert read_all(b"a,b,,\n1,2,3,\n", "paket.csv") == (["a", "b"], 1, [(2, ["1", "2"])])


def test_read_table_numeric_header_reads_as_whole_number():
    assert read_all(xlsx_bytes([["kode", 2024], ["x", 1]]), "paket.xlsx")[0] == ["kode", "2024"]


def test_read_table_reads_cells_written_without_references():
    rows = b"".join(b'<row><c t="n"><v>%d</v></c><c t="inlineStr"><is><t>x</t></is></c></row>' % i for i in range(3))
    data = rewrite_sheet(xlsx_bytes([["a", "b"]]), lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>"))
    # The header row keeps its reference (row 1); the next rows follow it.
    assert read_all(data, "paket.xlsx") == (["a", "b"], 3, [(2, [0.0, "x"]), (3, [1.0, "x"]), (4, [2.0, "x"])])


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"a,b,a\n1,2,3\n", "paket.csv", "Kolom 'a' muncul lebih dari sekali."),
        (xlsx_bytes([["kd_rup", " kd_rup "], [1, 2]]), "paket.xlsx", "Kolom 'kd_rup' muncul lebih dari sekali."),
        (
            b"a,,c\n1,2,3\n",
            "paket.csv",
            "Kolom ke-2 di baris pertama tidak bernama; beri nama atau hapus kolom itu.",
        ),
        (b"\n\na,b\n1,2\n", "paket.csv", "Baris pertama harus berisi nama kolom."),
        (xlsx_bytes([[None], ["a"], [1]]), "paket.xlsx", "Baris pertama harus berisi nama kolom."),
        (xlsx_bytes([]), "paket.xlsx", "Lembar pertama berkas XLSX kosong."),
        (b"", "paket.csv", "Berkas kosong."),
        (b" \n ", "paket.json", "Berkas kosong."),
        (b"[]", "paket.json", "Berkas JSON tidak berisi data: array kosong atau objek tanpa nama kolom."),
    ],
)
def test_read_table_refuses_files_without_a_usable_header(data, filename, message):
    assert refusal(data, filename) == message


def test_read_table_refuses_unsupported_extension():
    assert refusal(b"a,b\n", "paket.txt") == "Format berkas .txt tidak didukung; gunakan .xlsx, .csv atau .json."


def test_read_table_refuses_file_over_the_size_limit(settings):
    settings.IMPORT_MAX_BYTES = 1000
    assert refusal(b"a\n" + b"1\n" * 500, "paket.csv") == "Berkas lebih besar dari batas 1000 byte."
    assert read_table(b"a\n" + b"1\n" * 499, "paket.csv").total_rows == 499


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"a,b\n1,2\n", NOT_XLSX_MESSAGE),  # a .csv renamed
        (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", NOT_XLSX_MESSAGE),
        (b"MZ\x90\x00\x03" + bytes(200), NOT_XLSX_MESSAGE),  # an .exe
        (noise(4096), NOT_XLSX_MESSAGE),
        (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504), PASSWORD_MESSAGE),  # encrypted .xlsx or old .xls
        (rezip(xlsx_bytes([["a"]]), lambda name, body: b"" if name == "xl/workbook.xml" else body), None),
    ],
)
def test_read_table_refuses_files_that_are_not_xlsx(data, message):
    if message is None:  # workbook.xml present but empty: calamine cannot read it
        message = "Berkas XLSX rusak dan tidak dapat dibaca."
    assert refusal(data, "paket.xlsx") == message


def test_read_table_refuses_xlsx_without_workbook():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    assert refusal(data.getvalue(), "paket.xlsx") == "Berkas bukan XLSX yang sah (tidak ada workbook)."


def billion_laughs(xml: bytes) -> bytes:
    declaration = (
        b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    return declaration + xml.replace(b"<t>a</t>", b"<t>&c;</t>")


@pytest.mark.parametrize(
    ("member", "change"),
    [
        (SHEET, billion_laughs),
        (SHEET, lambda xml: xml.replace(b"<worksheet", b"<!doctype x SYSTEM 'http://example.com/x.dtd'><worksheet")),
        ("_rels/.rels", lambda xml: b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + xml),
        # a prolog longer than what is searched, so a DTD could hide beyond it
        (SHEET, lambda xml: b"<!--" + b" " * (70 * 1024) + b"--><!DOCTYPE x [<!ENTITY a 'b'>]>" + xml),
        # UTF-16 hides the ASCII of <!ENTITY from a plain byte search
        (SHEET, lambda xml: ('<!DOCTYPE x [<!ENTITY a "b">]>' + xml.decode()).encode("utf-16")),
    ],
)
def test_read_table_refuses_xml_entity_declarations(member, change):
    data = rezip(xlsx_bytes([["a"], [1]]), lambda name, body: change(body) if name == member else body)
    assert refusal(data, "paket.xlsx") == XML_ATTACK_MESSAGE


def test_read_table_refuses_xlsx_over_the_uncompressed_limit(monkeypatch):
    data = xlsx_bytes([["a"], [1]])  # about 16 KB once inflated
    monkeypatch.setattr(files, "MAX_UNCOMPRESSED_BYTES", 10_000)
    assert refusal(data, "paket.xlsx") == BOMB_MESSAGE


def test_read_table_refuses_xlsx_that_inflates_over_100_times():
    data = with_member(xlsx_bytes([["a"], [1]]), "xl/media/nol.bin", bytes(5 * 1024 * 1024))
    assert refusal(data, "paket.xlsx") == BOMB_MESSAGE


def test_read_table_refuses_one_member_that_inflates_over_100_times():
    data = xlsx_bytes([["a"], [1]])
    # 1.5 MB that does not compress keeps the whole file's ratio near 2...
    data = with_member(data, "xl/media/acak.bin", noise(1_500_000), zipfile.ZIP_STORED)
    # ...while this member alone inflates about 1000 times.
    data = with_member(data, "xl/media/nol.bin", bytes(2 * 1024 * 1024))
    assert refusal(data, "paket.xlsx") == BOMB_MESSAGE


def test_read_table_refuses_xlsx_with_too_many_members(monkeypatch):
    monkeypatch.setattr(files, "MAX_ZIP_MEMBERS", 5)
    assert refusal(xlsx_bytes([["a"]]), "paket.xlsx") == (
        "Berkas XLSX ditolak: berisi terlalu banyak bagian (9; batasnya 5)."
    )


def far_cell(xml: bytes) -> bytes:
    return xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>')


def wide_row_without_references(xml: bytes) -> bytes:
    cells = b'<c t="n"><v>1</v></c>' * 20_000
    far = b'<row r="900000"><c r="A900000" t="n"><v>1</v></c></row>'
    return xml.replace(b"</sheetData>", b"<row>" + cells + b"</row>" + far + b"</sheetData>")


# Only inspect_file is called: calamine itself would abort the whole process on these.
@pytest.mark.parametrize(
    ("change", "rows", "cols"),
    [
        (far_cell, "1.048.576", "16.384"),
        (lambda xml: xml.replace(b'<c r="A2"', b'<c r="xfd1048576"'), "1.048.576", "16.384"),
        (lambda xml: xml.replace(b'<c r="A2"', b"<c t=\"n\" r='XFD1048576'"), "1.048.576", "16.384"),
        (lambda xml: xml.replace(b'<c r="A2"', b'<x:c r="XFD1048576"'), "1.048.576", "16.384"),
        (lambda xml: xml.replace(b'<c r="A2"', b'<c r="A99999999999"'), "1.000.000.000.000", "1"),
        (wide_row_without_references, "900.006", "20.002"),
    ],
)
def test_inspect_file_refuses_cell_grids_too_large_to_hold(change, rows, cols):
    data = rewrite_sheet(xlsx_bytes([["a"], [1], [2]]), change)
    with pytest.raises(ImportFileError) as excinfo:
        inspect_file(data, "paket.xlsx")
    assert str(excinfo.value) == (
        f"Berkas XLSX ditolak: lembar kerjanya terlalu luas ({rows} baris × {cols} kolom; batasnya 10.000.000 sel). "
        "Hapus isi atau format sel yang jauh dari tabel, lalu simpan ulang."
    )


def long_sheet(last_row: bytes) -> bytes:
    """A sheet whose XML spans several scanned pieces (over 1 MB), ending with `last_row`."""
    rows = b"".join(b'<row r="%d"><c r="A%d" t="n"><v>%d</v></c></row>' % (n, n, n) for n in range(2, 30_002))
    xlsx = xlsx_bytes([["a", "b", "c"]])
    return rewrite_sheet(xlsx, lambda xml: xml.replace(b"</sheetData>", rows + last_row + b"</sheetData>"))


def test_inspect_file_finds_a_far_cell_deep_in_a_long_sheet():
    with pytest.raises(ImportFileError) as excinfo:
        inspect_file(long_sheet(b'<row r="30002"><c r="XFD30002" t="n"><v>1</v></c></row>'), "paket.xlsx")
    assert "(30.002 baris × 16.384 kolom;" in str(excinfo.value)


def test_read_table_reads_a_long_sheet_to_its_last_row():
    table = read_table(long_sheet(b'<row r="30002"><c r="C30002" t="n"><v>7</v></c></row>'), "paket.xlsx")
    rows = list(table.rows)
    assert (table.total_rows, rows[0], rows[-1]) == (30_001, (2, [2.0, None, None]), (30_002, [None, None, 7.0]))


def test_inspect_file_accepts_an_honest_file():
    assert inspect_file(xlsx_bytes(TABLE), "paket.xlsx") is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("kd_rup\n123\n".encode("utf-16"), "Berkas CSV harus berenkode UTF-8."),
        ("kd_rup\n123\n".encode("cp1252") + b"\x80\n", "Berkas CSV harus berenkode UTF-8."),
        (
            "kd_rup\n123\n".encode("utf-16-le"),
            "Berkas CSV berisi karakter NUL (mungkin UTF-16); simpan ulang sebagai CSV UTF-8.",
        ),
    ],
)
def test_read_table_refuses_csv_that_is_not_utf8(data, message):
    assert refusal(data, "paket.csv") == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"kd_rup": 1}', JSON_SHAPE_MESSAGE),
        (b"[1, 2, 3]", JSON_SHAPE_MESSAGE),
        (b'[{"kd_rup": 1}, "teks"]', JSON_SHAPE_MESSAGE),
        (
            b"{oops",
            "Berkas JSON tidak sah: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        ),
        (
            b"[" * 100_000 + b"]" * 100_000,
            "Berkas JSON tidak sah: maximum recursion depth exceeded while decoding a JSON array from a unicode string",
        ),
    ],
)
def test_read_table_refuses_json_that_is_not_an_array_of_objects(data, message):
    assert refusal(data, "paket.json") == message
