"""The reconciliation pages (DESIGN §12): the three lists per OPD and for the city, their downloads, and the
OPD's decision on a pair an import could not be sure of."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pengadaan import services
from pengadaan.imports import padanan, pipeline
from pengadaan.models import PadananSpse, Pencatatan, Realisasi, Status, Sumber
from tests.conftest import client_for
from tests.factories import OpdFactory, PaketRupFactory, PencatatanFactory, RealisasiFactory
from tests.pengadaan.test_imports import NT_HEADER, nt_row, xlsx

TAHUN = 2026
JUTA = Decimal(1_000_000)


def spse_values(**changes) -> dict:
    return {"pagu": "50000000.00", "status": Status.BERJALAN, "nip_ppk": "", "nama_ppk": ""} | changes


@pytest.fixture
def kota(opd_a, opd_b):
    """OPD A: two records only in the app, one only in SPSE, two matched (one now differs), one Batal app
    record (not counted); OPD B: one record only in the app."""
    w = {}
    w["lama"] = PencatatanFactory(opd=opd_a, nama_paket="Belanja Lama", tgl_buat_paket=dt.date(2026, 2, 1))
    w["baru"] = PencatatanFactory(opd=opd_a, nama_paket="Belanja Baru", tgl_buat_paket=dt.date(2026, 3, 1))
    PencatatanFactory(opd=opd_a, nama_paket="Batal", status=Status.BATAL, alasan_pembatalan="Ganda")
    w["spse"] = PencatatanFactory(opd=opd_a, nama_paket="Dari SPSE", kd_nontender_pct=801, sumber=Sumber.IMPOR)
    w["sama"] = PencatatanFactory(opd=opd_a, nama_paket="Cocok Sama", kd_nontender_pct=802, nilai_spse=spse_values())
    # matched, then the app's pagu was raised and a payment entered in the app only
    w["beda"] = PencatatanFactory(
        opd=opd_a,
        nama_paket="Cocok Berbeda",
        kd_nontender_pct=803,
        pagu=Decimal("52500000"),
        nilai_spse=spse_values(),
    )
    RealisasiFactory(pencatatan=w["beda"], nilai_realisasi=Decimal("10000000"), di_spse=True, sumber=Sumber.IMPOR)
    RealisasiFactory(pencatatan=w["beda"], nilai_realisasi=Decimal("2500000"))
    RealisasiFactory(pencatatan=w["sama"], nilai_realisasi=Decimal("10000000"), di_spse=True)
    w["b"] = PencatatanFactory(opd=opd_b, nama_paket="Belanja OPD B", tgl_buat_paket=dt.date(2026, 1, 15))
    return w


def _names(page, name: str) -> list[str]:
    section = next(s for s in page.context["sections"] if s["name"] == name)
    return [p.nama_paket for p in section["rows"]]


def test_opd_page_lists_what_is_missing_in_spse_and_what_differs(operator_a, opd_a, kota):
    page = client_for(operator_a).get(reverse("opd_rekonsiliasi", args=[opd_a.pk]), {"tahun": TAHUN})
    assert page.status_code == 200
    assert _names(page, "belum_spse") == ["Belanja Lama", "Belanja Baru"]  # oldest first; Batal not counted
    assert _names(page, "hanya_spse") == ["Dari SPSE"]
    assert _names(page, "berbeda") == ["Cocok Berbeda"]
    assert page.context["counts"] == {"belum_spse": 2, "hanya_spse": 1, "berbeda": 1}
    today = timezone.localdate()
    ages = [p.umur_hari for p in page.context["sections"][0]["rows"]]
    assert ages == [(today - dt.date(2026, 2, 1)).days, (today - dt.date(2026, 3, 1)).days]
    beda = page.context["sections"][2]["rows"][0]
    assert [(str(d.kolom), d.aplikasi, d.spse) for d in beda.perbedaan] == [
        ("pagu", Decimal("52500000.00"), Decimal("50000000.00")),
        ("total realisasi", Decimal("12500000.00"), Decimal("10000000.00")),
    ]
    html = page.content.decode()
    assert "<li>pagu: Rp 52.500.000 → Rp 50.000.000</li>" in html


def test_city_page_lists_every_opd_for_the_supervisor(pengawas, kota):
    page = client_for(pengawas).get(reverse("rekonsiliasi"), {"tahun": TAHUN})
    assert _names(page, "belum_spse") == ["Belanja OPD B", "Belanja Lama", "Belanja Baru"]
    assert page.context["counts"] == {"belum_spse": 3, "hanya_spse": 1, "berbeda": 1}


def test_opd_people_are_sent_to_their_own_page_and_others_get_404(operator_a, operator_b, opd_a):
    response = client_for(operator_a).get(reverse("rekonsiliasi"), {"tahun": "2025"})
    assert response.url == f"{reverse('opd_rekonsiliasi', args=[opd_a.pk])}?tahun=2025"
    assert client_for(operator_b).get(reverse("opd_rekonsiliasi", args=[opd_a.pk])).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_each_list_downloads_whole(pengawas, opd_a, kota, fmt):
    url = reverse("opd_rekonsiliasi", args=[opd_a.pk])
    response = client_for(pengawas).get(url, {"tahun": TAHUN, "daftar": "belum_spse", "_export": fmt})
    assert response.status_code == 200
    assert f"rekonsiliasi-belum_spse-{opd_a.kd_satker}-{TAHUN}.{fmt}" in response["Content-Disposition"]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == [
            "kd_satker",
            "nama_satker",
            "jenis_pencatatan",
            "kd_rup",
            "nama_paket",
            "pagu",
            "status",
            "tgl_buat_paket",
            "umur_hari",
        ]
        assert [(r[4], r[5], r[7]) for r in rows[1:]] == [
            ("Belanja Lama", "50000000.00", "2026-02-01"),
            ("Belanja Baru", "50000000.00", "2026-03-01"),
        ]


def test_berbeda_download_names_each_difference(pengawas, kota):
    response = client_for(pengawas).get(
        reverse("rekonsiliasi"), {"tahun": TAHUN, "daftar": "berbeda", "_export": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][-1] == "pagu: 52500000.00 / 50000000.00; total realisasi: 12500000.00 / 10000000.00"


# --- a pair the import could not be sure of ----------------------------------------------------------------


@pytest.fixture
def pasangan(opd_a):
    lokal = PencatatanFactory(opd=opd_a, nama_paket="Servis AC (aplikasi)", pagu=Decimal("60000000"))
    RealisasiFactory(
        pencatatan=lokal, no_realisasi="", tgl_realisasi=dt.date(2026, 5, 2), tgl_dicatat=dt.date(2026, 5, 3)
    )
    spse = PencatatanFactory(
        opd=opd_a,
        nama_paket="Servis AC",
        pagu=Decimal("48000000"),
        kd_nontender_pct=9001,
        sumber=Sumber.IMPOR,
        paket=list(lokal.paket_rup.all()),
        nilai_spse=spse_values(pagu="48000000.00"),
        tgl_buat_paket=dt.date(2026, 4, 20),
    )
    RealisasiFactory(
        pencatatan=spse,
        no_realisasi="KW-9",
        tgl_realisasi=dt.date(2026, 5, 2),
        tgl_dicatat=dt.date(2026, 4, 20),
        sumber=Sumber.IMPOR,
        di_spse=True,
    )
    return PadananSpse.objects.create(lokal=lokal, spse=spse, kode_spse=9001, alasan=PadananSpse.Alasan.PAGU_BERBEDA)


def test_the_opd_confirms_a_pair_and_the_two_become_one(operator_a, opd_a, pasangan):
    lokal_pk, spse_pk = pasangan.lokal_id, pasangan.spse_id
    response = client_for(operator_a).post(reverse("padanan_konfirmasi", args=[pasangan.pk]))
    assert response.url == f"{reverse('opd_rekonsiliasi', args=[opd_a.pk])}?tahun={TAHUN}"
    record = Pencatatan.objects.get(pk=lokal_pk)
    assert (record.kd_nontender_pct, record.nama_paket, record.pagu, record.sumber) == (
        9001,
        "Servis AC",
        Decimal("48000000.00"),
        Sumber.APLIKASI,
    )
    assert not Pencatatan.objects.filter(pk=spse_pk).exists()
    # the payment entered in both places is one, with SPSE's number and the earlier recording date
    assert list(Realisasi.objects.filter(pencatatan=record).values_list("no_realisasi", "di_spse", "tgl_dicatat")) == [
        ("KW-9", True, dt.date(2026, 4, 20))
    ]
    pasangan.refresh_from_db()
    assert (pasangan.status, pasangan.diputuskan_oleh, pasangan.spse, pasangan.kode_spse) == (
        PadananSpse.Status.DIKONFIRMASI,
        operator_a,
        None,
        9001,
    )
    history = list(record.history.order_by("history_id").values_list("pagu", "kd_nontender_pct"))
    assert history[-2:] == [(Decimal("60000000.00"), None), (Decimal("48000000.00"), 9001)]


def test_the_opd_rejects_a_pair_and_both_stay(operator_a, pasangan):
    client_for(operator_a).post(reverse("padanan_tolak", args=[pasangan.pk]))
    pasangan.refresh_from_db()
    assert (pasangan.status, pasangan.diputuskan_oleh) == (PadananSpse.Status.DITOLAK, operator_a)
    assert Pencatatan.objects.filter(pk__in=[pasangan.lokal_id, pasangan.spse_id]).count() == 2
    assert list(pasangan.history.values_list("status", flat=True)) == ["ditolak", "menunggu"]


def test_only_the_opd_and_the_admin_decide(pengawas, operator_b, pasangan):
    assert client_for(pengawas).post(reverse("padanan_konfirmasi", args=[pasangan.pk])).status_code == 403
    assert client_for(operator_b).post(reverse("padanan_tolak", args=[pasangan.pk])).status_code == 404
    pasangan.refresh_from_db()
    assert pasangan.status == PadananSpse.Status.MENUNGGU


def test_a_decided_pair_says_so(operator_a, opd_a, pasangan):
    client = client_for(operator_a)
    client.post(reverse("padanan_tolak", args=[pasangan.pk]))
    page = client.post(reverse("padanan_konfirmasi", args=[pasangan.pk]), follow=True)
    assert "Pasangan ini sudah diputuskan." in page.content.decode()


def test_the_page_shows_the_pair_with_its_two_buttons(operator_a, pengawas, opd_a, pasangan):
    html = client_for(operator_a).get(reverse("opd_rekonsiliasi", args=[opd_a.pk]), {"tahun": TAHUN}).content.decode()
    assert "Sama, gabungkan" in html and "Berbeda, biarkan terpisah" in html and "Servis AC (aplikasi)" in html
    html = client_for(pengawas).get(reverse("opd_rekonsiliasi", args=[opd_a.pk]), {"tahun": TAHUN}).content.decode()
    assert "Servis AC (aplikasi)" in html and "Sama, gabungkan" not in html  # the pengawas sees, the OPD decides


# --- query counts ----------------------------------------------------------------------------------------

# the session and the user, the year list, the three lists and their counts, the pending pairs: whatever
# the number of OPDs and records
QUERIES_RECONCILIATION = 10


@pytest.mark.parametrize("n_opd", [1, 3])
def test_city_reconciliation_query_count_is_constant(pengawas, django_assert_num_queries, n_opd):
    for _ in range(n_opd):
        opd = OpdFactory()
        PencatatanFactory(opd=opd)
        PencatatanFactory(opd=opd, kd_nontender_pct=None, sumber=Sumber.IMPOR)
        beda = PencatatanFactory(opd=opd, kd_nontender_pct=opd.pk + 7000, nilai_spse=spse_values(pagu="1.00"))
        lokal = PencatatanFactory(opd=opd, paket=list(beda.paket_rup.all()))
        PadananSpse.objects.create(lokal=lokal, spse=beda, kode_spse=beda.kd_pct, alasan="dua_calon")
    client = client_for(pengawas)
    client.get(reverse("beranda"))  # the session and the user are loaded once per request anyway
    with django_assert_num_queries(QUERIES_RECONCILIATION):
        page = client.get(reverse("rekonsiliasi"), {"tahun": TAHUN})
    assert page.context["counts"]["berbeda"] == n_opd
    assert len(page.context["pairs"]) == n_opd


@pytest.mark.parametrize("n", [1, 3])
def test_opd_reconciliation_query_count_is_constant(operator_a, opd_a, django_assert_num_queries, n):
    for i in range(n):
        PencatatanFactory(opd=opd_a)
        PencatatanFactory(opd=opd_a, kd_nontender_pct=6000 + i, sumber=Sumber.IMPOR)
        beda = PencatatanFactory(opd=opd_a, kd_nontender_pct=6100 + i, nilai_spse=spse_values(pagu="1.00"))
        RealisasiFactory(pencatatan=beda)
        lokal = PencatatanFactory(opd=opd_a, paket=list(beda.paket_rup.all()))
        PadananSpse.objects.create(lokal=lokal, spse=beda, kode_spse=beda.kd_pct, alasan="dua_calon")
    client = client_for(operator_a)
    client.get(reverse("beranda"))
    with django_assert_num_queries(QUERIES_RECONCILIATION + 1):  # and the OPD asked for
        page = client.get(reverse("opd_rekonsiliasi", args=[opd_a.pk]), {"tahun": TAHUN})
    assert page.context["counts"] == {"belum_spse": 2 * n, "hanya_spse": n, "berbeda": n}


# --- SPSE first, the app later ------------------------------------------------------------------------------


def test_an_app_record_entered_after_spse_is_listed_once_then_merged(admin, operator_a, opd_a):
    paket = PaketRupFactory(opd=opd_a, tahun_anggaran=2024, kd_rup=48120999, pagu=Decimal("45000000"))
    data = xlsx(NT_HEADER, [nt_row(opd_a, kd_rup="48120999", nama_paket="Belanja ATK Sekolah")])
    first = pipeline.run("nontender", data, "nt.xlsx", user=admin)
    assert (first.created, first.to_confirm) == (1, 0)
    spse = Pencatatan.objects.get(kd_nontender_pct=32601001)
    # later an operator records the same package in the app, not knowing SPSE has it
    lokal = services.pencatatan_create(
        user=operator_a,
        opd=opd_a,
        jenis="non_tender",
        tahun_anggaran=2024,
        data={"nama_paket": "ATK sekolah", "pagu": Decimal("45000000"), "mtd_pemilihan": "Pengadaan Langsung"},
        paket=[paket],
    )
    again = pipeline.run("nontender", data, "nt.xlsx", user=admin)
    assert (again.created, again.updated, again.unchanged, again.to_confirm) == (0, 0, 1, 1)
    pair = PadananSpse.objects.get()
    assert (pair.lokal_id, pair.spse_id, pair.alasan, pair.status) == (
        lokal.pk,
        spse.pk,
        PadananSpse.Alasan.SPSE_LEBIH_DULU,
        PadananSpse.Status.MENUNGGU,
    )
    third = pipeline.run("nontender", data, "nt.xlsx", user=admin)
    assert (third.to_confirm, PadananSpse.objects.count()) == (0, 1)  # listed once
    record = padanan.konfirmasi(user=operator_a, padanan=pair)
    assert (record.pk, record.kd_nontender_pct, record.nama_paket) == (lokal.pk, 32601001, "Belanja ATK Sekolah")
    assert pipeline.run("nontender", data, "nt.xlsx", user=admin).unchanged == 1
    assert Pencatatan.objects.filter(opd=opd_a).count() == 1
