"""User import (DESIGN §8): upsert by username, every bad row reported, nothing half-written."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from opd.models import Peran, User
from pengadaan.imports import pipeline
from pengadaan.imports.files import ImportFileError
from tests.conftest import client_for

HEADER = ["username", "nama", "email", "nip", "kd_satker", "peran"]


def xlsx_bytes(rows: list[list], header: list = HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], sep: str = ",") -> bytes:
    lines = [sep.join(HEADER)] + [sep.join("" if v is None else str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def good_rows(opd_a, opd_b) -> list[list]:
    return [
        ["budi", "Budi Santoso", "budi@tangerangkota.go.id", "198501012010011001", opd_a.kd_satker, "ppk"],
        ["sari", "Sari Dewi", "sari@tangerangkota.go.id", "", opd_b.kd_satker_str, "Admin OPD"],
        ["inspektur", "Rudi Inspektur", "rudi@tangerangkota.go.id", None, None, "pengawas"],
    ]


def do_import(data: bytes, name: str, **kwargs):
    return pipeline.run("users", data, name, **kwargs)


@pytest.mark.parametrize("fmt", ["xlsx", "csv-comma", "csv-semicolon", "json"])
def test_import_users_creates_users_from_each_format(opd_a, opd_b, fmt):
    rows = good_rows(opd_a, opd_b)
    if fmt == "xlsx":
        data, name = xlsx_bytes(rows), "pengguna.xlsx"
    elif fmt == "json":
        data, name = json.dumps([dict(zip(HEADER, r, strict=True)) for r in rows]).encode(), "pengguna.json"
    else:
        data, name = csv_bytes(rows, "," if fmt == "csv-comma" else ";"), "pengguna.csv"
    outcome = do_import(data, name)
    assert (outcome.created, outcome.updated, outcome.unchanged, outcome.errors) == (3, 0, 0, [])
    got = {u.username: (u.nama, u.nip, u.opd, u.peran) for u in User.objects.all()}
    assert got == {
        "budi": ("Budi Santoso", "198501012010011001", opd_a, Peran.PPK),
        "sari": ("Sari Dewi", "", opd_b, Peran.OPERATOR),
        "inspektur": ("Rudi Inspektur", "", None, Peran.PENGAWAS),
    }
    assert not User.objects.get(username="budi").has_usable_password()


def test_import_same_file_twice_changes_nothing(opd_a, opd_b):
    data = xlsx_bytes(good_rows(opd_a, opd_b))
    do_import(data, "pengguna.xlsx")
    second = do_import(data, "pengguna.xlsx")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)


def test_import_updates_existing_user(opd_a, opd_b, operator_a):
    data = xlsx_bytes([["operator_a", "Nama Baru", "baru@tangerangkota.go.id", "", opd_a.kd_satker, "pptk"]])
    outcome = do_import(data, "pengguna.xlsx")
    operator_a.refresh_from_db()
    assert (outcome.created, outcome.updated) == (0, 1)
    assert (operator_a.nama, operator_a.peran) == ("Nama Baru", Peran.PPTK)


def test_bad_rows_are_reported_with_row_column_reason_and_nothing_written(opd_a, opd_b):
    rows = [
        *good_rows(opd_a, opd_b),  # file rows 2-4 are fine
        ["asing", "Asing", "asing@x.go.id", "", "99999", "ppk"],  # row 5: unknown OPD
        ["peran_aneh", "Aneh", "aneh@x.go.id", "", opd_a.kd_satker, "kepala dinas"],  # row 6: unknown role
        ["budi", "Budi Lagi", "budi2@x.go.id", "", opd_a.kd_satker, "ppk"],  # row 7: duplicate username
        ["surel", "Surel", "bukan-email", "", opd_a.kd_satker, "operator"],  # row 8: invalid e-mail
        ["tanpa_opd", "Tanpa OPD", "t@x.go.id", "", "", "ppk"],  # row 9: PPK without OPD
    ]
    outcome = do_import(xlsx_bytes(rows), "pengguna.xlsx")
    assert outcome.errors == [
        (5, "kd_satker", "OPD dengan kode '99999' tidak ditemukan."),
        (6, "peran", "Peran 'kepala dinas' tidak dikenal; pilih salah satu: operator, pptk, ppk, pengawas, admin."),
        (7, "username", "Nama pengguna 'budi' sudah muncul di baris 2 berkas ini."),
        (8, "email", "Masukkan alamat email yang valid."),
        (
            9,
            "(baris)",
            "Admin OPD, PPTK dan PPK wajib memiliki OPD; pengawas dan administrator tidak memiliki OPD.",
        ),
    ]
    assert outcome.written is False
    assert User.objects.count() == 0


def test_valid_only_writes_the_good_rows(opd_a, opd_b):
    rows = [*good_rows(opd_a, opd_b), ["asing", "Asing", "a@x.go.id", "", "99999", "ppk"]]
    outcome = do_import(xlsx_bytes(rows), "pengguna.xlsx", valid_only=True)
    assert (outcome.created, outcome.skipped, len(outcome.errors), outcome.written) == (3, 1, 1, True)
    assert set(User.objects.values_list("username", flat=True)) == {"budi", "sari", "inspektur"}


def test_dry_run_writes_nothing(opd_a, opd_b):
    outcome = do_import(xlsx_bytes(good_rows(opd_a, opd_b)), "pengguna.xlsx", dry_run=True)
    assert outcome.created == 3
    assert User.objects.count() == 0


def test_nip_typed_as_spreadsheet_number_is_refused(opd_a):
    data = xlsx_bytes([["budi", "Budi", "b@x.go.id", 1.98501012010011e17, opd_a.kd_satker, "ppk"]])
    outcome = do_import(data, "pengguna.xlsx")
    assert [(baris, kolom) for baris, kolom, _alasan in outcome.errors] == [(2, "nip")]
    assert "format kolom sebagai teks" in outcome.errors[0][2]


def test_codes_typed_as_numbers_are_accepted(opd_a):
    data = xlsx_bytes([["budi", "Budi", "b@x.go.id", "", int(opd_a.kd_satker), "PPK"]])
    outcome = do_import(data, "pengguna.xlsx")
    assert outcome.errors == []
    assert User.objects.get(username="budi").opd == opd_a


def test_missing_columns_are_refused(db):
    data = xlsx_bytes([["budi", "Budi"]], header=["username", "nama"])
    with pytest.raises(ImportFileError) as excinfo:
        do_import(data, "pengguna.xlsx")
    assert "Kolom wajib tidak ada: peran." in str(excinfo.value)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"bukan zip sama sekali", "pengguna.xlsx", "Berkas bukan XLSX yang sah"),
        (b"a,b\n", "pengguna.txt", "Format berkas .txt tidak didukung"),
        (b"", "pengguna.csv", "Berkas kosong."),
        (b'{"a": 1}', "pengguna.json", "Berkas JSON harus berupa array objek"),
        ("username\nbudi\n".encode("utf-16"), "pengguna.csv", "Berkas CSV harus berenkode UTF-8."),
    ],
)
def test_unreadable_files_are_refused_before_parsing(db, data, name, message):
    with pytest.raises(ImportFileError) as excinfo:
        do_import(data, name)
    assert message in str(excinfo.value)


def test_command_prints_summary(opd_a, opd_b, tmp_path, capsys):
    path = tmp_path / "pengguna.xlsx"
    path.write_bytes(xlsx_bytes(good_rows(opd_a, opd_b)))
    call_command("import_data", "users", str(path))
    assert capsys.readouterr().out.strip() == "users: dibuat 3, diperbarui 0, tidak berubah 0, dilewati 0"


def test_command_fails_with_row_errors_and_writes_nothing(opd_a, opd_b, tmp_path, capsys):
    path = tmp_path / "pengguna.csv"
    path.write_bytes(csv_bytes([*good_rows(opd_a, opd_b), ["asing", "Asing", "a@x.go.id", "", "99999", "ppk"]]))
    with pytest.raises(CommandError) as excinfo:
        call_command("import_data", "users", str(path))
    assert str(excinfo.value) == "Impor dibatalkan: 1 kesalahan; tidak ada data yang ditulis."
    assert capsys.readouterr().err.strip() == "Baris 5, kolom kd_satker: OPD dengan kode '99999' tidak ditemukan."
    assert User.objects.count() == 0


def test_import_page_previews_then_writes(admin, opd_a, opd_b):
    client = client_for(admin)
    upload = io.BytesIO(xlsx_bytes(good_rows(opd_a, opd_b)))
    upload.name = "pengguna.xlsx"
    response = client.post(reverse("impor_list"), {"jenis": "users", "berkas": upload})
    job_url = response.url
    assert User.objects.count() == 1  # only the admin: checking wrote nothing
    page = client.get(job_url)
    assert page.context["job"].ringkasan["dibuat"] == 3
    client.post(page.context["job"].get_absolute_url() + "tulis/")
    assert set(User.objects.values_list("username", flat=True)) == {"admin", "budi", "sari", "inspektur"}


def test_import_page_shows_bad_rows_and_writes_nothing(admin, opd_a):
    client = client_for(admin)
    upload = io.BytesIO(xlsx_bytes([["asing", "Asing", "a@x.go.id", "", "99999", "ppk"]]))
    upload.name = "pengguna.xlsx"
    response = client.post(reverse("impor_list"), {"jenis": "users", "berkas": upload}, follow=True)
    content = response.content.decode()
    assert (
        "<td>2</td><td><code>kd_satker</code></td><td>OPD dengan kode &#x27;99999&#x27; tidak ditemukan.</td>"
        in content
    )
    assert "Tulis ke basis data" not in content
    assert User.objects.count() == 1
