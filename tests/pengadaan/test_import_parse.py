"""Issue 16: each column remembers what its parser made of a cell already seen. The memory must never
change a result: every row still gets its own value or its own error, and cells Python calls equal but a
parser does not (1, 1.0 and True; 0.0 and -0.0) are parsed each on their own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pengadaan.imports import rows as rows_module
from pengadaan.imports.contracts import Column, Contract
from pengadaan.imports.rows import parse_rows
from pengadaan.imports.values import parse_code, parse_date, parse_money_nonneg, parse_text
from pengadaan.models import Pencatatan

CONTRACT = Contract(
    kind="test",
    label="test",
    model=Pencatatan,
    key=("kode",),
    columns=(
        Column("kode", parse_code, True),
        Column("pagu", parse_money_nonneg, True),
        Column("tanggal", parse_date),
        Column("teks", parse_text),
    ),
)
HEADERS = ["kode", "pagu", "tanggal", "teks"]


def parse(cells: list[list]) -> list[tuple[dict, list]]:
    rows = parse_rows(CONTRACT, HEADERS, iter(enumerate(cells, start=2)), tahun=None)
    return [(row.data, row.errors) for row in rows]


def test_repeated_values_give_each_row_the_same_value_and_every_bad_row_its_error():
    cells = [["1", "1.450.200", "29/08/2024", "a"]] * 3 + [["2", "-5", "31/02/2024", "a"]] * 2
    assert (
        parse(cells)
        == [
            (
                {
                    "kode": "1",
                    "pagu": Decimal("1450200.00"),
                    "tanggal": dt.date(2024, 8, 29),
                    "teks": "a",
                },
                [],
            )
        ]
        * 3
        + [
            (
                {"kode": "2", "teks": "a"},
                [("pagu", "Nilai '-5' tidak boleh negatif."), ("tanggal", "Tanggal '31/02/2024' tidak valid.")],
            )
        ]
        * 2
    )


def test_values_python_calls_equal_are_parsed_each_on_their_own():
    cells = [[1, 1, None, 1], [1.0, 1.0, None, 1.0], [True, True, None, True], [2, 0.0, 0.0, ""], [3, -0.0, -0.0, ""]]
    assert parse(cells) == [
        ({"kode": "1", "pagu": Decimal("1.00"), "tanggal": None, "teks": "1"}, []),
        ({"kode": "1", "pagu": Decimal("1.00"), "tanggal": None, "teks": "1"}, []),
        (
            {"tanggal": None},
            [
                ("kode", "Kode 'True' tidak valid."),
                ("pagu", "Angka 'True' tidak dapat dibaca."),
                ("teks", "Nilai benar/salah 'True' tidak dapat dipakai sebagai teks."),
            ],
        ),
        (
            {"kode": "2", "pagu": Decimal("0.00"), "teks": ""},
            [("tanggal", "Tanggal '0.0' tidak dikenali; gunakan format YYYY-MM-DD atau DD/MM/YYYY.")],
        ),
        (
            {"kode": "3", "pagu": Decimal("0.00"), "teks": ""},
            [("tanggal", "Tanggal '-0.0' tidak dikenali; gunakan format YYYY-MM-DD atau DD/MM/YYYY.")],
        ),
    ]


def test_a_column_whose_values_hardly_repeat_stops_remembering(monkeypatch):
    monkeypatch.setattr(rows_module, "_SAMPLE", 4)
    monkeypatch.setattr(rows_module, "_MIN_HITS", 2)
    column = rows_module._ColumnParser(CONTRACT.columns[3], 3)
    for text in ("a", "b", "c", "d"):
        assert column.parse(text) == (None, text)
    assert column._memory is None  # four different values: nothing more is kept
    assert column.parse("a") == (None, "a")
    repeated = rows_module._ColumnParser(CONTRACT.columns[3], 3)
    for text in ("a", "a", "b", "b", "c", "d"):
        assert repeated.parse(text) == (None, text)
    assert repeated._memory is not None and len(repeated._memory[str]) == 4  # two of the first six repeated


def test_a_column_of_one_type_is_parsed_by_value_across_blocks(monkeypatch):
    monkeypatch.setattr(rows_module, "_BLOCK", 3)
    monkeypatch.setattr(rows_module, "_SAMPLE", 4)
    monkeypatch.setattr(rows_module, "_MIN_HITS", 2)
    made = []

    class Recorded(rows_module._ColumnParser):
        def __init__(self, *args):
            super().__init__(*args)
            made.append(self)

    monkeypatch.setattr(rows_module, "_ColumnParser", Recorded)
    # kode: seven different codes (forgotten after the sample); pagu: three amounts, one bad, repeated
    cells = [[str(n), ["1.000", "2.500,50", "-7"][n % 3], None, "a"] for n in range(1, 8)]
    expected_pagu = {1: Decimal("2500.50"), 0: Decimal("1000.00")}
    assert parse(cells) == [
        (
            ({"kode": str(n), "pagu": expected_pagu[n % 3], "tanggal": None, "teks": "a"}, [])
            if n % 3 != 2
            else ({"kode": str(n), "tanggal": None, "teks": "a"}, [("pagu", "Nilai '-7' tidak boleh negatif.")])
        )
        for n in range(1, 8)
    ]
    kode, pagu, _tanggal, teks = made
    assert kode._memory is None  # seven values, none repeated
    assert len(pagu._memory[str]) == 4  # the three amounts and the empty cell's answer
    assert len(teks._memory[str]) == 2  # "a" and the empty cell's answer


def test_a_float_column_with_zero_or_nan_is_parsed_cell_by_cell():
    nan = float("nan")
    cells = [["1", 5.0, 0.0, "a"], ["2", nan, -0.0, "a"], ["3", nan, None, "a"], ["4", float("nan"), None, "a"]]
    unreadable = ("pagu", "Angka 'nan' tidak dapat dibaca.")
    unrecognised = "Tanggal '%s' tidak dikenali; gunakan format YYYY-MM-DD atau DD/MM/YYYY."
    assert parse(cells) == [
        ({"kode": "1", "pagu": Decimal("5.00"), "teks": "a"}, [("tanggal", unrecognised % "0.0")]),
        ({"kode": "2", "teks": "a"}, [unreadable, ("tanggal", unrecognised % "-0.0")]),
        ({"kode": "3", "tanggal": None, "teks": "a"}, [unreadable]),
        ({"kode": "4", "tanggal": None, "teks": "a"}, [unreadable]),
    ]


def test_a_row_shorter_than_the_header_has_empty_cells_and_a_missing_required_one_is_an_error():
    cells = [["1"], ["2", "6", "29/08/2024", "x"], ["", "7"]]
    assert parse(cells) == [
        ({"kode": "1", "tanggal": None, "teks": ""}, [("pagu", "Wajib diisi.")]),
        ({"kode": "2", "pagu": Decimal("6.00"), "tanggal": dt.date(2024, 8, 29), "teks": "x"}, []),
        ({"pagu": Decimal("7.00"), "tanggal": None, "teks": ""}, [("kode", "Wajib diisi.")]),
    ]


def test_zeros_in_a_float_column_keep_their_own_message_beside_values_looked_up():
    # Excel serial 45533.0 is 2024-08-29; 0.0 and -0.0 are no dates, each shown as written
    cells = [["1", 1.0, 45533.0, None], ["2", 1.0, -0.0, None], ["3", 1.0, 45533.0, None], ["4", 1.0, 0.0, None]]
    unrecognised = "Tanggal '%s' tidak dikenali; gunakan format YYYY-MM-DD atau DD/MM/YYYY."
    day = {"pagu": Decimal("1.00"), "teks": ""}
    assert parse(cells) == [
        ({"kode": "1", **day, "tanggal": dt.date(2024, 8, 29)}, []),
        ({"kode": "2", **day}, [("tanggal", unrecognised % "-0.0")]),
        ({"kode": "3", **day, "tanggal": dt.date(2024, 8, 29)}, []),
        ({"kode": "4", **day}, [("tanggal", unrecognised % "0.0")]),
    ]
