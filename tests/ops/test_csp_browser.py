"""The Content Security Policy in a real browser: no page the personas use triggers a violation."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect, sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, login
from tests.factories import TEST_PASSWORD, BuktiRealisasiFactory, PencatatanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def csp_violations_of(base_url: str, journey: Callable[[Page], None]) -> list[str]:
    """Runs `journey` in a fresh chromium and returns every CSP violation the browser reported.

    In a thread of its own: tests/browser keeps a session-wide Playwright running in the main
    thread, and Playwright's sync API allows one per thread.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium tidak ditemukan di {CHROMIUM}: jalankan `apt-get install -y chromium`.")
    outcome: dict = {"violations": []}

    def run() -> None:
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                page = browser.new_context(base_url=base_url, locale="id-ID").new_page()
                page.set_default_timeout(10_000)

                def on_console(message) -> None:
                    if "Content Security Policy" in message.text:
                        outcome["violations"].append(f"{page.url}: {message.text}")

                page.on("console", on_console)
                journey(page)
                browser.close()
        except BaseException as error:  # handed to the test's thread below
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)
    if "error" in outcome:
        raise outcome["error"]
    assert not thread.is_alive(), "the browser journey did not finish within 120 s"
    return outcome["violations"]


def test_pages_run_without_csp_violations(live_server, pengawas, operator_a, opd_a):
    pencatatan = PencatatanFactory(opd=opd_a)
    BuktiRealisasiFactory(realisasi__pencatatan=pencatatan)
    pages_of_pengawas = [
        reverse("dashboard"),
        reverse("opd_dashboard", args=[opd_a.pk]),
        reverse("pencatatan_list"),
        reverse("pencatatan_detail", args=[pencatatan.pk]),
        reverse("tanda_bahaya_list"),
    ]
    record = reverse("pencatatan_detail", args=[pencatatan.pk])

    def journey(page: Page) -> None:
        login(page, "pengawas", TEST_PASSWORD)
        for url in pages_of_pengawas:
            page.goto(url)
            page.wait_for_load_state("networkidle")
        # the dashboard's charts are drawn by the page script from json_script data
        page.goto(reverse("dashboard"))
        expect(page.locator("canvas").first).to_be_visible()
        page.get_by_test_id("menu-pengguna").click()
        page.get_by_role("button", name="Keluar").click()
        login(page, "operator_a", TEST_PASSWORD)
        page.goto(record)
        page.wait_for_load_state("networkidle")
        # a refused payment swapped in by htmx (422, base.html's htmx-config), then a delete confirmation
        page.get_by_role("button", name="Simpan realisasi").click()
        expect(page.get_by_label("Nilai realisasi")).to_have_attribute("aria-invalid", "true")
        page.get_by_role("link", name="Hapus", exact=True).click()
        expect(page.get_by_role("heading", name="Hapus realisasi ini?")).to_be_visible()
        page.goto("/tidak-ada/")  # the 404 page

    assert csp_violations_of(live_server.url, journey) == []
