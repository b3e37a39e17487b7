from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from operator import itemgetter
from types import SimpleNamespace

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from pengadaan.exports import Column, escape_formula, export_response

UTC = dt.UTC

COLUMNS = [
    Column("Uraian", itemgetter("uraian")),
    Column("Nilai", itemgetter("nilai")),
    Column("Tanggal", itemgetter("tanggal")),
    Column("Waktu", itemgetter("waktu")),
    Column("Catatan", itemgetter("catatan")),
    Column("Selesai", itemgetter("selesai")),
]

ROWS = [
    {
        "uraian": 'Pengadaan ATK, "kertas" A4',
        "nilai": Decimal("1450200.00"),
        "tanggal": dt.date(2024, 8, 29),
        "waktu": dt.datetime(2024, 8, 29, 20, 0, tzinfo=UTC),
        "catatan": None,
        "selesai": True,
    },
    {
        "uraian": '=HYPERLINK("http://x")',
        "nilai": Decimal("-1500"),
        "tanggal": None,
        "waktu": None,
        "catatan": "+62",
        "selesai": False,
    },
    {"uraian": "-abc", "nilai": 42, "tanggal": None, "waktu": None, "catatan": "@SUM", "selesai": None},
    {"uraian": "\tx", "nilai": None, "tanggal": None, "waktu": None, "catatan": "\rx", "selesai": None},
]


@pytest.fixture(autouse=True)
def _jakarta():
    with timezone.override("Asia/Jakarta"):
        yield


def _one_column_csv(value) -> bytes:
    """The CSV body line of a one-column export of `value`."""
    response = export_response(filename="x", columns=[Column("v", lambda row: row)], rows=[value], fmt="csv")
    return response.content.removeprefix(b"\xef\xbb\xbfv\r\n")


def _xlsx_sheet(response):
    return load_workbook(io.BytesIO(response.content)).active


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+62", "'+62"),
        ("-abc", "'-abc"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Dinas Pendidikan", "Dinas Pendidikan"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_escape_formula(text, expected):
    assert escape_formula(text) == expected


def test_csv_exact_bytes():
    response = export_response(filename="rekap", columns=COLUMNS, rows=ROWS, fmt="csv")

    assert (
        response.content
        == (
            "\ufeffUraian,Nilai,Tanggal,Waktu,Catatan,Selesai\r\n"
            '"Pengadaan ATK, ""kertas"" A4",1450200.00,2024-08-29,2024-08-30 03:00:00,,ya\r\n'
            '"\'=HYPERLINK(""http://x"")",-1500,,,\'+62,tidak\r\n'
            "'-abc,42,,,'@SUM,\r\n"
            "'\tx,,,,\"'\rx\",\r\n"
        ).encode()
    )


def test_csv_headers():
    response = export_response(filename="rekap-pencatatan", columns=COLUMNS, rows=[], fmt="csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rekap-pencatatan.csv"'
    assert response.content == b"\xef\xbb\xbfUraian,Nilai,Tanggal,Waktu,Catatan,Selesai\r\n"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1450200.00"), b"1450200.00\r\n"),
        (Decimal("-1500.00"), b"-1500.00\r\n"),
        (Decimal("1E+3"), b"1000\r\n"),
        (Decimal("0.0000001"), b"0.0000001\r\n"),
        (-7, b"-7\r\n"),
        (0.1, b"0.1\r\n"),
        (1e20, b"100000000000000000000\r\n"),
        (-2.5e-7, b"-0.00000025\r\n"),
        (dt.datetime(2024, 8, 29, 10, 6, 52, 679000), b"2024-08-29 10:06:52\r\n"),
        (dt.date(2025, 1, 1), b"2025-01-01\r\n"),
        ("-1500", b"'-1500\r\n"),
        ("#N/A", b"#N/A\r\n"),
        ("\x01=cmd", b"'=cmd\r\n"),
        ("Bantul\nDIY", b'"Bantul\nDIY"\r\n'),
        ("Sukoharjo; Jawa Tengah", b"Sukoharjo; Jawa Tengah\r\n"),
        (None, b'""\r\n'),
    ],
)
def test_csv_cell_written_as(value, expected):
    assert _one_column_csv(value) == expected


def test_csv_datetime_in_current_timezone():
    value = dt.datetime(2024, 8, 29, 20, 0, tzinfo=UTC)

    with timezone.override("Asia/Makassar"):
        assert _one_column_csv(value) == b"2024-08-30 04:00:00\r\n"


def test_csv_reads_attributes_of_objects():
    paket = SimpleNamespace(kd_rup=56789012, nama="Belanja Modal Laptop", pagu=Decimal("25000000.00"))
    columns = [
        Column("Kode RUP", lambda p: p.kd_rup),
        Column("Nama", lambda p: p.nama),
        Column("Pagu", lambda p: p.pagu),
    ]

    response = export_response(filename="paket", columns=columns, rows=[paket], fmt="csv")

    assert response.content.decode("utf-8-sig") == "Kode RUP,Nama,Pagu\r\n56789012,Belanja Modal Laptop,25000000.00\r\n"


def test_xlsx_headers():
    response = export_response(filename="rekap-pencatatan", columns=COLUMNS, rows=[], fmt="xlsx")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="rekap-pencatatan.xlsx"'


