"""What SPSE publishes is kept as published (DESIGN §4): values that break an entry rule are stored with a
data-quality note (catatan data) instead of refusing the row; people's entries keep the rules."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pengadaan import services
from pengadaan.forms import RealisasiForm
from pengadaan.imports import pipeline
from pengadaan.models import CatatanData, Pencatatan, Realisasi, Status
from tests.conftest import client_for
from tests.factories import OpdFactory

STR = "4.01.0.00.0.00.24.0000"


@pytest.fixture
def opd(db):
    return OpdFactory(kd_satker="60412", kd_satker_str=STR, kd_satker_spse=None)


def nt(kd: int, **overrides) -> dict:
    """A non-tender record as ISB publishes it: SPSE's own satker code, NIP as a number, UTC and naive times."""
    return {
        "tahun_anggaran": 2025,
        "kd_klpd": "D123",
        "kd_satker": 16203093,
        "kd_satker_str": STR,
        "kd_nontender_pct": kd,
        "kd_rup": "",
        "nama_paket": f"Belanja ATK {kd}",
        "pagu": 45000000,
        "total_realisasi": 0,
        "mtd_pemilihan": "Pengadaan Langsung",
        "kategori_pengadaan": "Pengadaan Barang",
        "bukti_pembayaran": "NonSPK",
        "status_nontender_pct": "Aktif",
        "status_nontender_pct_ket": "Paket Selesai",
        "alasan_pembatalan": None,
        "nip_ppk": 198001012005011001,
        "nama_ppk": "Budi Contoh",
        "tgl_buat_paket": "2025-09-17T03:23:45.679000Z",
        "tgl_mulai_paket": "2025-09-17 10:23:45",
        "tgl_selesai_paket": "2025-10-17 00:00:00",
    } | overrides


def sw(kd: int, **overrides) -> dict:
    return {
        "tahun_anggaran": 2025,
        "kd_satker": 16203093,
        "kd_satker_str": STR,
        "kd_swakelola_pct": kd,
        "kd_rup": "",
        "nama_paket": f"Swakelola {kd}",
        "pagu": 20000000,
        "tipe_swakelola": None,
        "tipe_swakelola_nama": None,
        "status_swakelola_pct": "Aktif",
        "status_swakelola_pct_ket": "Paket Sedang Berjalan",
        "tgl_buat_paket": "2025-03-01 08:00:00",
        "tgl_mulai_paket": "2025-03-01 08:00:00",
        "tgl_selesai_paket": "2025-12-31 00:00:00",
    } | overrides


def pay(kd: int, **overrides) -> dict:
    return {
        "kd_nontender_pct": kd,
        "kd_rup": 48120334,
        "jenis_realisasi": "Kuitansi",
        "no_realisasi": "KW-1",
        "tgl_realisasi": "2025-09-20",
        "nilai_realisasi": 1500000,
        "nama_penyedia": "CV Contoh Jaya",
        "npwp_penyedia": "01.234.567.8-901.234",
    } | overrides


def run(kind: str, rows: list[dict], name: str = "lkpp.json") -> pipeline.Outcome:
    return pipeline.run(kind, json.dumps(rows).encode(), name)


def notes_of(record: Pencatatan) -> list[tuple[str, str, str]]:
    return sorted(record.catatan_data.values_list("aturan", "kolom", "nilai"))


# --- records ------------------------------------------------------------------------------------


def test_end_before_start_is_stored_with_a_note_and_same_day_midnight_is_not_odd(opd):
    rows = [
        nt(1, tgl_selesai_paket="2025-06-30 00:00:00"),  # months before the record was made
        nt(2, tgl_selesai_paket="2025-09-17 00:00:00"),  # the same day, at midnight: as dates, not before
        nt(3),
    ]
    outcome = run("nontender", rows)
    assert (outcome.errors, outcome.created, outcome.noted) == ([], 3, 1)
    first, same_day = Pencatatan.objects.get(kd_nontender_pct=1), Pencatatan.objects.get(kd_nontender_pct=2)
    assert (first.tgl_mulai_paket, first.tgl_selesai_paket) == (dt.date(2025, 9, 17), dt.date(2025, 6, 30))
    assert notes_of(first) == [("selesai_sebelum_mulai", "tgl_selesai_paket", "2025-06-30 < 2025-09-17")]
    assert notes_of(same_day) == []
    assert first.catatan_data.get().impor == "Impor nontender dari lkpp.json"


