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
    assert repeated._memory is not None and len(repeated._memory) == 4  # two of the first six repeated
