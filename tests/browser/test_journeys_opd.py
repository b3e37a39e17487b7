"""Journeys of issue 2 in a real browser: log in and land, lockout, admin imports users."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from opd.models import User
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD
from tests.opd.test_import_users import good_rows, xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_logs_in_lands_on_tugas_saya_and_logs_out(page, operator_a, opd_a):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    login(page, "operator_a", TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/tugas/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tugas saya")
    page.get_by_role("link", name="OPD saya").click()  # the OPD's details are one click away
    expect(page).to_have_url(re.compile(rf"/opd/{opd_a.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(opd_a.nama_satker)
    expect(page.get_by_role("link", name="Daftar OPD")).to_have_count(0)
    page.get_by_test_id("menu-pengguna").click()
    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def test_five_wrong_passwords_show_the_lockout_message(page, operator_a):
    for _ in range(5):
        login(page, "operator_a", "salah-terus")
    expect(page.get_by_test_id("pesan-kunci")).to_contain_text("Kata sandi salah 5 kali")


def test_admin_imports_users_from_xlsx(page, admin, opd_a, opd_b, tmp_path):
    path = tmp_path / "pengguna.xlsx"
    path.write_bytes(xlsx_bytes(good_rows(opd_a, opd_b)))
    login(page, "admin", TEST_PASSWORD)
    page.get_by_role("link", name="Impor pengguna dari XLSX/CSV").click()
    expect(page.get_by_label("Jenis data")).to_have_value("users")
    page.get_by_label("Berkas").set_input_files(str(path))
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page.get_by_test_id("ringkasan")).to_contain_text("Akan dibuat")
    assert User.objects.count() == 1
    page.get_by_role("button", name="Tulis ke basis data").click()
    expect(page.get_by_test_id("impor-status")).to_contain_text("Impor selesai")
    assert set(User.objects.values_list("username", flat=True)) == {"admin", "budi", "sari", "inspektur"}
