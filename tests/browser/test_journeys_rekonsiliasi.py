"""Journeys of the reconciliation with SPSE (DESIGN §12): an operator confirms a pair an import could not
be sure of; a pengawas opens the city's reconciliation and downloads a list."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from pengadaan.models import PadananSpse, Pencatatan, Sumber
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD, PencatatanFactory, RealisasiFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_confirms_that_the_app_record_and_spse_record_are_one(page, operator_a, opd_a):
    lokal = PencatatanFactory(opd=opd_a, nama_paket="Pemeliharaan Genset (aplikasi)", pagu=Decimal("60000000"))
    RealisasiFactory(pencatatan=lokal, no_realisasi="", tgl_realisasi=dt.date(2026, 5, 2))
    spse = PencatatanFactory(
        opd=opd_a,
        nama_paket="Pemeliharaan Genset",
        pagu=Decimal("48000000"),
        kd_nontender_pct=7700123,
        sumber=Sumber.IMPOR,
        paket=list(lokal.paket_rup.all()),
    )
    PadananSpse.objects.create(lokal=lokal, spse=spse, kode_spse=7700123, alasan=PadananSpse.Alasan.PAGU_BERBEDA)

    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "operator_a", TEST_PASSWORD)
    page.get_by_role("button", name="Buka menu").click()
    page.get_by_role("link", name="Rekonsiliasi SPSE").click()
    page.get_by_label("Tahun anggaran").select_option("2026")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.get_by_test_id("jumlah-padanan")).to_have_text("1")
    card = page.get_by_test_id(f"padanan-{PadananSpse.objects.get().pk}")
    expect(card).to_contain_text("Pagu berbeda jauh")
    expect(card).to_contain_text("Pemeliharaan Genset (aplikasi)")
    assert page.evaluate("document.documentElement.scrollWidth") == 390  # nothing runs off a phone's screen

    card.get_by_role("button", name="Sama, gabungkan").click()
    expect(page.get_by_role("alert").filter(has_text="kini satu dengan pencatatan SPSE 7700123")).to_be_visible()
    expect(page.get_by_test_id("jumlah-padanan")).to_have_text("0")
    expect(page.get_by_test_id("daftar-belum_spse")).not_to_contain_text("Pemeliharaan Genset")
    record = Pencatatan.objects.get(pk=lokal.pk)
    assert (record.kd_nontender_pct, record.pagu, Pencatatan.objects.filter(pk=spse.pk).exists()) == (
        7700123,
        Decimal("48000000.00"),
        False,
    )


def test_pengawas_opens_the_city_reconciliation_and_downloads_it(page, pengawas, opd_a, opd_b):
    PencatatanFactory(opd=opd_a, nama_paket="Belanja Tinta", tgl_buat_paket=dt.date(2026, 2, 3))
    PencatatanFactory(opd=opd_b, nama_paket="Belanja Obat", tgl_buat_paket=dt.date(2026, 1, 20))
    PencatatanFactory(opd=opd_b, nama_paket="Hanya SPSE", kd_nontender_pct=5501, sumber=Sumber.IMPOR)

    login(page, "pengawas", TEST_PASSWORD)
    page.get_by_role("link", name="Rekonsiliasi SPSE").click()
    page.get_by_label("Tahun anggaran").select_option("2026")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.get_by_test_id("jumlah-belum_spse")).to_have_text("2")
    expect(page.get_by_test_id("jumlah-hanya_spse")).to_have_text("1")
    belum = page.get_by_test_id("daftar-belum_spse")
    expect(belum.get_by_role("row").nth(1)).to_contain_text("Belanja Obat")  # the oldest first
    expect(belum).to_contain_text(str(opd_b))

    with page.expect_download() as download_info:
        belum.get_by_role("link", name="CSV").click()
    rows = list(csv.reader(io.StringIO(download_info.value.path().read_text(encoding="utf-8-sig"))))
    assert [(r[1], r[4], r[7]) for r in rows[1:]] == [
        (opd_b.nama_satker, "Belanja Obat", "2026-01-20"),
        (opd_a.nama_satker, "Belanja Tinta", "2026-02-03"),
    ]