def test_empty_tipe_swakelola_is_stored_empty_with_a_note(opd):
    rows = [
        sw(1),
        sw(2, tipe_swakelola=3),
        sw(3, tipe_swakelola="", tipe_swakelola_nama="Tipe II"),
        sw(4, tipe_swakelola=7),
    ]
    outcome = run("swakelola", rows)
    assert (outcome.errors, outcome.created, outcome.noted) == ([], 4, 2)
    tipe = dict(Pencatatan.objects.values_list("kd_swakelola_pct", "tipe_swakelola"))
    assert tipe == {1: None, 2: 3, 3: 2, 4: None}
    assert notes_of(Pencatatan.objects.get(kd_swakelola_pct=1)) == [("wajib_kosong", "tipe_swakelola", "")]
    assert notes_of(Pencatatan.objects.get(kd_swakelola_pct=4)) == [("tidak_dikenal", "tipe_swakelola", "7")]


def test_unknown_method_and_cancellation_without_reason_are_kept_with_notes(opd):
    rows = [
        nt(1, mtd_pemilihan="E-Purchasing", kategori_pengadaan=""),
        nt(2, status_nontender_pct="Ditutup", status_nontender_pct_ket="Paket Dibatalkan", alasan_pembatalan=""),
    ]
    outcome = run("nontender", rows)
    assert (outcome.errors, outcome.created, outcome.noted) == ([], 2, 2)
    odd = Pencatatan.objects.get(kd_nontender_pct=1)
    assert (odd.mtd_pemilihan, odd.kategori_pengadaan) == ("", "")
    assert notes_of(odd) == [
        ("tidak_dikenal", "mtd_pemilihan", "E-Purchasing"),
        ("wajib_kosong", "kategori_pengadaan", ""),
    ]
    batal = Pencatatan.objects.get(kd_nontender_pct=2)
    assert (batal.status, batal.alasan_pembatalan) == (Status.BATAL, "Dibatalkan di SPSE (alasan tidak diisi).")
    assert notes_of(batal) == [("wajib_kosong", "alasan_pembatalan", "")]


def test_a_row_that_cannot_be_stored_is_still_refused_with_row_column_and_reason(opd):
    rows = [nt(1), nt(2, kd_satker_str="9.99.9.99", kd_satker=99999999), nt("SPSE-3")]
    outcome = run("nontender", rows)
    assert [(b, k) for b, k, _a in outcome.errors] == [(3, "kd_satker"), (4, "kd_nontender_pct")]
    assert outcome.errors[0][2] == "OPD dengan kd_satker '99999999' / kd_satker_str '9.99.9.99' tidak ditemukan."
    assert (outcome.written, Pencatatan.objects.count()) == (False, 0)


# --- payments -------------------------------------------------------------------------------------


def test_payments_without_number_long_numbers_odd_npwp_and_future_dates_are_kept(opd, settings):
    run("nontender", [nt(1, pagu=100000000)])
    long_number = "SP2D/" + "x" * 246  # 251 characters, the longest in real data
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    rows = [
        pay(1, no_realisasi=""),
        pay(1, no_realisasi="", kd_rup=48120335),  # the same payment again, once per RUP code: dropped
        pay(1, no_realisasi=None, tgl_realisasi="2025-09-21"),  # null is empty too, another payment
        pay(1, no_realisasi=long_number),
        pay(1, no_realisasi="KW-9", npwp_penyedia="12.345.678.9-012"),  # 12 digits
        pay(1, no_realisasi="KW-10", tgl_realisasi=tomorrow),
        pay(1, no_realisasi="KW-11", jenis_realisasi="Nota Dinas"),
    ]
    outcome = run("nontender-realisasi", rows)
    assert (outcome.errors, outcome.created, outcome.skipped, outcome.noted) == ([], 6, 1, 5)
    record = Pencatatan.objects.get()
    numbers = sorted(record.realisasi.values_list("no_realisasi", flat=True))
    assert numbers == ["", "", "KW-10", "KW-11", "KW-9", long_number]
    assert notes_of(record) == sorted(
        [
            ("wajib_kosong", "no_realisasi", ""),
            ("wajib_kosong", "no_realisasi", ""),
            ("npwp_tidak_baku", "npwp_penyedia", "12.345.678.9-012"),
            ("tanggal_masa_depan", "tgl_realisasi", tomorrow),
            ("tidak_dikenal", "jenis_realisasi", "Nota Dinas"),
        ]
    )
    odd = Realisasi.objects.get(no_realisasi="KW-9")
    assert (odd.penyedia.npwp, odd.catatan_data.get().kolom) == ("123456789012", "npwp_penyedia")
    assert Realisasi.objects.get(no_realisasi="KW-11").jenis_realisasi == "lainnya"


