"""Issue 14's journey in a real browser: an operator lands on "Tugas saya", records a package due and not
recorded with "Catat" (the form arrives filled from the package) and sees it leave the list; the page fits a
phone's screen."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pengadaan.models import JenisPengadaan, Pencatatan, Status
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD, PaketRupFactory, PencatatanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def last_year_packages(opd_a):
    """Two packages of last year (every planned month over), not recorded, and a draft to finish."""
    tahun = timezone.localdate().year - 1
    kebersihan = PaketRupFactory(
        opd=opd_a,
        tahun_anggaran=tahun,
        kd_rup=57811052,
        nama_paket="Jasa Kebersihan Kantor",
        pagu=Decimal("54597000"),
        metode_pengadaan="Penunjukan Langsung",
        jenis_pengadaan=JenisPengadaan.JASA_LAINNYA,
        tgl_awal_pemilihan=dt.date(tahun, 1, 1),
    )
    PaketRupFactory(
        opd=opd_a,
        tahun_anggaran=tahun,
        kd_rup=57811120,
        nama_paket="Pengadaan Air Conditioner (AC)",
        tgl_awal_pemilihan=dt.date(tahun, 3, 1),
    )
    PencatatanFactory(
        opd=opd_a,
        tahun_anggaran=tahun,
        status=Status.DRAFT,
        nama_paket="Rapat Koordinasi",
        tgl_buat_paket=dt.date(tahun, 12, 1),
    )
    return tahun, kebersihan


def test_operator_records_a_package_from_tugas_saya(page, operator_a, opd_a, last_year_packages):
    tahun, kebersihan = last_year_packages
    login(page, "operator_a", TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/tugas/$"))
    page.get_by_label("Tahun anggaran").select_option(str(tahun))
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.get_by_test_id("kartu-rup-belum")).to_contain_text("2")
    expect(page.get_by_test_id("kartu-draft")).to_contain_text("1")
    rup = page.get_by_test_id("daftar-rup-belum")
    expect(rup.get_by_test_id("rup-57811052")).to_contain_text("Jasa Kebersihan Kantor")

    # two clicks plus the form: "Catat", then "Simpan" on a form filled from the package
    page.get_by_test_id("catat-57811052").click()
    expect(page.get_by_label("Nama paket")).to_have_value("Jasa Kebersihan Kantor")
    expect(page.get_by_label("Pagu", exact=True)).to_have_value("54.597.000")
    expect(page.get_by_label("Metode pemilihan")).to_have_value("Penunjukan Langsung")
    expect(page.get_by_label("Kategori pengadaan")).to_have_value("Jasa Lainnya")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_test_id("status")).to_have_text("Draft")
    record = Pencatatan.objects.get(nama_paket="Jasa Kebersihan Kantor")
    assert list(record.paket_rup.all()) == [kebersihan]
    assert (record.pagu, record.mtd_pemilihan, record.tahun_anggaran) == (
        Decimal("54597000.00"),
        "Penunjukan Langsung",
        tahun,
    )

    page.get_by_role("link", name="Tugas saya").click()
    page.get_by_label("Tahun anggaran").select_option(str(tahun))
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.get_by_test_id("kartu-rup-belum")).to_contain_text("1")
    expect(rup.get_by_test_id("rup-57811052")).to_have_count(0)
    expect(rup.get_by_test_id("rup-57811120")).to_be_visible()
    expect(page.get_by_test_id("kartu-draft")).to_contain_text("2")  # the new record is a draft to finish


@pytest.mark.parametrize("width", [390, 1366])
def test_tugas_saya_fits_the_screen(page, operator_a, opd_a, last_year_packages, width):
    tahun, _kebersihan = last_year_packages
    page.set_viewport_size({"width": width, "height": 844})
    login(page, "operator_a", TEST_PASSWORD)
    page.goto(f"/tugas/?tahun={tahun}")
    expect(page.get_by_test_id("daftar-rup-belum")).to_contain_text("Pengadaan Air Conditioner (AC)")
    assert page.evaluate("document.documentElement.scrollWidth") == width
