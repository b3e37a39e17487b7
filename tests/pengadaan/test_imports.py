"""Bulk import of LKPP data (DESIGN §8): each kind, each real-format trap, round trips, hostile files,
background jobs, never a crash and never a half-write."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opd.models import Opd
from pengadaan.exports import export_response
from pengadaan.exports import lkpp as lkpp_export
from pengadaan.imports import pipeline
from pengadaan.imports.files import ImportFileError
from pengadaan.models import ImportJob, PaketRup, Pencatatan, Realisasi, Status, Sumber
from tests.conftest import client_for
from tests.factories import OpdFactory, PaketRupFactory, PencatatanFactory, RealisasiFactory

NT_HEADER = [
    "kd_nontender_pct",
    "tahun_anggaran",
    "kd_satker",
    "kd_satker_str",
    "kd_rup",
    "nama_paket",
    "pagu",
    "mtd_pemilihan",
    "kategori_pengadaan",
    "status_nontender_pct",
    "status_nontender_pct_ket",
    "alasan_pembatalan",
    "tgl_buat_paket",
    "uraian_pekerjaan",
]


def xlsx(header: list, rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(header: list, rows: list[list], sep: str = ";") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def json_bytes(header: list, rows: list[list]) -> bytes:
    return json.dumps([dict(zip(header, row, strict=True)) for row in rows]).encode()


@pytest.fixture
def opd(db):
    # SiRUP code 60412, SPSE code unknown yet: SPSE files must match on kd_satker_str
    return OpdFactory(kd_satker="60412", kd_satker_str="4.01.0.00.0.00.24.0000", kd_satker_spse=None)


def nt_row(opd, **overrides) -> list:
    values = {
        "kd_nontender_pct": "32601001",
        "tahun_anggaran": 2024,
        "kd_satker": "16203093",
        "kd_satker_str": opd.kd_satker_str,
        "kd_rup": "",
        "nama_paket": "Belanja ATK",
        "pagu": 45000000,
        "mtd_pemilihan": "Pengadaan Langsung",
        "kategori_pengadaan": "Pengadaan Barang",
        "status_nontender_pct": "Aktif",
        "status_nontender_pct_ket": "Paket Selesai",
        "alasan_pembatalan": "",
        "tgl_buat_paket": "2024-08-29T10:00:01.679000Z",
        "uraian_pekerjaan": "",
    }
    values.update(overrides)
    return [values[h] for h in NT_HEADER]


# --- each kind ----------------------------------------------------------------------------------


def test_satker_import_creates_then_leaves_unchanged(db):
    header = ["kd_satker", "kd_satker_str", "nama_satker", "jenis_satker", "alamat"]
    rows = [[60412, "4.01.0.00.0.00.24.0000", "Dinas Pendidikan", "Dinas", "Jl. Satria"]]
    first = pipeline.run("satker", xlsx(header, rows), "satker.xlsx")
    second = pipeline.run("satker", xlsx(header, rows), "satker.xlsx")
    assert (first.created, second.created, second.updated, second.unchanged) == (1, 0, 0, 1)
    assert Opd.objects.get().kd_satker == "60412"  # a code typed as a number keeps its digits


def test_rup_penyedia_import(opd):
    header = [
        "kd_rup",
        "tahun_anggaran",
        "kd_satker",
        "nama_paket",
        "pagu",
        "metode_pengadaan",
        "jenis_pengadaan",
        "tgl_awal_pemilihan",
        "status_aktif_rup",
        "status_delete_rup",
    ]
    rows = [
        [
            48120334,
            2024,
            "60412",
            "Belanja ATK",
            "1.450.200",
            "Pengadaan Langsung",
            "Barang",
            "2024-03-17",
            "true",
            "false",
        ]
    ]
    outcome = pipeline.run("rup-penyedia", csv_bytes(header, rows), "rup.csv")
    paket = PaketRup.objects.get()
    assert outcome.created == 1
    assert (paket.kd_rup, paket.pagu, paket.tgl_awal_pemilihan, paket.opd) == (
        48120334,
        Decimal("1450200.00"),
        dt.date(2024, 3, 1),
        opd,
    )


def test_rup_swakelola_import_with_year_given_by_the_person(opd):
    header = ["kd_rup", "kd_satker_str", "nama_paket", "pagu", "tipe_swakelola", "tgl_awal_pelaksanaan_kontrak"]
    rows = [["48120999", opd.kd_satker_str, "Swakelola kebersihan", "1450200,00", 1, "29/08/2024"]]
    outcome = pipeline.run("rup-swakelola", xlsx(header, rows), "rup.xlsx", tahun=2024)
    assert outcome.created == 1
    assert PaketRup.objects.get().tahun_anggaran == 2024


def test_nontender_matches_spse_satker_on_kd_satker_str_and_keeps_both_codes(opd):
    outcome = pipeline.run("nontender", xlsx(NT_HEADER, [nt_row(opd)]), "nt.xlsx")
    opd.refresh_from_db()
    assert outcome.created == 1
    assert (opd.kd_satker, opd.kd_satker_spse) == ("60412", "16203093")
    assert Pencatatan.objects.get().opd == opd


def test_unknown_satker_is_a_row_error(opd):
    outcome = pipeline.run("nontender", xlsx(NT_HEADER, [nt_row(opd, kd_satker_str="9.99", kd_satker="1")]), "x.xlsx")
    assert outcome.errors == [(2, "kd_satker", "OPD dengan kd_satker '1' / kd_satker_str '9.99' tidak ditemukan.")]
    assert Pencatatan.objects.count() == 0


def test_kd_rup_list_links_every_package(opd):
    first = PaketRupFactory(opd=opd, kd_rup=48120335, tahun_anggaran=2024)
    second = PaketRupFactory(opd=opd, kd_rup=48120334, tahun_anggaran=2024)
    pipeline.run("nontender", xlsx(NT_HEADER, [nt_row(opd, kd_rup="48120335;48120334")]), "nt.xlsx")
    record = Pencatatan.objects.get()
    assert set(record.paket_rup.all()) == {first, second}
    assert record.kd_rup == "48120334;48120335"


def test_rup_codes_not_yet_imported_are_kept_and_counted_as_a_warning(opd):
    PaketRupFactory(opd=opd, kd_rup=48120335, tahun_anggaran=2024)
    rows = [
        nt_row(opd, kd_nontender_pct="32601001", kd_rup="48120335"),
        nt_row(opd, kd_nontender_pct="32601002", kd_rup="48120335;48999999"),
        nt_row(opd, kd_nontender_pct="32601003", kd_rup="48999998"),
    ]
    outcome = pipeline.run("nontender", xlsx(NT_HEADER, rows), "nt.xlsx")
    assert (outcome.errors, outcome.rup_unknown, outcome.as_dict()["rup_belum_ada"]) == ([], 2, 2)
    assert outcome.summary() == (
        "nontender: dibuat 3, diperbarui 0, tidak berubah 0, dilewati 0; "
        "2 baris dengan kode RUP yang belum ada di data RUP"
    )
    kept = dict(Pencatatan.objects.values_list("kd_nontender_pct", "kd_rup"))
    assert kept == {32601001: "48120335", 32601002: "48120335;48999999", 32601003: "48999998"}


def test_import_preview_warns_about_rup_codes_not_yet_imported(admin, opd):
    client = client_for(admin)
    job_url = upload(client, "nontender", xlsx(NT_HEADER, [nt_row(opd, kd_rup="48999999")]), "nt.xlsx").url
    content = client.get(job_url).content.decode()
    assert "1 baris dengan kode RUP yang belum ada di data RUP; impor data RUP lebih dulu agar tertaut." in content


@pytest.mark.parametrize(
    ("status", "ket", "alasan", "expected", "expected_alasan"),
    [
        ("Aktif", "Paket Sedang Berjalan", "", Status.BERJALAN, ""),
        ("Aktif", "Paket Selesai", "", Status.SELESAI, ""),
        ("Ditutup", "Paket Dibatalkan", "Double input", Status.BATAL, "Double input"),
        ("Ditutup", "Paket Dibatalkan", "", Status.BATAL, "Dibatalkan di SPSE (alasan tidak diisi)."),
    ],
)
def test_spse_status_fields_map_to_our_status(opd, status, ket, alasan, expected, expected_alasan):
    row = nt_row(opd, status_nontender_pct=status, status_nontender_pct_ket=ket, alasan_pembatalan=alasan)
    pipeline.run("nontender", xlsx(NT_HEADER, [row]), "nt.xlsx")
    record = Pencatatan.objects.get()
    assert (record.status, record.alasan_pembatalan) == (expected, expected_alasan)


def test_unusual_status_pair_is_read_by_its_second_field_and_noted(opd):
    row = nt_row(opd, status_nontender_pct="Ditutup", status_nontender_pct_ket="Paket Selesai")
    outcome = pipeline.run("nontender", xlsx(NT_HEADER, [row]), "nt.xlsx")
    record = Pencatatan.objects.get()
    assert (outcome.errors, outcome.noted, record.status) == ([], 1, Status.SELESAI)
    assert list(record.catatan_data.values_list("aturan", "kolom", "nilai")) == [
        ("status_tidak_baku", "status_nontender_pct_ket", "Ditutup + Paket Selesai")
    ]


def test_unreadable_status_is_reported(opd):
    row = nt_row(opd, status_nontender_pct="Aktif", status_nontender_pct_ket="Paket Diarsipkan")
    outcome = pipeline.run("nontender", xlsx(NT_HEADER, [row]), "nt.xlsx")
    assert [(b, k) for b, k, _a in outcome.errors] == [(2, "status_nontender_pct_ket")]
    assert Pencatatan.objects.count() == 0


@pytest.mark.parametrize(
    ("tgl", "expected"),
    [
        ("2024-08-29T20:00:00.000000Z", dt.date(2024, 8, 30)),  # 03:00 WIB the next day
        ("2024-08-29T10:00:01.679000Z", dt.date(2024, 8, 29)),
        ("2024-08-29T23:30:00+07:00", dt.date(2024, 8, 29)),
        ("2024-08-29 23:06:52", dt.date(2024, 8, 29)),  # no zone: already WIB
        ("2025-01-01", dt.date(2025, 1, 1)),
        ("29/08/2024", dt.date(2024, 8, 29)),
        (dt.datetime(2024, 8, 29, 10, 0), dt.date(2024, 8, 29)),  # an Excel date cell
    ],
)
def test_recording_date_formats(opd, tgl, expected):
    pipeline.run("nontender", xlsx(NT_HEADER, [nt_row(opd, tgl_buat_paket=tgl)]), "nt.xlsx")
    assert Pencatatan.objects.get().tgl_buat_paket == expected


@pytest.mark.parametrize("pagu", [45000000, 45000000.0, "45.000.000", "45000000,00", "45,000,000.00", "Rp 45.000.000"])
def test_money_formats(opd, pagu):
    pipeline.run("nontender", xlsx(NT_HEADER, [nt_row(opd, pagu=pagu)]), "nt.xlsx")
    assert Pencatatan.objects.get().pagu == Decimal("45000000.00")


def test_json_as_isb_publishes_it_with_numbers_empty_strings_and_html(opd):
    row = dict(zip(NT_HEADER, nt_row(opd), strict=True))
    row.update(
        {
            "kd_nontender_pct": 32601001,
            "kd_satker": 16203093,
            "nip_ppk": 198501012010011001,
            "nilai_pdn_pct": "",
            "uraian_pekerjaan": "<p>Pengadaan <b>ATK</b></p><p>&amp; kertas</p>",
        }
    )
    outcome = pipeline.run("nontender", json.dumps([row]).encode(), "nt.json")
    record = Pencatatan.objects.get()
    assert outcome.errors == []
    assert (record.kd_nontender_pct, record.nip_ppk, record.nilai_pdn_pct, record.uraian_pekerjaan) == (
        32601001,
        "198501012010011001",
        None,
        "Pengadaan ATK\n& kertas",
    )


def test_imported_record_keeps_its_recording_date_and_history_names_the_import(opd, admin):
    pipeline.run("nontender", xlsx(NT_HEADER, [nt_row(opd)]), "spse-2024.xlsx", user=admin)
    record = Pencatatan.objects.get()
    history = record.history.get()
    assert record.tgl_buat_paket == dt.date(2024, 8, 29)
    assert (history.history_user, history.history_change_reason) == (admin, "Impor nontender dari spse-2024.xlsx")


def test_second_import_of_the_same_file_changes_nothing(opd):
    data = xlsx(NT_HEADER, [nt_row(opd), nt_row(opd, kd_nontender_pct="32601002", nama_paket="Jasa kebersihan")])
    pipeline.run("nontender", data, "nt.xlsx")
    second = pipeline.run("nontender", data, "nt.xlsx")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert Pencatatan.history.count() == 2


def test_changed_row_updates_and_bumps_the_version(opd):
    pipeline.run("nontender", xlsx(NT_HEADER, [nt_row(opd)]), "nt.xlsx")
    outcome = pipeline.run("nontender", xlsx(NT_HEADER, [nt_row(opd, pagu=50000000)]), "nt.xlsx")
    record = Pencatatan.objects.get()
    assert (outcome.updated, record.pagu, record.versi) == (1, Decimal("50000000.00"), 2)


REAL_HEADER = [
    "kd_nontender_pct",
    "kd_rup_paket",
    "jenis_realisasi",
    "no_realisasi",
    "tgl_realisasi",
    "nilai_realisasi",
    "nama_penyedia",
    "npwp_penyedia",
]


def test_realisasi_repeated_once_per_rup_code_are_deduplicated(opd):
    pipeline.run("nontender", xlsx(NT_HEADER, [nt_row(opd)]), "nt.xlsx")
    rows = [
        ["32601001", "48120334", "Kuitansi", "KW-17", "2024-09-02", "12.500.000", "CV Maju", "01.234.567.8-901.234"],
        ["32601001", "48120335", "Kuitansi", "KW-17", "2024-09-02", "12.500.000", "CV Maju", "01.234.567.8-901.234"],
        ["32601001", "48120334", "Bukti Pembelian", "BP-1", "2024-09-05", "1.000.000", "Toko Berkah", ""],
    ]
    first = pipeline.run("nontender-realisasi", xlsx(REAL_HEADER, rows), "real.xlsx")
    second = pipeline.run("nontender-realisasi", xlsx(REAL_HEADER, rows), "real.xlsx")
    assert (first.created, first.skipped) == (2, 1)
    assert (second.created, second.unchanged) == (0, 2)
    payment = Realisasi.objects.get(no_realisasi="KW-17")
    assert (payment.penyedia.npwp, payment.tgl_dicatat) == ("012345678901234", dt.date(2024, 8, 29))


def test_realisasi_of_unknown_parent_is_reported(opd):
    rows = [["999", "1", "Kuitansi", "KW-1", "2024-09-02", 1000, "", ""]]
    outcome = pipeline.run("nontender-realisasi", xlsx(REAL_HEADER, rows), "real.xlsx")
    assert outcome.errors == [(2, "kd_nontender_pct", "Pencatatan 999 belum ada; impor data pencatatannya lebih dulu.")]


def test_realisasi_above_pagu_is_imported_for_the_red_flag(opd):
    pipeline.run("nontender", xlsx(NT_HEADER, [nt_row(opd, pagu=1000)]), "nt.xlsx")
    rows = [["32601001", "", "Kuitansi", "KW-1", "2024-09-02", 5000, "", ""]]
    outcome = pipeline.run("nontender-realisasi", xlsx(REAL_HEADER, rows), "real.xlsx")
    assert outcome.created == 1


# --- bad rows --------------------------------------------------------------------------------


def test_bad_rows_are_reported_and_nothing_is_written(opd):
    rows = [
        nt_row(opd),
        nt_row(opd, kd_nontender_pct="32601002", pagu="satu juta"),
        nt_row(opd, kd_nontender_pct="32601003", tgl_buat_paket="31/02/2024"),
        nt_row(opd, kd_nontender_pct="KODE-4"),  # SPSE's key is a number: a row without one cannot be stored
        nt_row(opd),  # the same key again
    ]
    outcome = pipeline.run("nontender", xlsx(NT_HEADER, rows), "nt.xlsx")
    assert [(b, k) for b, k, _a in outcome.errors] == [
        (3, "pagu"),
        (4, "tgl_buat_paket"),
        (5, "kd_nontender_pct"),
        (6, "kd_nontender_pct"),
    ]
    assert outcome.errors[3][2] == "kd_nontender_pct '32601001' sudah muncul di baris 2 berkas ini."
    assert (outcome.written, Pencatatan.objects.count(), Opd.objects.get().kd_satker_spse) == (False, 0, None)


def test_a_row_with_a_bad_cell_still_reports_its_unknown_opd(opd):
    """Issue 14: the preview lists every error of a row at once, not the next one after each fix."""
    row = nt_row(opd, pagu="satu juta", kd_satker="1", kd_satker_str="9.99")
    outcome = pipeline.run("nontender", xlsx(NT_HEADER, [row]), "nt.xlsx")
    assert [(b, k) for b, k, _a in outcome.errors] == [(2, "pagu"), (2, "kd_satker")]
    assert outcome.errors[1][2] == "OPD dengan kd_satker '1' / kd_satker_str '9.99' tidak ditemukan."


def test_a_payment_with_a_bad_cell_still_reports_its_missing_record(opd):
    rows = [["999", "1", "Kuitansi", "KW-1", "31/02/2024", 1000, "", ""]]
    outcome = pipeline.run("nontender-realisasi", xlsx(REAL_HEADER, rows), "real.xlsx")
    assert [(b, k) for b, k, _a in outcome.errors] == [(2, "tgl_realisasi"), (2, "kd_nontender_pct")]
    assert outcome.errors[1][2] == "Pencatatan 999 belum ada; impor data pencatatannya lebih dulu."


def test_a_rup_row_with_a_bad_cell_still_reports_its_unknown_opd(opd):
    header = ["kd_rup", "tahun_anggaran", "kd_satker", "nama_paket", "pagu", "metode_pengadaan"]
    row = ["5001", "2024", "77777", "Paket", "banyak", "Pengadaan Langsung"]
    outcome = pipeline.run("rup-penyedia", xlsx(header, [row]), "rup.xlsx")
    assert [(b, k) for b, k, _a in outcome.errors] == [(2, "pagu"), (2, "kd_satker")]


def test_valid_only_writes_the_good_rows(opd):
    rows = [nt_row(opd), nt_row(opd, kd_nontender_pct="32601002", pagu="satu juta")]
    outcome = pipeline.run("nontender", xlsx(NT_HEADER, rows), "nt.xlsx", valid_only=True)
    assert (outcome.created, outcome.skipped, outcome.written) == (1, 1, True)
    assert Pencatatan.objects.get().kd_nontender_pct == 32601001


def test_missing_column_is_refused_before_any_row(opd):
    header = [h for h in NT_HEADER if h != "pagu"]
    with pytest.raises(ImportFileError) as excinfo:
        pipeline.run("nontender", xlsx(header, [[1] * len(header)]), "nt.xlsx")
    assert str(excinfo.value).startswith("Kolom wajib tidak ada: pagu.")


CELLS = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.decimals(allow_nan=False, allow_infinity=False),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.fixed_dictionaries({h: CELLS for h in NT_HEADER}))
def test_any_cell_values_are_imported_or_reported_never_a_crash(opd, cells):
    data = json.dumps([cells], default=str).encode()
    try:
        outcome = pipeline.run("nontender", data, "acak.json", dry_run=True)
    except ImportFileError as exc:  # e.g. Infinity, which is not JSON: the whole file is refused, with a reason
        assert str(exc)
        return
    if outcome.total == 0:  # every cell empty: a blank line, not a row
        assert all(v in (None, "") for v in cells.values())
        return
    assert outcome.errors or outcome.created + outcome.updated == 1
    assert all(baris == 2 and kolom and alasan for baris, kolom, alasan in outcome.errors)


# --- round trips: export in LKPP's columns, import the same file back ------------------------


def snapshot(kind: str, user) -> list[tuple]:
    columns = lkpp_export.columns_for(kind)
    return [tuple(c.value(obj) for c in columns) for obj in lkpp_export.queryset_for(kind, user).all()]


@pytest.fixture
def data_of_every_kind(opd, admin):
    paket = PaketRupFactory(opd=opd, kd_rup=48120334, tahun_anggaran=2024)
    PaketRupFactory(
        opd=opd, kd_rup=48120399, tahun_anggaran=2024, tipe_paket="Swakelola", metode_pengadaan="", tipe_swakelola=2
    )
    record = PencatatanFactory(
        opd=opd,
        tahun_anggaran=2024,
        kd_nontender_pct=32601001,
        paket=[paket],
        status=Status.BATAL,
        alasan_pembatalan="Double input",
        nilai_pdn_pct=Decimal("10.50"),
    )
    # payments SPSE published (an app's own payment read back from SPSE is matched to it: test_padanan.py)
    spse = {"sumber": Sumber.IMPOR, "di_spse": True}
    RealisasiFactory(pencatatan=record, tgl_realisasi=dt.date(2024, 9, 2), **spse)
    swakelola = PencatatanFactory(
        opd=opd,
        tahun_anggaran=2024,
        jenis="swakelola",
        kd_swakelola_pct=42601001,
        mtd_pemilihan="",
        kategori_pengadaan="",
        tipe_swakelola=1,
        paket=[],
    )
    RealisasiFactory(pencatatan=swakelola, penyedia=None, tgl_realisasi=dt.date(2024, 9, 3), **spse)
    return admin


@pytest.mark.parametrize("kind", pipeline.KINDS)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_kind_round_trips(data_of_every_kind, kind, fmt):
    admin = data_of_every_kind
    before = snapshot(kind, admin)
    assert before, kind
    response = export_response(
        filename=kind, columns=lkpp_export.columns_for(kind), rows=lkpp_export.rows_for(kind, admin), fmt=fmt
    )
    outcome = pipeline.run(kind, response.content, f"{kind}.{fmt}", user=admin)
    assert (outcome.errors, outcome.created, outcome.updated, outcome.unchanged) == ([], 0, 0, len(before))
    assert snapshot(kind, admin) == before


def test_realisasi_round_trip_recreates_deleted_payments(data_of_every_kind):
    admin = data_of_every_kind
    before = snapshot("nontender-realisasi", admin)
    response = export_response(
        filename="r",
        columns=lkpp_export.columns_for("nontender-realisasi"),
        rows=lkpp_export.rows_for("nontender-realisasi", admin),
        fmt="xlsx",
    )
    Realisasi.objects.filter(pencatatan__jenis="non_tender").delete()
    outcome = pipeline.run("nontender-realisasi", response.content, "r.xlsx")
    assert outcome.created == len(before)
    assert snapshot("nontender-realisasi", admin) == before


# --- command, screens, background ------------------------------------------------------------


def test_command_imports_and_prints_one_line(opd, tmp_path, capsys):
    path = tmp_path / "nt.xlsx"
    path.write_bytes(xlsx(NT_HEADER, [nt_row(opd)]))
    call_command("import_data", "nontender", str(path))
    assert capsys.readouterr().out.strip() == "nontender: dibuat 1, diperbarui 0, tidak berubah 0, dilewati 0"


def test_command_dry_run_writes_nothing(opd, tmp_path, capsys):
    path = tmp_path / "nt.xlsx"
    path.write_bytes(xlsx(NT_HEADER, [nt_row(opd)]))
    call_command("import_data", "nontender", str(path), "--dry-run")
    assert Pencatatan.objects.count() == 0
    assert "uji coba" in capsys.readouterr().out


def test_command_refuses_a_hostile_file(db, tmp_path):
    path = tmp_path / "nt.xlsx"
    path.write_bytes(b"nama,pagu\nBelanja,1\n")
    with pytest.raises(CommandError) as excinfo:
        call_command("import_data", "nontender", str(path))
    assert "bukan XLSX yang sah" in str(excinfo.value)


def upload(client, kind: str, data: bytes, name: str, **extra):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("impor_list"), {"jenis": kind, "berkas": file, **extra})


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"nama,pagu\nBelanja,1\n", "nt.xlsx", "bukan XLSX yang sah"),
        (b"MZ\x90\x00" + b"\x00" * 100, "nt.csv", "Berkas CSV"),
        (b'{"a": 1}', "nt.json", "array"),
    ],
)
def test_hostile_files_are_refused_on_the_import_page(admin, data, name, message):
    response = upload(client_for(admin), "nontender", data, name)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["berkas"])
    assert ImportJob.objects.count() == 0


def test_import_page_error_report_and_valid_only_button(admin, opd):
    client = client_for(admin)
    rows = [nt_row(opd), nt_row(opd, kd_nontender_pct="32601002", pagu="satu juta")]
    job_url = upload(client, "nontender", xlsx(NT_HEADER, rows), "nt.xlsx").url
    job = ImportJob.objects.get()
    assert (job.status, job.ringkasan["kesalahan"], job.kesalahan) == (
        ImportJob.Status.SIAP,
        1,
        [[3, "pagu", "Angka 'satu juta' tidak dapat dibaca."]],
    )
    report = client.get(reverse("impor_errors", args=[job.pk]))
    assert report["Content-Disposition"] == f'attachment; filename="kesalahan-impor-{job.pk}-nontender-nt.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(report.content)).active
    values = list(sheet.values)
    assert values[0][0] == "baris" and values[0][-1] == "kesalahan"
    assert (values[1][0], values[1][-1]) == (3, "pagu: Angka 'satu juta' tidak dapat dibaca.")
    assert client.post(reverse("impor_confirm", args=[job.pk])).status_code == 302
    assert Pencatatan.objects.count() == 0  # errors and no choice made: nothing written
    client.post(reverse("impor_confirm", args=[job.pk]), {"hanya_valid": "1"})
    job.refresh_from_db()
    assert (job.status, Pencatatan.objects.count()) == (ImportJob.Status.SELESAI, 1)
    assert client.get(job_url).status_code == 200


def test_large_files_run_in_the_worker_with_progress(admin, opd, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = client_for(admin)
    rows = [nt_row(opd, kd_nontender_pct=str(32601000 + i)) for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "nontender", xlsx(NT_HEADER, rows), "nt.xlsx")
    job = ImportJob.objects.get()
    assert (job.status, job.baris_diproses, job.ringkasan["dibuat"]) == (ImportJob.Status.SIAP, 3, 3)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("impor_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.persen, Pencatatan.objects.count()) == (ImportJob.Status.SELESAI, 100, 3)


def test_progress_partial_polls_while_running(admin, opd):
    job = ImportJob.objects.create(
        jenis="nontender",
        nama_berkas="x.xlsx",
        isi_berkas=b"",
        jumlah_baris=10000,
        baris_diproses=2500,
        status=ImportJob.Status.MEMERIKSA,
        dibuat_oleh=admin,
    )
    response = client_for(admin).get(job.get_absolute_url(), headers={"HX-Request": "true"})
    content = response.content.decode()
    assert 'hx-trigger="every 1s"' in content
    assert 'value="25"' in content


@pytest.mark.parametrize(
    ("minutes_silent", "status"),
    [(11, ImportJob.Status.GAGAL), (9, ImportJob.Status.MENULIS)],
)
def test_a_job_whose_worker_stopped_is_marked_failed(admin, opd, minutes_silent, status):
    """A worker killed mid-import reports nothing more; after 10 minutes of silence the job's page says so."""
    job = ImportJob.objects.create(
        jenis="nontender",
        nama_berkas="x.csv",
        isi_berkas=b"",
        jumlah_baris=12000,
        baris_diproses=5000,
        status=ImportJob.Status.MENULIS,
        dibuat_oleh=admin,
    )
    silent_since = timezone.now() - dt.timedelta(minutes=minutes_silent)
    ImportJob.objects.filter(pk=job.pk).update(diperbarui_pada=silent_since)
    response = client_for(admin).get(job.get_absolute_url(), headers={"HX-Request": "true"})
    job.refresh_from_db()
    assert job.status == status
    if status == ImportJob.Status.GAGAL:
        assert "Impor terhenti" in job.pesan and "Unggah berkasnya lagi" in response.content.decode()
        assert 'hx-trigger="every 1s"' not in response.content.decode()  # the page stops polling
    else:
        assert 'hx-trigger="every 1s"' in response.content.decode()


