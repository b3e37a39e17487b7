"""Issue 14 in a real browser: the import preview lists every error of a row at once and warns about RUP
codes not yet imported, so that an admin fixes a file in one pass."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from pengadaan.models import Pencatatan
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_preview_lists_every_error_of_a_row_and_warns_about_unknown_rup_codes(page, admin, opd_a, tmp_path):
    base = {
        "tahun_anggaran": 2025,
        "kd_satker": 16209999,
        "kd_satker_str": opd_a.kd_satker_str,
        "pagu": 45000000,
        "mtd_pemilihan": "Pengadaan Langsung",
        "kategori_pengadaan": "Pengadaan Barang",
        "status_nontender_pct": "Aktif",
        "status_nontender_pct_ket": "Paket Sedang Berjalan",
        "tgl_buat_paket": "2025-09-17T03:23:45.679000Z",
    }
    rows = [
        # row 2: a RUP code SiRUP data has not brought yet: stored, with a warning
        base | {"kd_nontender_pct": 1, "kd_rup": "99999001", "nama_paket": "Cetak spanduk"},
        # row 3: two things wrong, a money value that is not one and an OPD that does not exist
        base | {"kd_nontender_pct": 2, "kd_rup": "", "nama_paket": "ATK", "pagu": "empat puluh juta",
                "kd_satker": 1, "kd_satker_str": "9.99.9"},
    ]  # fmt: skip
    path = tmp_path / "SPSE-PencatatanNonTender.json"
    path.write_text(json.dumps(rows))

    login(page, "admin", TEST_PASSWORD)
    page.goto("/impor/")
    page.get_by_label("Jenis data").select_option("nontender")
    page.get_by_label("Berkas").set_input_files(str(path))
    page.get_by_role("button", name="Unggah dan periksa").click()

    errors = page.get_by_test_id("kesalahan").locator("tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("3")
    expect(errors.nth(0)).to_contain_text("pagu")
    expect(errors.nth(1)).to_contain_text("kd_satker")
    expect(errors.nth(1)).to_contain_text("OPD dengan kd_satker '1' / kd_satker_str '9.99.9' tidak ditemukan.")
    expect(page.get_by_test_id("rup-belum-ada")).to_contain_text("1 baris dengan kode RUP yang belum ada di data RUP")
    assert Pencatatan.objects.count() == 0  # a preview writes nothing
