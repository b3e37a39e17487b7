"""Issue 5's journey: a pengawas opens the dashboard, drills into an OPD and exports the table as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pengadaan.dashboards import ringkasan
from pengadaan.dashboards import selectors as dashboards
from pengadaan.models import Status
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD, PaketRupFactory, PencatatanFactory, RealisasiFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pengawas_reviews_the_dashboard_drills_down_and_exports(page, pengawas, opd_a, opd_b):
    recorded = PaketRupFactory(opd=opd_a, tahun_anggaran=2025, pagu=Decimal("30000000"))
    PaketRupFactory(
        opd=opd_a,
        tahun_anggaran=2025,
        pagu=Decimal("10000000"),
        nama_paket="Belanja Kertas Ujian",
        tgl_awal_pemilihan=dt.date(2025, 2, 1),
    )
    record = PencatatanFactory(opd=opd_a, tahun_anggaran=2025, paket=[recorded], pagu=Decimal("30000000"))
    RealisasiFactory(pencatatan=record, tgl_realisasi=dt.date(2025, 11, 3), tgl_dicatat=dt.date(2025, 11, 20))

    login(page, "pengawas", TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.get_by_label("Tahun anggaran").select_option("2025")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.get_by_test_id("persen-kota")).to_have_text("75,00%")  # 30 of 40 juta, in Indonesian
    expect(page.get_by_test_id("tabel-opd")).to_contain_text(opd_b.nama_satker)

    with page.expect_download() as download_info:
        page.get_by_test_id("ekspor-csv").click()
    rows = list(csv.reader(io.StringIO(download_info.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[0] == list(dashboards.COLUMNS)
    # OPDs by name (Dinas Kesehatan Uji, Dinas Pendidikan Uji), then the city row
    assert [r[0] for r in rows[1:]] == [opd_b.kd_satker, opd_a.kd_satker, ""]
    assert rows[2][6] == "75.00"

    page.get_by_test_id("tabel-opd").get_by_role("link", name=str(opd_a)).click()  # the short name
    expect(page.get_by_role("heading", level=1)).to_contain_text(opd_a.nama_satker)
    expect(page.get_by_text("Belanja Kertas Ujian")).to_be_visible()


def test_pengawas_reviews_a_tanda_bahaya_at_phone_width(page, pengawas, opd_a):
    nama = "Servis AC Gedung BLOK_A/LANTAI_2/RUANG_KEPALA_DINAS"  # a word too long for a phone's column
    selesai = PencatatanFactory(opd=opd_a, tahun_anggaran=2026, status=Status.SELESAI, nama_paket=nama)

    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "pengawas", TEST_PASSWORD)
    page.goto("/tanda-bahaya/?tahun=2026")
    row = page.locator(f'tr[data-kode="R5:pencatatan:{selesai.pk}"]')
    expect(row).to_contain_text("Selesai tanpa realisasi")
    expect(row.get_by_role("link", name=nama)).to_be_visible()
    # the table scrolls inside its box; the page itself never scrolls sideways on a phone
    assert page.evaluate("document.documentElement.scrollWidth") == 390

    row.get_by_label("Catatan tinjauan").fill("Realisasi menyusul bulan depan.")
    row.get_by_role("button", name="Tandai sudah ditinjau").click()
    expect(page.get_by_role("alert").filter(has_text="Tanda bahaya ditandai sudah ditinjau.")).to_be_visible()
    expect(page.locator(f'tr[data-kode="R5:pencatatan:{selesai.pk}"]')).to_have_count(0)  # the list shows open flags
    page.get_by_label("Tinjauan").select_option("reviewed")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.locator(f'tr[data-kode="R5:pencatatan:{selesai.pk}"]')).to_contain_text(
        "Realisasi menyusul bulan depan."
    )


def test_a_stale_dashboard_updates_itself_when_the_worker_is_done(page, pengawas, opd_a):
    """Issue 16: the page never waits for a recompute. It shows the last stored numbers marked "sedang
    diperbarui", and reloads itself once the worker has stored the new ones."""
    tahun = timezone.localdate().year  # the dashboard's default year
    recorded = PaketRupFactory(opd=opd_a, tahun_anggaran=tahun, pagu=Decimal("30000000"))
    later = PaketRupFactory(opd=opd_a, tahun_anggaran=tahun, pagu=Decimal("10000000"))
    PencatatanFactory(opd=opd_a, tahun_anggaran=tahun, paket=[recorded], pagu=Decimal("30000000"))
    ringkasan.refresh(tahun=tahun, opd_ids=[opd_a.pk])  # stored: 30 of 40 juta
    PencatatanFactory(opd=opd_a, tahun_anggaran=tahun, paket=[later], pagu=Decimal("10000000"))  # now 40 of 40

    login(page, "pengawas", TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    status = page.get_by_test_id("status-ringkasan")
    expect(status).to_contain_text("sedang diperbarui")
    expect(page.get_by_role("status").filter(has_text="sedang diperbarui")).to_have_attribute("aria-live", "polite")
    expect(page.get_by_test_id("persen-kota")).to_have_text("75,00%")  # the stored numbers meanwhile

    ringkasan.segarkan_ringkasan.call()  # the worker, from this thread

    # no reload by hand: the fragment's poll (every 3 s) reloads the page
    expect(page.get_by_test_id("persen-kota")).to_have_text("100,00%", timeout=15_000)
    expect(status).to_have_count(0)