def test_xlsx_header_row_bold():
    ws = _xlsx_sheet(export_response(filename="rekap", columns=COLUMNS, rows=ROWS, fmt="xlsx"))

    assert [cell.value for cell in ws[1]] == ["Uraian", "Nilai", "Tanggal", "Waktu", "Catatan", "Selesai"]
    assert [cell.font.bold for cell in ws[1]] == [True] * 6
    assert ws["A2"].font.bold is False


def test_xlsx_values_and_types():
    ws = _xlsx_sheet(export_response(filename="rekap", columns=COLUMNS, rows=ROWS, fmt="xlsx"))

    assert [[cell.value for cell in row] for row in ws.iter_rows(min_row=2)] == [
        [
            'Pengadaan ATK, "kertas" A4',
            1450200,
            dt.datetime(2024, 8, 29, 0, 0),
            dt.datetime(2024, 8, 30, 3, 0),
            None,
            True,
        ],
        ['\'=HYPERLINK("http://x")', -1500, None, None, "'+62", False],
        ["'-abc", 42, None, None, "'@SUM", None],
        # XML turns a stored CR into LF when read (line-end normalisation); the cell is still escaped.
        ["'\tx", None, None, None, "'\nx", None],
    ]
    assert ws.max_row == 5


def test_xlsx_numbers_are_numbers():
    ws = _xlsx_sheet(export_response(filename="rekap", columns=COLUMNS, rows=ROWS, fmt="xlsx"))

    # Excel stores every number as a double: 1450200.00 is the number 1450200, shown with 2 decimals.
    assert (ws["B2"].data_type, type(ws["B2"].value), ws["B2"].value) == ("n", int, 1450200)
    assert ws["B2"].number_format == "#,##0.00"
    assert (ws["B3"].data_type, type(ws["B3"].value), ws["B3"].value) == ("n", int, -1500)
    assert ws["B3"].number_format == "#,##0"
    assert (ws["B4"].data_type, type(ws["B4"].value), ws["B4"].value) == ("n", int, 42)
    assert ws["B4"].number_format == "General"
    assert (ws["F2"].data_type, ws["F2"].value) == ("b", True)


def test_xlsx_dates_are_dates():
    ws = _xlsx_sheet(export_response(filename="rekap", columns=COLUMNS, rows=ROWS, fmt="xlsx"))

    assert (ws["C2"].data_type, ws["C2"].number_format) == ("d", "yyyy-mm-dd")
    assert (ws["D2"].data_type, ws["D2"].number_format) == ("d", "yyyy-mm-dd hh:mm:ss")
    assert ws["D2"].value.tzinfo is None


def test_xlsx_escaped_text_stays_text():
    ws = _xlsx_sheet(export_response(filename="rekap", columns=COLUMNS, rows=ROWS, fmt="xlsx"))

    assert (ws["A3"].data_type, ws["A3"].value) == ("s", '\'=HYPERLINK("http://x")')
    assert (ws["A4"].data_type, ws["A4"].value) == ("s", "'-abc")
    assert (ws["E3"].data_type, ws["E3"].value) == ("s", "'+62")


def test_xlsx_text_never_guessed_as_error_or_formula():
    texts = ["#N/A", "-1500", "\x01=cmd", "Tab\x0bdi tengah"]
    columns = [Column("Teks", lambda text: text)]

    ws = _xlsx_sheet(export_response(filename="teks", columns=columns, rows=texts, fmt="xlsx"))

    assert [(cell.data_type, cell.value) for (cell,) in ws.iter_rows(min_row=2)] == [
        ("s", "#N/A"),
        ("s", "'-1500"),
        ("s", "'=cmd"),
        ("s", "Tabdi tengah"),
    ]


def test_xlsx_datetime_in_current_timezone():
    columns = [Column("Waktu", lambda value: value)]
    rows = [dt.datetime(2024, 8, 29, 20, 0, tzinfo=UTC), dt.datetime(2024, 8, 29, 10, 6, 52)]

    with timezone.override("Asia/Makassar"):
        ws = _xlsx_sheet(export_response(filename="waktu", columns=columns, rows=rows, fmt="xlsx"))

    assert [cell.value for (cell,) in ws.iter_rows(min_row=2)] == [
        dt.datetime(2024, 8, 30, 4, 0),
        dt.datetime(2024, 8, 29, 10, 6, 52),
    ]


@pytest.mark.parametrize("fmt", ["json", "CSV", "xls", ""])
def test_unknown_format_raises_before_reading_rows(fmt):
    rows = iter(ROWS)

    with pytest.raises(ValueError, match="Unknown export format"):
        export_response(filename="rekap", columns=COLUMNS, rows=rows, fmt=fmt)

    assert next(rows) is ROWS[0]


def test_xlsx_decimal_keeps_fraction_and_scale():
    columns = [Column("Nilai", lambda value: value)]
    rows = [Decimal("1450200.50"), Decimal("0.125"), Decimal("1E+3")]

    ws = _xlsx_sheet(export_response(filename="nilai", columns=columns, rows=rows, fmt="xlsx"))

    assert [(cell.value, cell.number_format) for (cell,) in ws.iter_rows(min_row=2)] == [
        (1450200.5, "#,##0.00"),
        (0.125, "#,##0.000"),
        (1000, "#,##0"),
    ]
