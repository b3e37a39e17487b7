"""Journey of issue 11 in a real browser: SPSE's odd values are imported as published, and a person sees
them as data-quality notes in the import preview, on the OPD dashboard, in the record list and on the record."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from pengadaan.models import CatatanData, ImportJob, Pencatatan
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD, PaketRupFactory

pytestmark = pytest.mark.browser


def test_admin_imports_spse_records_with_odd_values_and_the_opd_sees_the_notes(
    page, admin, operator_a, opd_a, tmp_path
):
    paket = PaketRupFactory(opd=opd_a, tahun_anggaran=2025, metode_pengadaan="Pengadaan Langsung")
    base = {
        "tahun_anggaran": 2025,
        "kd_satker": 16209999,  # SPSE's own code: matched through kd_satker_str
        "kd_satker_str": opd_a.kd_satker_str,
        "pagu": 45000000,
        "mtd_pemilihan": "Pengadaan Langsung",
        "kategori_pengadaan": "Pengadaan Barang",
        "status_nontender_pct": "Aktif",
        "status_nontender_pct_ket": "Paket Selesai",
        "nip_ppk": 198001012005011001,
        "tgl_buat_paket": "2025-09-17T03:23:45.679000Z",
        "tgl_mulai_paket": "2025-09-17 10:23:45",
    }
    rows = [
        base | {"kd_nontender_pct": 1, "kd_rup": str(paket.kd_rup), "nama_paket": "ATK dicatat terlambat",
                "tgl_selesai_paket": "2025-06-30 00:00:00"},
        base | {"kd_nontender_pct": 2, "kd_rup": "", "nama_paket": "ATK hari yang sama",
                "tgl_selesai_paket": "2025-09-17 00:00:00"},
        base | {"kd_nontender_pct": 3, "kd_rup": "", "nama_paket": "Cetak spanduk", "tgl_selesai_paket": "2025-10-01"},
    ]  # fmt: skip
    path = tmp_path / "SPSE-PencatatanNonTender.json"
    path.write_text(json.dumps(rows))

    login(page, "admin", TEST_PASSWORD)
    page.goto("/impor/")
    page.get_by_label("Jenis data").select_option("nontender")
    page.get_by_label("Berkas").set_input_files(str(path))
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page.get_by_test_id("dengan-catatan")).to_contain_text(
        "3 baris; 1 dengan catatan data, disimpan sebagaimana diterbitkan SPSE"
    )
    expect(page.get_by_test_id("kesalahan")).to_have_count(0)  # no row refused
    page.get_by_role("button", name="Tulis ke basis data").click()
    expect(page.get_by_test_id("impor-status")).to_contain_text("Impor selesai")
    assert Pencatatan.objects.count() == 3
    assert list(CatatanData.objects.values_list("kolom", flat=True)) == ["tgl_selesai_paket"]

    page.context.clear_cookies()
    login(page, "operator_a", TEST_PASSWORD)
    page.goto(f"/opd/{opd_a.pk}/dashboard/?tahun=2025")
    expect(page.get_by_test_id("jumlah-catatan")).to_have_text("1")
    expect(page.get_by_role("region", name="Catatan data")).to_contain_text("Tanggal selesai sebelum tanggal mulai")
    page.get_by_role("link", name="Lihat pencatatannya").click()
    expect(page.get_by_label("Catatan data")).to_have_value("ada")
    expect(page.locator("table tbody tr")).to_have_count(1)
    page.get_by_role("link", name="ATK dicatat terlambat").click()
    notes = page.get_by_test_id("catatan-data")
    expect(notes).to_contain_text("Tanggal selesai sebelum tanggal mulai")
    expect(notes).to_contain_text("2025-06-30 < 2025-09-17")
    job = ImportJob.objects.get()
    expect(notes).to_contain_text(f"Impor #{job.pk}: SPSE-PencatatanNonTender.json")  # the import job, by its number
    for width in (1366, 390):  # the notes read at both widths, nothing cut off
        page.set_viewport_size({"width": width, "height": 900})
        box = notes.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