def test_a_second_import_changes_nothing_and_a_corrected_value_drops_its_note(opd):
    rows = [nt(1, tgl_selesai_paket="2025-06-30"), nt(2, tgl_selesai_paket="2025-05-01")]
    run("nontender", rows, "pertama.json")
    before = list(CatatanData.objects.order_by("pk").values_list("pk", "kolom", "impor"))
    again = run("nontender", rows, "kedua.json")
    assert (again.created, again.updated, again.unchanged, again.noted) == (0, 0, 2, 2)
    assert list(CatatanData.objects.order_by("pk").values_list("pk", "kolom", "impor")) == before
    run("nontender", [nt(1, tgl_selesai_paket="2025-06-30"), nt(2)], "ketiga.json")  # fixed in SPSE
    assert list(CatatanData.objects.values_list("pencatatan__kd_nontender_pct", flat=True)) == [1]


def test_notes_are_written_set_based(opd):
    """The number of queries of an import does not grow with the rows that carry notes."""

    def queries(n: int, start: int) -> int:
        rows = [nt(start + i, tgl_selesai_paket="2025-01-01", mtd_pemilihan="Lelang") for i in range(n)]
        with CaptureQueriesContext(connection) as captured:
            outcome = run("nontender", rows)
        assert outcome.noted == n
        return len(captured)

    queries(1, 50)  # the first import also learns the OPD's SPSE code
    assert queries(1, 100) == queries(5, 200)
    assert CatatanData.objects.count() == 14


def test_import_data_summary_says_how_many_rows_carry_notes(opd, tmp_path):
    path = tmp_path / "nt.json"
    path.write_text(json.dumps([nt(1, tgl_selesai_paket="2025-06-30"), nt(2), nt(3)]))
    out = io.StringIO()
    call_command("import_data", "nontender", str(path), stdout=out)
    assert out.getvalue().strip() == (
        "nontender: dibuat 3, diperbarui 0, tidak berubah 0, dilewati 0; "
        "3 baris; 1 dengan catatan data, disimpan sebagaimana diterbitkan SPSE"
    )


# --- what a person sees -----------------------------------------------------------------------------


def test_record_page_opd_dashboard_and_list_show_the_notes(opd, pengawas):
    run("nontender", [nt(1, tgl_selesai_paket="2025-06-30"), nt(2)])
    run("nontender-realisasi", [pay(1, no_realisasi="")])
    noted = Pencatatan.objects.get(kd_nontender_pct=1)
    client = client_for(pengawas)

    page = client.get(noted.get_absolute_url()).content.decode()
    assert "Tanggal selesai sebelum tanggal mulai" in page
    assert "2025-06-30 &lt; 2025-09-17" in page
    assert "Kosong, padahal wajib diisi bila dicatat di aplikasi" in page
    assert "Impor nontender-realisasi dari lkpp.json" in page

    dashboard = client.get(reverse("opd_dashboard", args=[opd.pk]), {"tahun": 2025})
    assert dashboard.context["catatan"].jumlah_pencatatan == 1
    assert [(j["kolom"], j["jumlah"]) for j in dashboard.context["catatan"].per_jenis] == [
        ("no_realisasi", 1),
        ("tgl_selesai_paket", 1),
    ]
    assert 'data-testid="jumlah-catatan">1<' in dashboard.content.decode()

    listed = client.get(reverse("pencatatan_list"), {"tahun_anggaran": 2025, "catatan_data": "ada"})
    assert [r.record.pk for r in listed.context["table"].page.object_list] == [noted.pk]
    clean = client.get(reverse("pencatatan_list"), {"tahun_anggaran": 2025, "catatan_data": "tidak"})
    assert [r.record.kd_nontender_pct for r in clean.context["table"].page.object_list] == [2]


# --- what a person enters keeps the rules -------------------------------------------------------------


