"""The API docs page (/api/v1/docs) in a real browser: Swagger UI from our own static files renders every
operation, runs a request with a token, has no serious or critical axe violation, and the Content Security
Policy reports no violation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from opd import tokens
from tests.browser.test_accessibility import AXE, RUN, WCAG_AA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPERATIONS = [
    "/api/v1/opd",
    "/api/v1/opd/{kd_satker}",
    "/api/v1/rup",
    "/api/v1/pencatatan",
    "/api/v1/pencatatan/{pk}",
    "/api/v1/dashboard",
    "/api/v1/tanda-bahaya",
    "/api/v1/rekonsiliasi",
]


def test_api_docs_render_and_run_a_request_without_csp_violations(page, pengawas, opd_a):
    token = tokens.token_create(pengguna=pengawas, nama="dokumentasi").kunci
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))

    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", name=re.compile("SPSE Tracker API"))).to_be_visible()
    for path in OPERATIONS:
        expect(page.locator(".opblock-summary-path", has_text=re.compile(f"^{re.escape(path)}$"))).to_be_visible()
    # every operation is a GET
    expect(page.locator(".opblock")).to_have_count(len(OPERATIONS))
    expect(page.locator(".opblock-get")).to_have_count(len(OPERATIONS))

    # no serious or critical axe violation, folded and with an operation open (our lang, contrast and
    # wrapping fixes over Swagger UI: templates/ninja/swagger.html, static/css/api-docs.css)
    page.evaluate(AXE)
    assert page.evaluate(RUN, WCAG_AA) == []
    page.locator(".opblock-summary-path", has_text=re.compile(r"^/api/v1/pencatatan$")).click()
    expect(page.locator(".parameters-container").first).to_be_visible()
    assert page.evaluate(RUN, WCAG_AA) == []
    page.locator(".opblock-summary-path", has_text=re.compile(r"^/api/v1/pencatatan$")).click()

    # authorise with a token and run GET /api/v1/opd from the page
    page.get_by_role("button", name=re.compile("Authorize")).first.click()
    page.locator(".modal-ux input[type=text]").fill(token)
    page.locator(".modal-ux button.modal-btn.authorize").click()
    page.locator(".modal-ux button.btn-done").click()
    page.locator(".opblock-summary-path", has_text=re.compile(r"^/api/v1/opd$")).click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    expect(page.locator(".live-responses-table")).to_contain_text("Dinas Pendidikan Uji")

    assert [m for m in messages if "Content Security Policy" in m] == []
    assert failed == []
