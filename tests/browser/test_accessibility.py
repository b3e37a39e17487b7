"""Accessibility (WCAG 2.1 A and AA): no serious or critical axe-core violation on any page shape, for
every role, in Indonesian and in English.

axe-core is vendored under tests/vendor/axe-core (the npm package, unchanged) and evaluated in the page
through the browser's own console, so the app's Content-Security-Policy stays as it is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from opd.tokens import token_create
from pengadaan.models import ImportJob, PadananSpse, Status, Sumber
from tests.browser.conftest import login
from tests.factories import (
    TEST_PASSWORD,
    BuktiRealisasiFactory,
    PaketRupFactory,
    PencatatanFactory,
    RealisasiFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js").read_text()
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
}"""
TAHUN = 2026


@pytest.fixture
def data(opd_a, opd_b, admin, operator_a):
    """A year of OPD A with every kind of page content: records in each status, a payment with proof,
    an unrecorded package, a red flag, a pair to confirm, an import job."""
    PaketRupFactory(opd=opd_a, tahun_anggaran=TAHUN, nama_paket="Belum dicatat", tgl_awal_pemilihan=dt.date(2026, 2, 1))
    berjalan = PencatatanFactory(opd=opd_a, nama_paket="Laptop Sekolah", kd_nontender_pct=4401, sumber=Sumber.IMPOR)
    BuktiRealisasiFactory(realisasi=RealisasiFactory(pencatatan=berjalan, nilai_realisasi=Decimal("12500000")))
    PencatatanFactory(opd=opd_a, nama_paket="Selesai tanpa bayar", status=Status.SELESAI)  # red flag rule 5
    draft = PencatatanFactory(opd=opd_a, nama_paket="Draft ATK", status=Status.DRAFT)
    spse = PencatatanFactory(
        opd=opd_a,
        nama_paket="ATK (SPSE)",
        kd_nontender_pct=4402,
        sumber=Sumber.IMPOR,
        paket=list(draft.paket_rup.all()),
    )
    PadananSpse.objects.create(lokal=draft, spse=spse, kode_spse=4402, alasan=PadananSpse.Alasan.PAGU_BERBEDA)
    PencatatanFactory(opd=opd_b, nama_paket="Obat")
    job = ImportJob.objects.create(
        jenis="users",
        nama_berkas="orang.csv",
        isi_berkas=b"username,nama,peran\nx,X,operator\n",
        jumlah_baris=1,
        status=ImportJob.Status.SIAP,
        kesalahan=[[2, "peran", "tidak dikenal"]],
        ringkasan={"total": 1, "dibuat": 0, "kesalahan": 1, "baris_salah": 1},
        dibuat_oleh=admin,
    )
    token_create(pengguna=operator_a, nama="skrip laporan", hari=30)  # the token page lists one
    return {"record": berjalan, "draft": draft, "job": job}


def pages_of(role: str, data: dict, opd_a) -> list[str]:
    record, draft, job = data["record"], data["draft"], data["job"]
    opd = opd_a.pk
    if role == "anonymous":
        return ["/accounts/login/", "/accounts/password_reset/"]
    if role == "operator_a":
        return [
            "/",
            "/pencatatan/",
            f"/pencatatan/{record.pk}/",
            f"/pencatatan/{record.pk}/ubah/",
            f"/pencatatan/{draft.pk}/hapus/",
            f"/opd/{opd}/pencatatan/baru/non_tender/",
            f"/opd/{opd}/rup/?tahun={TAHUN}",
            f"/opd/{opd}/dashboard/?tahun={TAHUN}",
            f"/opd/{opd}/rekonsiliasi/?tahun={TAHUN}",
            f"/tanda-bahaya/?tahun={TAHUN}",
            "/accounts/password_change/",
            "/akun/token/",
        ]
    if role == "pengawas":
        return [
            f"/dashboard/?tahun={TAHUN}",
            f"/opd/{opd}/dashboard/?tahun={TAHUN}",
            f"/rekonsiliasi/?tahun={TAHUN}",
            f"/tanda-bahaya/?tahun={TAHUN}&status=all",
            "/opd/",
            f"/opd/{opd}/",
            f"/opd/{opd}/pengingat/?tahun={TAHUN}",
            "/akun/token/",
        ]
    return ["/impor/", f"/impor/{job.pk}/", "/admin/"]  # admin


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("role", ["anonymous", "operator_a", "pengawas", "admin"])
def test_no_serious_or_critical_accessibility_violation(browser, live_server, request, data, opd_a, role, language):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 768})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    if role != "anonymous":
        user = request.getfixturevalue(role)
        login(page, user.username, TEST_PASSWORD) if language == "id" else _login_en(page, user.username)
    found = {}
    for url in pages_of(role, data, opd_a):
        response = page.goto(url)
        assert response.status == 200, url
        page.evaluate(AXE)
        violations = page.evaluate(RUN, WCAG_AA)
        if violations:
            found[url] = violations
    context.close()
    assert found == {}


def _login_en(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
