"""Cell parsers of the LKPP imports: the real shapes of DESIGN §8, exactly, and properties over any input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pengadaan.imports.values import (
    CellError,
    is_empty,
    parse_bool,
    parse_choice,
    parse_code,
    parse_date,
    parse_datetime,
    parse_html_text,
    parse_int,
    parse_money,
    parse_money_nonneg,
    parse_text,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
WIB = dt.timedelta(hours=7)
EXCEL_EPOCH = dt.date(1899, 12, 30)
JENIS = {"Barang": "barang", "Pekerjaan Konstruksi": "konstruksi", "Jasa Lainnya": "jasa_lainnya"}
PROPERTY = settings(max_examples=200, deadline=None)


def _raises(parser, value, message: str) -> None:
    with pytest.raises(CellError) as caught:
        parser(value)
    assert str(caught.value) == message


# --- empty cells ------------------------------------------------------------------------------

EMPTY_VALUES = [None, "", "   ", "\xa0\t\n", "null", "NULL", "None", " none ", "\ufeff"]
NULLABLE_PARSERS = [
    parse_code,
    parse_int,
    parse_money,
    parse_money_nonneg,
    parse_date,
    parse_datetime,
    parse_bool,
    lambda value: parse_choice(value, JENIS, label="Jenis pengadaan"),
]


@pytest.mark.parametrize("value", EMPTY_VALUES)
@pytest.mark.parametrize("parser", NULLABLE_PARSERS)
def test_parsers_empty_cell_is_none(parser, value):
    assert parser(value) is None


@pytest.mark.parametrize("value", EMPTY_VALUES)
def test_parse_text_empty_cell_is_empty_string(value):
    assert parse_text(value) == ""
    assert parse_html_text(value) == ""
    assert is_empty(value) is True


@pytest.mark.parametrize("value", ["-", "0", 0, 0.0, False, "kosong"])
def test_is_empty_dash_and_zero_are_values(value):
    assert is_empty(value) is False


@pytest.mark.parametrize("parser", [parse_money, parse_date, parse_int])
def test_parsers_dash_is_not_empty(parser):
    with pytest.raises(CellError):
        parser("-")


@pytest.mark.parametrize(
    "parser", [parse_text, parse_code, parse_int, parse_money, parse_date, parse_datetime, parse_bool]
)
def test_parsers_excel_error_value_is_reported(parser):
    _raises(parser, "#N/A", "Sel berisi galat Excel '#N/A'; perbaiki rumusnya di berkas.")


# --- text -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Pengadaan ATK  ", "Pengadaan ATK"),
        ("baris 1\nbaris  2", "baris 1\nbaris  2"),
        ("\ufeffDinas Pendidikan\xa0", "Dinas Pendidikan"),
        ("a\x00b\x07c", "abc"),
        ("-", "-"),
        (2025, "2025"),
        (2025.0, "2025"),
        (1450200.5, "1450200.5"),
        (Decimal("12.50"), "12.50"),
        (Decimal("60412"), "60412"),
        (dt.date(2024, 8, 29), "2024-08-29"),
        (dt.time(10, 6), "10:06:00"),
    ],
)
def test_parse_text_examples(value, expected):
    assert parse_text(value) == expected


def test_parse_text_longer_than_max_length_is_error():
    assert parse_text(" abc ", max_length=3) == "abc"
    _raises(lambda value: parse_text(value, max_length=3), "abcd", "Teks lebih dari 3 karakter (ada 4 karakter).")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "Nilai benar/salah 'True' tidak dapat dipakai sebagai teks."),
        ([1, 2], "Isi sel '[1, 2]' tidak dapat dibaca sebagai teks."),
        (float("nan"), "Angka 'nan' tidak dapat dibaca."),
    ],
)
def test_parse_text_errors(value, message):
    _raises(parse_text, value, message)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<p>Pengadaan <b>ATK</b></p><p>Kantor &amp; gudang</p>", "Pengadaan ATK\nKantor & gudang"),
        ("Belanja<br>modal<script>alert(1)</script>", "Belanja\nmodal"),
        ("tanpa tag", "tanpa tag"),
    ],
)
def test_parse_html_text_examples(value, expected):
    assert parse_html_text(value) == expected


# --- codes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (48120334, "48120334"),
        (48120334.0, "48120334"),
        ("48120334", "48120334"),
        (" 48120334.0 ", "48120334"),
        (Decimal("60412"), "60412"),
        ("198001012005011001", "198001012005011001"),  # NIP, 18 digits, as text
        (198001012005011001, "198001012005011001"),  # NIP as an exact JSON integer
        ("4.01.0.00.0.00.24.0000", "4.01.0.00.0.00.24.0000"),  # kd_satker_str stays text
        ("48120334;48120335", "48120334;48120335"),  # several kd_rup of one pencatatan
        ("01.234.567.8-901.000", "01.234.567.8-901.000"),  # NPWP as written; normalised elsewhere
        (123456789012345.0, "123456789012345"),  # 15 digits: Excel keeps them all
    ],
)
def test_parse_code_examples(value, expected):
    assert parse_code(value) == expected


AS_NUMBER = "format kolom sebagai teks lalu ketik ulang kodenya."


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            198001012005011001.0,
            f"Kode '1.98001012005011e+17' tersimpan sebagai angka sehingga digitnya bisa hilang; {AS_NUMBER}",
        ),
        (
            1234567890123456.0,  # a 16-digit NPWP below 2**53, already cut to 15 digits by Excel
            f"Kode '1234567890123456.0' tersimpan sebagai angka sehingga digitnya bisa hilang; {AS_NUMBER}",
        ),
        ("1.98001E+17", f"Kode '1.98001E+17' tersimpan sebagai angka sehingga digitnya bisa hilang; {AS_NUMBER}"),
        (123.5, f"Kode '123.5' tersimpan sebagai angka sehingga digitnya bisa hilang; {AS_NUMBER}"),
        (dt.date(2024, 1, 2), f"Kode '2024-01-02' terbaca sebagai tanggal; {AS_NUMBER}"),
        (True, "Kode 'True' tidak valid."),
        (-5, "Kode '-5' tidak valid."),
        (float("inf"), "Kode 'inf' tidak valid."),
        ({"kd": 1}, "Kode '{'kd': 1}' tidak valid."),
    ],
)
def test_parse_code_errors(value, message):
    _raises(parse_code, value, message)


# --- integers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2025, 2025),
        (2025.0, 2025),
        ("2025", 2025),
        (" 2025 ", 2025),
        ("2025.0", 2025),
        ("-3", -3),
        ("007", 7),
        (Decimal("2025"), 2025),
        (Decimal("2025.00"), 2025),
    ],
)
def test_parse_int_examples(value, expected):
    result = parse_int(value)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025.5", "Angka '2025.5' harus bilangan bulat, tanpa titik atau koma."),
        ("1.000", "Angka '1.000' harus bilangan bulat, tanpa titik atau koma."),
        (2025.5, "Angka '2025.5' harus bilangan bulat, tanpa titik atau koma."),
        ("dua", "Angka 'dua' tidak dapat dibaca."),
        (True, "Angka 'True' tidak dapat dibaca."),
        (float("inf"), "Angka 'inf' tidak dapat dibaca."),
        (10**18, "Angka '1000000000000000000' terlalu besar."),
        ("9" * 30, f"Angka '{'9' * 30}' terlalu besar."),
    ],
)
def test_parse_int_errors(value, message):
    _raises(parse_int, value, message)


# --- money ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1450200", "1450200.00"),
        ("1450200.5", "1450200.50"),
        ("1.450.200", "1450200.00"),  # Indonesian thousands dots
        ("1.450", "1450.00"),  # ambiguous: read as Indonesian thousands
        ("1,450", "1450.00"),  # likewise with English thousands commas
        ("1.450.200,50", "1450200.50"),
        ("1450200,00", "1450200.00"),  # decimal comma
        ("1450200,5", "1450200.50"),
        ("1,450,200.00", "1450200.00"),  # English
        ("Rp 1.450.200", "1450200.00"),
        ("Rp1.450.200,-", "1450200.00"),
        ("Rp. 1.450.200,00", "1450200.00"),
        ("IDR 1,450,200", "1450200.00"),
        ("1.450.200 rupiah", "1450200.00"),
        ("1 450 200", "1450200.00"),
        ("1\xa0450\xa0200,50", "1450200.50"),
        ("0,500", "0.50"),  # a leading 0 group is never thousands
        ("0.5", "0.50"),
        ("0,005", "0.01"),  # ROUND_HALF_UP
        ("0,004", "0.00"),
        ("-1.450.200", "-1450200.00"),
        ("(1.000)", "-1000.00"),
        ("Rp -1.000", "-1000.00"),
        ("-Rp 1.000,50", "-1000.50"),
        ("+1.000", "1000.00"),
        ("-0", "0.00"),
        ("9999999999999999.99", "9999999999999999.99"),
        (1450200, "1450200.00"),
        (-1500, "-1500.00"),
        (1450200.1, "1450200.10"),  # through repr, not the binary value 1450200.0999…
        (2.675, "2.68"),  # likewise: the binary value is 2.67499…
        (-1450200.5, "-1450200.50"),
        (Decimal("1450200.005"), "1450200.01"),
        (Decimal("1E+3"), "1000.00"),
    ],
)
def test_parse_money_examples(value, expected):
    result = parse_money(value)
    assert result == Decimal(expected)
    assert str(result) == expected


TOO_BIG = "terlalu besar (paling banyak 16 angka sebelum koma)."


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("satu juta", "Angka 'satu juta' tidak dapat dibaca."),
        ("1,2,3", "Angka '1,2,3' tidak dapat dibaca."),
        ("1.2.3", "Angka '1.2.3' tidak dapat dibaca."),
        ("1.450,200.50", "Angka '1.450,200.50' tidak dapat dibaca."),
        ("1,45,000.00", "Angka '1,45,000.00' tidak dapat dibaca."),
        ("Rp", "Angka 'Rp' tidak dapat dibaca."),
        ("-", "Angka '-' tidak dapat dibaca."),
        ("--1", "Angka '--1' tidak dapat dibaca."),
        ("(-1)", "Angka '(-1)' tidak dapat dibaca."),
        ("1000-", "Angka '1000-' tidak dapat dibaca."),
        ("=A1*2", "Angka '=A1*2' tidak dapat dibaca."),
        (
            "1.23457E+11",
            "Angka '1.23457E+11' ditulis dalam notasi ilmiah sehingga digitnya bisa hilang; "
            "format kolom sebagai angka biasa.",
        ),
        (float("nan"), "Angka 'nan' tidak dapat dibaca."),
        (float("-inf"), "Angka '-inf' tidak dapat dibaca."),
        (Decimal("NaN"), "Angka 'NaN' tidak dapat dibaca."),
        (Decimal("sNaN"), "Angka 'sNaN' tidak dapat dibaca."),
        (True, "Angka 'True' tidak dapat dibaca."),
        (dt.date(2024, 8, 29), "Angka '2024-08-29' tidak dapat dibaca."),
        (10**16, f"Nilai '10000000000000000' {TOO_BIG}"),
        ("10.000.000.000.000.000", f"Nilai '10.000.000.000.000.000' {TOO_BIG}"),
        ("9999999999999999.995", f"Nilai '9999999999999999.995' {TOO_BIG}"),
        (1e300, f"Nilai '1e+300' {TOO_BIG}"),
    ],
)
def test_parse_money_errors(value, message):
    _raises(parse_money, value, message)


def test_parse_money_nonneg_negative_is_error():
    assert parse_money_nonneg("1.450.200") == Decimal("1450200.00")
    assert parse_money_nonneg(0) == Decimal("0.00")
    _raises(parse_money_nonneg, "-1.000", "Nilai '-1.000' tidak boleh negatif.")
    _raises(parse_money_nonneg, "(1.000)", "Nilai '(1.000)' tidak boleh negatif.")


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-08-29T10:00:01.679000Z", dt.date(2024, 8, 29)),
        ("2024-08-29T10:00:01Z", dt.date(2024, 8, 29)),
        ("2024-08-29T20:00:00Z", dt.date(2024, 8, 30)),  # 03:00 on the 30th in Jakarta
        ("2024-08-29T16:59:59Z", dt.date(2024, 8, 29)),
        ("2024-08-29T17:00:00Z", dt.date(2024, 8, 30)),
        ("2024-08-29T23:30:00+07:00", dt.date(2024, 8, 29)),
        ("2024-08-29T23:30:00+0000", dt.date(2024, 8, 30)),
        ("2024-08-30T01:00:00+09:00", dt.date(2024, 8, 29)),  # WIT, two hours ahead
        ("2024-08-29 10:06:52", dt.date(2024, 8, 29)),  # naive: already WIB
        ("2024-08-29 23:59:59", dt.date(2024, 8, 29)),
        ("2024-08-29", dt.date(2024, 8, 29)),
        ("2025-01-01", dt.date(2025, 1, 1)),
        ("29/08/2024", dt.date(2024, 8, 29)),
        ("29-08-2024", dt.date(2024, 8, 29)),
        ("29/8/2024", dt.date(2024, 8, 29)),
        ("01/02/2024", dt.date(2024, 2, 1)),  # always day first
        ("29/08/2024 10:06", dt.date(2024, 8, 29)),
        ("29 Agustus 2024", dt.date(2024, 8, 29)),
        ("1 Des 2024", dt.date(2024, 12, 1)),
        (45533, dt.date(2024, 8, 29)),  # Excel serial
        (45533.75, dt.date(2024, 8, 29)),
        (45533.0, dt.date(2024, 8, 29)),
        (61, dt.date(1900, 3, 1)),
        (dt.date(2024, 8, 29), dt.date(2024, 8, 29)),
        (dt.datetime(2024, 8, 29, 23, 0), dt.date(2024, 8, 29)),  # naive cell value: local
        (dt.datetime(2024, 8, 29, 20, 0, tzinfo=dt.UTC), dt.date(2024, 8, 30)),
        (dt.datetime(2024, 8, 29, 10, 0, tzinfo=ZoneInfo("America/New_York")), dt.date(2024, 8, 29)),
        (dt.datetime(2024, 8, 29, 14, 0, tzinfo=ZoneInfo("America/New_York")), dt.date(2024, 8, 30)),
    ],
)
def test_parse_date_examples(value, expected):
    result = parse_date(value)
    assert result == expected
    assert type(result) is dt.date


UNRECOGNISED = "tidak dikenali; gunakan format YYYY-MM-DD atau DD/MM/YYYY."


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2024", "Tanggal '31/02/2024' tidak valid."),
        ("2024-02-30", "Tanggal '2024-02-30' tidak valid."),
        ("08/29/2024", "Tanggal '08/29/2024' tidak valid."),
        ("2024-08-29 25:00", "Tanggal '2024-08-29 25:00' tidak valid."),
        ("45533", f"Tanggal '45533' {UNRECOGNISED}"),  # a serial as text is not guessed
        ("29/08/24", f"Tanggal '29/08/24' {UNRECOGNISED}"),
        ("kemarin", f"Tanggal 'kemarin' {UNRECOGNISED}"),
        ("29 Agust0s 2024", f"Tanggal '29 Agust0s 2024' {UNRECOGNISED}"),
        ("-", f"Tanggal '-' {UNRECOGNISED}"),
        (0, f"Tanggal '0' {UNRECOGNISED}"),
        (2958466, f"Tanggal '2958466' {UNRECOGNISED}"),
        (float("nan"), f"Tanggal 'nan' {UNRECOGNISED}"),
        (True, f"Tanggal 'True' {UNRECOGNISED}"),
        ("1899-12-31", "Tahun pada tanggal '1899-12-31' harus antara 1900 dan 2100."),
        ("01/01/2101", "Tahun pada tanggal '01/01/2101' harus antara 1900 dan 2100."),
        (1, "Tahun pada tanggal '1' harus antara 1900 dan 2100."),
        (dt.date(1, 1, 1), "Tahun pada tanggal '0001-01-01' harus antara 1900 dan 2100."),
        (
            dt.datetime(9999, 12, 31, 23, tzinfo=dt.UTC),
            "Tahun pada tanggal '9999-12-31 23:00:00+00:00' harus antara 1900 dan 2100.",
        ),
        (dt.time(10, 0), "Sel berisi jam '10:00:00' tanpa tanggal."),
    ],
)
def test_parse_date_errors(value, message):
    _raises(parse_date, value, message)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-08-29T10:00:01.679000Z", dt.datetime(2024, 8, 29, 17, 0, 1, 679000, tzinfo=JAKARTA)),
        ("2024-08-29T10:00:01.679Z", dt.datetime(2024, 8, 29, 17, 0, 1, 679000, tzinfo=JAKARTA)),
        ("2024-08-29T10:00:01.679000123Z", dt.datetime(2024, 8, 29, 17, 0, 1, 679000, tzinfo=JAKARTA)),
        ("2024-08-29T20:00:00Z", dt.datetime(2024, 8, 30, 3, 0, tzinfo=JAKARTA)),
        ("2024-08-29T10:00:00+07:00", dt.datetime(2024, 8, 29, 10, 0, tzinfo=JAKARTA)),
        ("2024-08-29 10:06:52", dt.datetime(2024, 8, 29, 10, 6, 52, tzinfo=JAKARTA)),
        ("2024-08-29", dt.datetime(2024, 8, 29, 0, 0, tzinfo=JAKARTA)),
        ("29/08/2024 10:06", dt.datetime(2024, 8, 29, 10, 6, tzinfo=JAKARTA)),
        (45533.5, dt.datetime(2024, 8, 29, 12, 0, tzinfo=JAKARTA)),
        (45533.25 + 1e-9, dt.datetime(2024, 8, 29, 6, 0, tzinfo=JAKARTA)),  # rounded to Excel's millisecond
        (dt.date(2024, 8, 29), dt.datetime(2024, 8, 29, 0, 0, tzinfo=JAKARTA)),
        (dt.datetime(2024, 8, 29, 10, 6, 52), dt.datetime(2024, 8, 29, 10, 6, 52, tzinfo=JAKARTA)),
        (dt.datetime(2024, 8, 29, 20, 0, tzinfo=dt.UTC), dt.datetime(2024, 8, 30, 3, 0, tzinfo=JAKARTA)),
    ],
)
def test_parse_datetime_examples(value, expected):
    result = parse_datetime(value)
    assert result == expected
    assert (result.replace(tzinfo=None), str(result.tzinfo)) == (expected.replace(tzinfo=None), "Asia/Jakarta")


# --- booleans and choices ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        (1.0, True),
        (Decimal("0"), False),
        ("true", True),
        ("FALSE", False),
        ("Ya", True),
        ("tidak", False),
        ("Aktif", True),
        ("Nonaktif", False),
        ("non  aktif", False),
        ("t", True),
        ("F", False),
        ("1", True),
        ("0", False),
        ("BENAR", True),
        ("SALAH", False),
    ],
)
def test_parse_bool_examples(value, expected):
    assert parse_bool(value) is expected


@pytest.mark.parametrize("value", ["Y", "mungkin", 2, 0.5, float("nan"), Decimal("sNaN"), dt.date(2024, 1, 1)])
def test_parse_bool_unknown_is_error(value):
    with pytest.raises(CellError):
        parse_bool(value)


def test_parse_bool_y_is_refused_since_t_means_true():
    _raises(parse_bool, "Y", "Nilai 'Y' tidak dikenal; gunakan ya/tidak atau true/false.")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Barang", "barang"), ("  pekerjaan   KONSTRUKSI ", "konstruksi"), ("jasa lainnya", "jasa_lainnya")],
)
def test_parse_choice_examples(value, expected):
    assert parse_choice(value, JENIS, label="Jenis pengadaan") == expected


def test_parse_choice_matches_numbers_as_text_and_keys_loosely():
    tipe = {"1": "1", "2": "2", " Tipe  III ": "3"}
    assert parse_choice(1, tipe, label="Tipe swakelola") == "1"
    assert parse_choice(2.0, tipe, label="Tipe swakelola") == "2"
    assert parse_choice("tipe iii", tipe, label="Tipe swakelola") == "3"


def test_parse_choice_unknown_lists_the_choices():
    _raises(
        lambda value: parse_choice(value, JENIS, label="Jenis pengadaan"),
        "Jasa",
        "Jenis pengadaan 'Jasa' tidak dikenal; pilihan: Barang, Pekerjaan Konstruksi, Jasa Lainnya.",
    )


def test_cell_error_shows_at_most_50_characters_of_the_value():
    _raises(parse_money, "x" * 80, f"Angka '{'x' * 49}…' tidak dapat dibaca.")


# --- properties: any input gives a value of the right type or a CellError ----------------------

TIMEZONES = st.timezones()
ANY_VALUE = st.one_of(
    st.none(),
    st.text(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(),
    st.booleans(),
    st.dates(),
    st.datetimes(timezones=st.none() | TIMEZONES),
    st.times(),
    st.timedeltas(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    # near misses of the real shapes, to reach past the first checks
    st.from_regex(r"\A[-(+]?(Rp ?|IDR )?[0-9.,]{0,22}[eE]?[0-9]{0,2}(,-)?\)?\Z"),
    st.from_regex(
        r"\A[0-9]{1,4}[-/][0-9]{1,2}[-/][0-9]{1,4}([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?)?"
        r"(Z|[+-][0-9]{2}(:?[0-9]{2}(:[0-9]{2})?)?)?\Z"
    ),
    st.from_regex(r"\A[0-9]{1,2} [A-Za-z]{3,9} [0-9]{4}\Z"),
    st.sampled_from(["#N/A", "null", " None ", "-", "Rp", "()", "1.98001E+17", "ya", "nonaktif"]),
)


def _is_money(result: object) -> bool:
    return isinstance(result, Decimal) and result.as_tuple().exponent == -2 and abs(result) < 10**16


def _is_local_datetime(result: object) -> bool:
    return isinstance(result, dt.datetime) and str(result.tzinfo) == "Asia/Jakarta" and 1900 <= result.year <= 2100


CHECKS = {
    "parse_text": (parse_text, lambda r: isinstance(r, str) and r == r.strip()),
    "parse_text_max_length": (lambda v: parse_text(v, max_length=10), lambda r: isinstance(r, str) and len(r) <= 10),
    "parse_html_text": (parse_html_text, lambda r: isinstance(r, str) and r == r.strip()),
    "parse_code": (parse_code, lambda r: r is None or (isinstance(r, str) and r != "" and r == r.strip())),
    "parse_int": (parse_int, lambda r: r is None or (type(r) is int and abs(r) < 10**18)),
    "parse_money": (parse_money, lambda r: r is None or _is_money(r)),
    "parse_money_nonneg": (parse_money_nonneg, lambda r: r is None or (_is_money(r) and r >= 0)),
    "parse_date": (parse_date, lambda r: r is None or (type(r) is dt.date and 1900 <= r.year <= 2100)),
    "parse_datetime": (parse_datetime, lambda r: r is None or _is_local_datetime(r)),
    "parse_bool": (parse_bool, lambda r: r is None or type(r) is bool),
    "parse_choice": (
        lambda v: parse_choice(v, JENIS, label="Jenis pengadaan"),
        lambda r: r is None or r in JENIS.values(),
    ),
}


@pytest.mark.parametrize("name", CHECKS)
@PROPERTY
@given(value=ANY_VALUE)
def test_parsers_any_value_gives_right_type_or_cell_error(name, value):
    parser, is_right = CHECKS[name]
    try:
        result = parser(value)
    except CellError as error:
        message = str(error)
        assert message and message == error.message
        if name != "parse_choice":  # which lists its choices
            assert len(message) <= 200
        return
    assert is_right(result), result


# --- properties: round trips ------------------------------------------------------------------

AMOUNTS = st.decimals(min_value=0, max_value=Decimal(10**12) - Decimal("0.01"), places=2)


def _indonesian(amount: Decimal) -> str:
    return f"{amount:,.2f}".translate(str.maketrans({",": ".", ".": ","}))


@PROPERTY
@given(amount=AMOUNTS)
def test_parse_money_round_trips_every_written_form(amount):
    written = [
        _indonesian(amount),  # 1.450.200,50
        "Rp " + _indonesian(amount),
        f"{amount:.2f}",  # 1450200.50, as our CSV export writes it
        f"{amount:,.2f}",  # 1,450,200.50
        f"({_indonesian(amount)})",
        amount,
    ]
    parsed = [parse_money(form) for form in written]
    assert parsed == [amount, amount, amount, amount, -amount, amount]
    assert parse_money(str(parse_money(amount))) == amount


@PROPERTY
@given(whole=st.integers(min_value=0, max_value=10**12 - 1))
def test_parse_money_round_trips_whole_rupiah_with_thousands(whole):
    amount = Decimal(whole).quantize(Decimal("0.01"))
    assert parse_money(f"{whole:,}".replace(",", ".")) == amount  # 1.450.200
    assert parse_money(f"{whole:,}") == amount  # 1,450,200
    assert parse_money("Rp" + f"{whole:,}".replace(",", ".") + ",-") == amount  # Rp1.450.200,-
    assert parse_money(whole) == amount


@PROPERTY
@given(amount=st.decimals(min_value=0, max_value=Decimal(10**9) - Decimal("0.01"), places=2))
def test_parse_money_round_trips_floats_to_the_cent(amount):
    assert parse_money(float(amount)) == amount
    assert parse_money(-float(amount)) == -amount


@PROPERTY
@given(day=st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31)))
def test_parse_date_round_trips_written_forms_and_excel_serials(day):
    serial = (day - EXCEL_EPOCH).days
    written = [
        day.isoformat(),
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day:02d}-{day.month:02d}-{day.year}",
        serial,
        float(serial),
        serial + 0.999,
        day,
    ]
    assert [parse_date(form) for form in written] == [day] * len(written)
    assert parse_datetime(day) == dt.datetime.combine(day, dt.time(0), tzinfo=JAKARTA)


@PROPERTY
@given(
    moment=st.datetimes(
        min_value=dt.datetime(1900, 1, 2), max_value=dt.datetime(2100, 12, 30), timezones=st.none() | TIMEZONES
    )
)
def test_parse_datetime_round_trips_iso_text(moment):
    # Compared in UTC: Python calls times at a zone's transition unequal to any other zone's.
    expected = (moment.replace(tzinfo=JAKARTA) if moment.tzinfo is None else moment).astimezone(dt.UTC)
    assert parse_datetime(moment.isoformat()).astimezone(dt.UTC) == expected
    assert parse_datetime(moment).astimezone(dt.UTC) == expected
    assert parse_date(moment.isoformat()) == expected.astimezone(JAKARTA).date()


@PROPERTY
@given(text=st.text())
def test_parse_text_is_idempotent(text):
    try:
        once = parse_text(text)
    except CellError:  # "#NUM!" and Excel's other error values
        return
    assert parse_text(once) == once


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (45000000.0, "45000000.00"),
        (0.0, "0.00"),
        (-0.0, "0.00"),
        (-5.0, "-5.00"),
        (999999999999999.0, "999999999999999.00"),
        (1e15, "1000000000000000.00"),  # past the shortcut for whole floats: the general path
        (1450200.1, "1450200.10"),
    ],
)
def test_parse_money_floats_are_stored_with_two_decimals(value, text):
    # the same digits and exponent as the text form, so the database and every comparison see one value
    assert parse_money(value).as_tuple() == Decimal(text).as_tuple()
