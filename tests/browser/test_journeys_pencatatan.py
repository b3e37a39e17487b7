"""Issue 3's journey in a real browser: an operator records a non-tender package with two payments
and a proof file, the PPK marks it Selesai, and the history shows both."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pengadaan.models import Pencatatan, Status
from tests.browser.conftest import login
from tests.factories import PDF_BYTES, TEST_PASSWORD, PaketRupFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_payment(page, no: str, nilai: str, proof=None) -> None:
    page.get_by_label("Jenis bukti").select_option("kuitansi")
    page.get_by_label("Nomor bukti").fill(no)
    page.get_by_label("Tanggal realisasi").fill(timezone.localdate().isoformat())
    page.get_by_label("Nilai realisasi").fill(nilai)
    page.get_by_label("Nama penyedia/pelaksana").fill("CV Maju Jaya")
    page.get_by_label("NPWP penyedia/pelaksana").fill("01.234.567.8-901.234")
    if proof:
        page.get_by_label("Bukti (PDF/JPG/PNG)").set_input_files(str(proof))
    page.get_by_role("button", name="Simpan realisasi").click()
    expect(page.get_by_text(f"Realisasi {no} tersimpan.")).to_be_visible()


def test_operator_records_two_payments_and_ppk_finishes(page, operator_a, ppk_a, opd_a, tmp_path):
    year = timezone.localdate().year
    PaketRupFactory(
        opd=opd_a, tahun_anggaran=year, kd_rup=48000100, nama_paket="Belanja ATK Sekolah", pagu=Decimal("45000000")
    )
    proof = tmp_path / "kuitansi-001.pdf"
    proof.write_bytes(PDF_BYTES)

    login(page, "operator_a", TEST_PASSWORD)
    page.get_by_role("link", name="OPD saya").click()
    page.get_by_role("link", name="Catat non tender").click()
    # the RUP picker: a filter over checkboxes; choosing fills the name and the pagu
    page.get_by_label("Saring paket RUP").fill("atk sekolah")
    expect(page.get_by_test_id("rup-picker").locator("[data-rup-item]:visible")).to_have_count(1)
    page.get_by_label("48000100 — Belanja ATK Sekolah").check()
    expect(page.get_by_label("Nama paket")).to_have_value("Belanja ATK Sekolah")
    expect(page.get_by_label("Pagu")).to_have_value("45.000.000")
    page.get_by_label("Nama paket").fill("Belanja ATK Sekolah Triwulan IV")
    page.get_by_label("Metode pemilihan").select_option("Pengadaan Langsung")
    page.get_by_label("Kategori pengadaan").select_option("Barang")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_test_id("status")).to_have_text("Draft")

    add_payment(page, "KW-001", "15.000.000", proof)  # a Rupiah input reads thousands separators
    add_payment(page, "KW-002", "10000000")
    expect(page.get_by_test_id("total-realisasi")).to_contain_text("Rp 25.000.000")
    expect(page.get_by_role("link", name="kuitansi-001.pdf")).to_be_visible()
    page.get_by_role("button", name="Tandai berjalan").click()
    expect(page.get_by_test_id("status")).to_have_text("Berjalan")
    expect(page.get_by_role("link", name="Tandai selesai")).to_have_count(0)  # the PPK's action
    record_url = page.url
    page.get_by_test_id("menu-pengguna").click()
    page.get_by_role("button", name="Keluar").click()

    login(page, "ppk_a", TEST_PASSWORD)
    page.goto(record_url)
    page.get_by_role("link", name="Tandai selesai").click()  # asks first
    expect(page.get_by_test_id("ringkasan-selesai")).to_contain_text(
        "Rp 25.000.000 dari pagu Rp 45.000.000 (55,6% dari pagu)"
    )
    expect(page.get_by_test_id("peringatan-spse")).to_contain_text("Belum ada kode SPSE — ITKP menghitung dari SPSE")
    page.get_by_role("button", name="Ya, tandai selesai").click()
    expect(page.get_by_test_id("status")).to_have_text("Selesai")
    history = page.get_by_test_id("riwayat")
    expect(history).to_contain_text(f"{ppk_a} · Pencatatan diubah Status: Selesai")
    expect(history).to_contain_text(f"{operator_a} · Pencatatan dibuat")
    expect(history).to_contain_text(f"{operator_a} · Realisasi KW-002 dibuat")
    expect(history).to_contain_text(f"{operator_a} · Bukti kuitansi-001.pdf dibuat")

    pencatatan = Pencatatan.objects.get()
    assert (pencatatan.status, pencatatan.realisasi.count()) == (Status.SELESAI, 2)
    assert pencatatan.realisasi.get(no_realisasi="KW-001").bukti.get().nama_asli == "kuitansi-001.pdf"
