"""What a person sees when the app says no, in a real browser: a refused payment shows its error at the
field (htmx swaps the 422 answer in), a failed htmx request shows an alert, and deleting a draft or a
payment asks first, with JavaScript and without."""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from pengadaan.models import Pencatatan, Realisasi, Status
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD, BuktiRealisasiFactory, PencatatanFactory, RealisasiFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# SCREENSHOT_DIR=/tmp: the pages at 1366 and 390 px wide, saved there to be looked at (never compared)
SCREENSHOT_DIR = os.environ.get("SCREENSHOT_DIR")


def shoot(page, name: str, *, width: int, height: int, full_page: bool = False, focus=None) -> None:
    if not SCREENSHOT_DIR:
        return
    size = page.viewport_size
    page.set_viewport_size({"width": width, "height": height})
    if focus is not None:
        focus.scroll_into_view_if_needed()
    page.screenshot(path=str(Path(SCREENSHOT_DIR) / f"{name}-{width}.png"), full_page=full_page)
    page.set_viewport_size(size)


def field(form, label: str):
    """The Bootstrap wrapper of the field labelled `label` in `form`: label, input, errors, help."""
    return form.locator(".mb-3").filter(has=form.page.get_by_label(label))


def fill_payment(form, *, no: str, tanggal: dt.date, nilai: str, npwp: str) -> None:
    form.get_by_label("Jenis bukti").select_option("kuitansi")
    form.get_by_label("Nomor bukti").fill(no)
    form.get_by_label("Tanggal realisasi").fill(tanggal.isoformat())
    form.get_by_label("Nilai realisasi").fill(nilai)
    form.get_by_label("Nama penyedia/pelaksana").fill("CV Maju Jaya")
    form.get_by_label("NPWP penyedia/pelaksana").fill(npwp)


def expect_error_at(form, label: str, message: str) -> None:
    wrapper = field(form, label)
    expect(wrapper.locator(".invalid-feedback")).to_have_text(message)
    expect(wrapper.locator(".invalid-feedback")).to_be_visible()
    expect(form.get_by_label(label)).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label(label)).to_have_class("form-control is-invalid")


@pytest.fixture
def small_record(opd_a):
    """A running record with a pagu of Rp 1.000.000, of which Rp 400.000 is paid."""
    today = timezone.localdate()
    record = PencatatanFactory(
        opd=opd_a, tahun_anggaran=today.year, nama_paket="Cetak Spanduk Kelurahan", pagu=Decimal("1000000")
    )
    RealisasiFactory(pencatatan=record, no_realisasi="KW-100", tgl_realisasi=today, nilai_realisasi=Decimal("400000"))
    return record