def test_a_person_editing_an_imported_record_is_not_told_to_correct_spse(opd, ppk_a):
    ppk_a.opd = opd
    ppk_a.save()
    run("nontender", [nt(1, tgl_selesai_paket="2025-06-30", status_nontender_pct_ket="Paket Sedang Berjalan")])
    record = Pencatatan.objects.get()
    data = {"nama_paket": "Belanja ATK kantor", "mtd_pemilihan": "Pengadaan Langsung", "kategori_pengadaan": "Barang"}
    saved = services.pencatatan_update(user=ppk_a, pencatatan=record, versi=record.versi, data=data, paket=[])
    assert (saved.nama_paket, saved.tgl_selesai_paket) == ("Belanja ATK kantor", dt.date(2025, 6, 30))
    with pytest.raises(ValidationError) as excinfo:
        services.pencatatan_update(
            user=ppk_a,
            pencatatan=saved,
            versi=saved.versi,
            data=data | {"tgl_selesai_paket": dt.date(2025, 6, 29)},
            paket=[],
        )
    assert excinfo.value.message_dict == {"tgl_selesai_paket": ["Tanggal selesai tidak boleh sebelum tanggal mulai."]}


def test_a_person_still_gives_a_payment_number(opd):
    run("nontender", [nt(1)])
    form = RealisasiForm(
        {"jenis_realisasi": "kuitansi", "no_realisasi": "", "tgl_realisasi": "2025-09-20", "nilai_realisasi": "1000"},
        pencatatan=Pencatatan.objects.get(),
    )
    assert (form.is_valid(), form.errors["no_realisasi"]) == (False, ["Bidang ini tidak boleh kosong."])


def test_an_imported_payment_above_the_pagu_can_still_be_edited(opd, operator_a):
    operator_a.opd = opd
    operator_a.save()
    run("nontender", [nt(1, pagu=1000000, status_nontender_pct_ket="Paket Sedang Berjalan")])
    run("nontender-realisasi", [pay(1, nilai_realisasi=1500000)])  # SPSE carries it (red flag 3)
    payment = Realisasi.objects.get()
    data = {
        "jenis_realisasi": payment.jenis_realisasi,
        "no_realisasi": payment.no_realisasi,
        "tgl_realisasi": payment.tgl_realisasi,
        "nilai_realisasi": payment.nilai_realisasi,
        "dok_realisasi": "",
        "ket_realisasi": "dibayar lunas",
    }
    services.realisasi_update(user=operator_a, realisasi=payment, data=data, nama_penyedia="CV Contoh Jaya")
    assert Realisasi.objects.get().ket_realisasi == "dibayar lunas"
    with pytest.raises(ValidationError) as excinfo:
        services.realisasi_update(
            user=operator_a, realisasi=payment, data=data | {"nilai_realisasi": Decimal("1600000")}
        )
    assert list(excinfo.value.message_dict) == ["nilai_realisasi"]


def test_an_imported_payment_keeps_its_odd_npwp_when_a_person_edits_something_else(opd, operator_a):
    operator_a.opd = opd
    operator_a.save()
    run("nontender", [nt(1, status_nontender_pct_ket="Paket Sedang Berjalan")])
    run("nontender-realisasi", [pay(1, npwp_penyedia="12.345.678.9-012")])  # 12 digits, as SPSE has it
    payment = Realisasi.objects.select_related("penyedia").get()
    form = RealisasiForm(pencatatan=payment.pencatatan, instance=payment)
    data = {name: form.initial.get(name) for name in ("jenis_realisasi", "no_realisasi", "tgl_realisasi")}
    data |= {"nilai_realisasi": payment.nilai_realisasi, "dok_realisasi": "", "ket_realisasi": "termin 1"}
    services.realisasi_update(
        user=operator_a,
        realisasi=payment,
        data=data,
        nama_penyedia=form.initial["nama_penyedia"],
        npwp_penyedia=form.initial["npwp_penyedia"],
    )
    payment.refresh_from_db()
    assert (payment.ket_realisasi, payment.penyedia.npwp) == ("termin 1", "123456789012")
    with pytest.raises(ValidationError) as excinfo:  # a new NPWP a person types must be a valid one
        services.realisasi_update(
            user=operator_a, realisasi=payment, data=data, nama_penyedia="CV Baru", npwp_penyedia="12.345"
        )
    assert list(excinfo.value.message_dict) == ["npwp_penyedia"]