def test_template_download_has_headers_only_on_data_an_example_sheet_and_a_notes_sheet(admin):
    response = client_for(admin).get(reverse("impor_template", args=["nontender"]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Data", "Contoh", "Catatan"]
    data = list(workbook["Data"].values)
    assert (len(data), data[0][0]) == (1, "kd_nontender_pct")  # headers only: nothing to leak into an import
    example = list(workbook["Contoh"].values)
    assert (len(example), example[0] == data[0]) == (2, True)
    notes = list(workbook["Catatan"].values)
    assert notes[0] == ("kolom", "wajib", "keterangan", "contoh")
    assert notes[1][:2] == ("kd_nontender_pct", "ya")


def test_chunks_share_the_duplicate_check_and_the_all_or_nothing_rule(opd, monkeypatch):
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 2)
    rows = [nt_row(opd, kd_nontender_pct=str(32601000 + i)) for i in range(5)] + [
        nt_row(opd, kd_nontender_pct="32601000")
    ]
    outcome = pipeline.run("nontender", xlsx(NT_HEADER, rows), "nt.xlsx")
    assert outcome.errors == [
        (7, "kd_nontender_pct", "kd_nontender_pct '32601000' sudah muncul di baris 2 berkas ini.")
    ]
    assert (outcome.written, Pencatatan.objects.count(), Pencatatan.history.count()) == (False, 0, 0)
    outcome = pipeline.run("nontender", xlsx(NT_HEADER, rows), "nt.xlsx", valid_only=True)
    assert (outcome.created, outcome.skipped, Pencatatan.objects.count(), Pencatatan.history.count()) == (5, 1, 5, 5)


def test_history_rows_written_by_the_database_match_the_records(opd, admin):
    pipeline.run("nontender", xlsx(NT_HEADER, [nt_row(opd)]), "nt.xlsx", user=admin)
    pipeline.run("nontender", xlsx(NT_HEADER, [nt_row(opd, pagu=50000000)]), "nt.xlsx", user=admin)
    record = Pencatatan.objects.get()
    assert [
        (h.history_type, h.pagu, h.versi, h.history_user, h.history_change_reason)
        for h in record.history.order_by("history_id")
    ] == [
        ("+", Decimal("45000000.00"), 1, admin, "Impor nontender dari nt.xlsx"),
        ("~", Decimal("50000000.00"), 2, admin, "Impor nontender dari nt.xlsx"),
    ]