def test_refused_payments_show_their_error_at_the_field(page, operator_a, small_record):
    today = timezone.localdate()
    login(page, "operator_a", TEST_PASSWORD)
    page.goto(small_record.get_absolute_url())
    add = page.locator("form", has=page.get_by_role("button", name="Simpan realisasi"))

    # over the pagu
    fill_payment(add, no="KW-101", tanggal=today, nilai="700000", npwp="01.234.567.8-901.234")
    add.get_by_role("button", name="Simpan realisasi").click()
    expect_error_at(
        add, "Nilai realisasi", "Total realisasi Rp 1.100.000 melebihi pagu Rp 1.000.000. Sisa pagu: Rp 600.000."
    )
    expect(add.get_by_label("Nilai realisasi")).to_be_focused()
    expect(add.get_by_label("Nomor bukti")).to_have_value("KW-101")  # what was typed is kept
    assert list(Realisasi.objects.values_list("no_realisasi", flat=True)) == ["KW-100"]
    shoot(page, "tolak-pagu", width=1366, height=900, full_page=True)
    shoot(page, "tolak-pagu", width=390, height=844, focus=add.get_by_label("Nilai realisasi"))

    # a malformed NPWP
    fill_payment(add, no="KW-101", tanggal=today, nilai="100000", npwp="12.345.678")
    add.get_by_role("button", name="Simpan realisasi").click()
    expect_error_at(add, "NPWP penyedia/pelaksana", "NPWP harus 15 atau 16 angka (tertulis 8 angka).")
    expect(field(add, "Nilai realisasi").locator(".invalid-feedback")).to_have_count(0)
    assert Realisasi.objects.count() == 1

    # a date in the future
    fill_payment(add, no="KW-101", tanggal=today + dt.timedelta(days=1), nilai="100000", npwp="01.234.567.8-901.234")
    add.get_by_role("button", name="Simpan realisasi").click()
    expect_error_at(add, "Tanggal realisasi", "Tanggal realisasi tidak boleh di masa depan.")
    assert Realisasi.objects.count() == 1

    # editing the payment there is to more than the pagu: the error shows in its row, the section stays
    row = page.locator("tr", has=page.get_by_text("KW-100", exact=True))
    row.get_by_role("link", name="Ubah").click()
    edit = page.locator("form", has=page.get_by_role("button", name="Simpan perubahan"))
    edit.get_by_label("Nilai realisasi").fill("1500000")
    edit.get_by_role("button", name="Simpan perubahan").click()
    expect_error_at(
        edit, "Nilai realisasi", "Total realisasi Rp 1.500.000 melebihi pagu Rp 1.000.000. Sisa pagu: Rp 1.000.000."
    )
    expect(page.get_by_test_id("total-realisasi")).to_contain_text("Rp 400.000")
    expect(add).to_be_visible()
    assert Realisasi.objects.get().nilai_realisasi == Decimal("400000")
    for width, height in ((1366, 900), (390, 844)):
        shoot(page, "tolak-ubah", width=width, height=height, focus=edit.get_by_label("Nilai realisasi"))

    # corrected, it is saved
    edit.get_by_label("Nilai realisasi").fill("600000")
    edit.get_by_role("button", name="Simpan perubahan").click()
    expect(page.get_by_text("Realisasi KW-100 diperbarui.")).to_be_visible()
    expect(page.get_by_test_id("total-realisasi")).to_contain_text("Rp 600.000")
    assert Realisasi.objects.get().nilai_realisasi == Decimal("600000")


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        ("500", "Terjadi kesalahan di server; perubahan terakhir mungkin belum tersimpan."),
        ("403", "Permintaan ditolak oleh server."),
        ("offline", "Server tidak dapat dihubungi."),
    ],
)
def test_a_failed_htmx_request_shows_an_alert(page, operator_a, small_record, failure, message):
    login(page, "operator_a", TEST_PASSWORD)
    page.goto(small_record.get_absolute_url())
    url = reverse("realisasi_add", args=[small_record.pk])
    if failure == "offline":
        page.route(f"**{url}", lambda route: route.abort("connectionrefused"))
    else:
        page.route(f"**{url}", lambda route: route.fulfill(status=int(failure), body="<h1>Galat</h1>"))
    add = page.locator("form", has=page.get_by_role("button", name="Simpan realisasi"))
    fill_payment(add, no="KW-101", tanggal=timezone.localdate(), nilai="1000", npwp="")
    add.get_by_role("button", name="Simpan realisasi").click()
    alert = page.get_by_test_id("galat-htmx")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text(message)
    expect(alert.locator("[data-galat]")).to_have_count(1)
    expect(add).to_be_visible()  # nothing was swapped
    if failure == "500":
        expect(alert).to_contain_text("(HTTP 500)")
        for width, height in ((1366, 900), (390, 844)):
            shoot(page, "galat-htmx", width=width, height=height)
    alert.get_by_role("button", name="Tutup").click()
    expect(alert).to_have_count(0)
    assert Realisasi.objects.count() == 1


@pytest.fixture
def draft(opd_a):
    """A draft with two payments (Rp 300.000 and Rp 200.000), the first with two proof files."""
    today = timezone.localdate()
    record = PencatatanFactory(
        opd=opd_a, tahun_anggaran=today.year, status=Status.DRAFT, nama_paket="Pengadaan Kursi Aula"
    )
    first = RealisasiFactory(pencatatan=record, no_realisasi="KW-201", tgl_realisasi=today, nilai_realisasi=300000)
    RealisasiFactory(pencatatan=record, no_realisasi="KW-202", tgl_realisasi=today, nilai_realisasi=200000)
    BuktiRealisasiFactory(realisasi=first, nama_asli="kuitansi-201.pdf")
    BuktiRealisasiFactory(realisasi=first, nama_asli="foto-kursi.pdf")
    return record


def delete_draft(page, draft) -> None:
    page.goto(draft.get_absolute_url())
    page.get_by_role("link", name="Hapus draft").click()
    expect(page.get_by_role("heading", name="Hapus draft ini?")).to_be_visible()
    summary = page.get_by_test_id("ikut-terhapus")
    expect(page.get_by_text("Draft “Pengadaan Kursi Aula” akan dihapus bersama:")).to_be_visible()
    expect(summary).to_contain_text("2 realisasi senilai Rp 500.000")
    expect(summary).to_contain_text("2 berkas bukti")
    assert Pencatatan.objects.filter(pk=draft.pk).exists()  # asking deletes nothing
    for width, height in ((1366, 900), (390, 844)):
        shoot(page, "hapus-draft", width=width, height=height, full_page=True)
    # changing one's mind goes back to the record
    page.get_by_role("link", name="Batal").click()
    expect(page).to_have_url(re.compile(re.escape(draft.get_absolute_url()) + "$"))
    page.get_by_role("link", name="Hapus draft").click()
    page.get_by_role("button", name="Ya, hapus draft").click()
    expect(page.get_by_text("Draft “Pengadaan Kursi Aula” dihapus.")).to_be_visible()
    assert Pencatatan.objects.filter(pk=draft.pk).exists() is False
    assert Realisasi.objects.count() == 0


def test_deleting_a_draft_asks_first(page, operator_a, draft):
    login(page, "operator_a", TEST_PASSWORD)
    delete_draft(page, draft)


def test_deleting_a_draft_asks_first_without_javascript(browser, live_server, operator_a, draft):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        login(page, "operator_a", TEST_PASSWORD)
        delete_draft(page, draft)
    finally:
        context.close()


def delete_payment(page, draft) -> None:
    page.goto(draft.get_absolute_url())
    row = page.locator("tr", has=page.get_by_text("KW-201", exact=True))
    row.get_by_role("link", name="Hapus").click()
    expect(page.get_by_role("heading", name="Hapus realisasi ini?")).to_be_visible()
    summary = page.get_by_test_id("ikut-terhapus")
    with translation.override("id"):
        tanggal = date_format(timezone.localdate(), "j F Y")
    for shown in ("Kuitansi", "KW-201", tanggal, "Rp 300.000", "2 berkas bukti", "kuitansi-201.pdf", "foto-kursi.pdf"):
        expect(summary).to_contain_text(shown)
    assert Realisasi.objects.count() == 2  # asking deletes nothing
    for width, height in ((1366, 900), (390, 844)):
        shoot(page, "hapus-realisasi", width=width, height=height, full_page=True)
    page.get_by_role("button", name="Ya, hapus realisasi").click()
    expect(page.get_by_text("Realisasi KW-201 dihapus.")).to_be_visible()
    expect(page.get_by_test_id("total-realisasi")).to_contain_text("Rp 200.000")
    assert list(Realisasi.objects.values_list("no_realisasi", flat=True)) == ["KW-202"]


def test_deleting_a_payment_asks_first(page, operator_a, draft):
    login(page, "operator_a", TEST_PASSWORD)
    delete_payment(page, draft)


def test_deleting_a_payment_asks_first_without_javascript(browser, live_server, operator_a, draft):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        login(page, "operator_a", TEST_PASSWORD)
        delete_payment(page, draft)
    finally:
        context.close()
