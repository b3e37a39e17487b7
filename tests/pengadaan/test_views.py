"""Pencatatan screens: create, edit (with the concurrent-edit refusal), payments with htmx,
proof downloads, exports, write permissions and pinned query counts."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pengadaan import services
from pengadaan.models import JenisPencatatan, Pencatatan, Realisasi, Status
from tests.conftest import client_for
from tests.factories import (
    PDF_BYTES,
    BuktiRealisasiFactory,
    PaketRupFactory,
    PencatatanFactory,
    RealisasiFactory,
)
from tests.security.test_history_every_write import form_data

TODAY = timezone.localdate()


def record_form(paket, **overrides):
    data = {
        "paket_rup": [paket.pk],
        "nama_paket": "Belanja ATK Sekolah",
        "pagu": "",
        "mtd_pemilihan": "Pengadaan Langsung",
        "kategori_pengadaan": "Barang",
        "bukti_pembayaran": "NonSPK",
        "sumber_dana": "APBD",
    }
    data.update(overrides)
    return data


def test_operator_creates_a_record_in_the_browser_form(operator_a, opd_a):
    paket = PaketRupFactory(opd=opd_a, tahun_anggaran=TODAY.year, pagu=Decimal("45000000"))
    url = reverse("pencatatan_create", args=[opd_a.pk, "non_tender"]) + f"?tahun={TODAY.year}"
    response = client_for(operator_a).post(url, record_form(paket))
    pencatatan = Pencatatan.objects.get()
    assert response.url == pencatatan.get_absolute_url()
    assert (pencatatan.pagu, pencatatan.status, pencatatan.dibuat_oleh) == (
        Decimal("45000000"),
        Status.DRAFT,
        operator_a,
    )


def test_rup_picker_offers_only_own_packages_of_the_kind_and_year_not_yet_recorded_first(operator_a, opd_a, opd_b):
    year = TODAY.year
    recorded = PaketRupFactory(opd=opd_a, tahun_anggaran=year, kd_rup=1)
    PencatatanFactory(opd=opd_a, tahun_anggaran=year, paket=[recorded])
    fresh = PaketRupFactory(opd=opd_a, tahun_anggaran=year, kd_rup=2)
    PaketRupFactory(opd=opd_b, tahun_anggaran=year)  # other OPD
    PaketRupFactory(opd=opd_a, tahun_anggaran=year - 1)  # other year
    PaketRupFactory(opd=opd_a, tahun_anggaran=year, tipe_paket="Swakelola")  # other kind
    PaketRupFactory(opd=opd_a, tahun_anggaran=year, metode_pengadaan="Tender")  # not non tender
    url = reverse("pencatatan_create", args=[opd_a.pk, "non_tender"]) + f"?tahun={year}"
    form = client_for(operator_a).get(url).context["form"]
    assert list(form.fields["paket_rup"].queryset) == [fresh, recorded]


def test_form_shows_a_clear_error_for_a_missing_method(operator_a, opd_a):
    paket = PaketRupFactory(opd=opd_a, tahun_anggaran=TODAY.year)
    url = reverse("pencatatan_create", args=[opd_a.pk, "non_tender"]) + f"?tahun={TODAY.year}"
    response = client_for(operator_a).post(url, record_form(paket, mtd_pemilihan=""))
    assert response.status_code == 200
    assert response.context["form"].errors == {"mtd_pemilihan": ["Bidang ini tidak boleh kosong."]}
    assert Pencatatan.objects.count() == 0


def test_second_editor_gets_a_conflict_page_showing_what_changed(operator_a, ppk_a, opd_a):
    pencatatan = PencatatanFactory(opd=opd_a, tahun_anggaran=TODAY.year, nama_paket="ATK")
    paket = pencatatan.paket_rup.get()
    url = reverse("pencatatan_update", args=[pencatatan.pk])
    versi = client_for(operator_a).get(url).context["form"].initial["versi"]
    first = client_for(ppk_a).post(url, record_form(paket, nama_paket="ATK Triwulan I", pagu="50000000", versi=versi))
    assert first.status_code == 302
    second = client_for(operator_a).post(
        url, record_form(paket, nama_paket="ATK", sumber_dana="BLUD", pagu="50000000", versi=versi)
    )
    assert second.status_code == 409
    content = second.content.decode()
    assert "sudah diubah oleh" in content
    assert "ATK Triwulan I" in content
    pencatatan.refresh_from_db()
    assert (pencatatan.nama_paket, pencatatan.sumber_dana) == ("ATK Triwulan I", "APBD")
    # saving once more, deliberately, goes through
    third = client_for(operator_a).post(url, second.context["form"].data)
    assert third.status_code == 302
    pencatatan.refresh_from_db()
    assert pencatatan.sumber_dana == "BLUD"


def test_htmx_payment_add_returns_the_payments_section_with_running_total(operator_a, opd_a):
    pencatatan = PencatatanFactory(opd=opd_a, pagu=Decimal("30000000"))
    client = client_for(operator_a)
    url = reverse("realisasi_add", args=[pencatatan.pk])
    upload = io.BytesIO(PDF_BYTES)
    upload.name = "kuitansi.pdf"
    response = client.post(
        url,
        {
            "jenis_realisasi": "kuitansi",
            "no_realisasi": "KW-01",
            "tgl_realisasi": TODAY.isoformat(),
            "nilai_realisasi": "12500000",
            "nama_penyedia": "CV Maju Jaya",
            "npwp_penyedia": "01.234.567.8-901.234",
            "berkas": upload,
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.templates[0].name == "pengadaan/partials/realisasi_section.html"
    content = response.content.decode()
    assert "Rp 12.500.000" in content
    assert "Rp 17.500.000" in content  # remaining pagu
    realisasi = Realisasi.objects.get()
    assert realisasi.bukti.get().nama_asli == "kuitansi.pdf"


def test_htmx_payment_above_pagu_shows_the_error_and_writes_nothing(operator_a, opd_a):
    pencatatan = PencatatanFactory(opd=opd_a, pagu=Decimal("1000000"))
    response = client_for(operator_a).post(
        reverse("realisasi_add", args=[pencatatan.pk]),
        {
            "jenis_realisasi": "kuitansi",
            "no_realisasi": "KW-01",
            "tgl_realisasi": TODAY.isoformat(),
            "nilai_realisasi": "2000000",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "melebihi pagu" in response.content.decode()
    assert Realisasi.objects.count() == 0


def test_a_bad_proof_file_rolls_back_its_payment(operator_a, opd_a):
    pencatatan = PencatatanFactory(opd=opd_a)
    upload = io.BytesIO(b"MZ not a pdf")
    upload.name = "kuitansi.pdf"
    response = client_for(operator_a).post(
        reverse("realisasi_add", args=[pencatatan.pk]),
        {
            "jenis_realisasi": "kuitansi",
            "no_realisasi": "KW-01",
            "tgl_realisasi": TODAY.isoformat(),
            "nilai_realisasi": "1000",
            "berkas": upload,
        },
    )
    assert "Bukti harus berupa PDF, JPG atau PNG" in response.content.decode()
    assert Realisasi.objects.count() == 0


def test_proof_download_serves_the_file(operator_a, pengawas, operator_b, opd_a):
    bukti = BuktiRealisasiFactory(realisasi__pencatatan__opd=opd_a)
    url = reverse("bukti_unduh", args=[bukti.pk])
    response = client_for(pengawas).get(url)
    assert (response.status_code, b"".join(response.streaming_content)) == (200, PDF_BYTES)
    assert response["Content-Type"] == "application/pdf"
    assert client_for(operator_b).get(url).status_code == 404


def test_export_csv_is_scoped_and_typed(operator_a, opd_a, opd_b):
    mine = PencatatanFactory(opd=opd_a, nama_paket='=HYPERLINK("x")', pagu=Decimal("1450200"))
    RealisasiFactory(pencatatan=mine, nilai_realisasi=Decimal("1000000"))
    PencatatanFactory(opd=opd_b, nama_paket="Paket OPD lain")
    response = client_for(operator_a).get(reverse("pencatatan_list") + "?_export=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["nama_paket"] == '\'=HYPERLINK("x")'
    assert (rows[0]["pagu"], rows[0]["total_realisasi"], rows[0]["tgl_buat_paket"]) == (
        "1450200.00",
        "1000000.00",
        "2026-04-01",
    )
    assert rows[0]["kd_satker"] == opd_a.kd_satker


def test_list_filters_by_status_and_search(operator_a, opd_a):
    PencatatanFactory(opd=opd_a, nama_paket="Belanja ATK", status=Status.DRAFT)
    PencatatanFactory(opd=opd_a, nama_paket="Jasa kebersihan", status=Status.BERJALAN)
    response = client_for(operator_a).get(reverse("pencatatan_list"), {"status": "draft", "q": "atk"})
    assert [r.record.nama_paket for r in response.context["table"].page.object_list] == ["Belanja ATK"]


# --- write permissions (POST) -------------------------------------------------------------

WRITE_CASES = [
    # (url name, persona, expected status)
    ("pencatatan_status", "operator_b", 404),
    ("pencatatan_status", "pengawas", 403),
    ("pencatatan_status", "operator_a", 403),  # Berjalan → Selesai is the PPK's
    ("pencatatan_status", "ppk_a", 302),
    ("realisasi_add", "operator_b", 404),
    ("realisasi_add", "pengawas", 403),
    ("pencatatan_delete", "operator_b", 404),
    ("pencatatan_delete", "pengawas", 403),
    ("realisasi_delete", "operator_b", 404),
    ("realisasi_delete", "pengawas", 403),
    ("realisasi_delete", "operator_a", 302),
    ("bukti_delete", "operator_b", 404),
    ("bukti_delete", "pengawas", 403),
    ("bukti_delete", "operator_a", 302),
    ("bukti_add", "operator_b", 404),
    ("bukti_add", "pengawas", 403),
]


@pytest.mark.parametrize(("url_name", "persona", "expected"), WRITE_CASES)
def test_write_permissions(request, opd_a, url_name, persona, expected):
    bukti = BuktiRealisasiFactory(realisasi__pencatatan__opd=opd_a)
    pencatatan = bukti.realisasi.pencatatan
    target = {
        "pencatatan_status": pencatatan.pk,
        "realisasi_add": pencatatan.pk,
        "pencatatan_delete": pencatatan.pk,
        "realisasi_delete": bukti.realisasi.pk,
        "bukti_delete": bukti.pk,
        "bukti_add": bukti.realisasi.pk,
    }[url_name]
    user = request.getfixturevalue(persona)
    response = client_for(user).post(reverse(url_name, args=[target]), {"status": "selesai"})
    assert response.status_code == expected


# --- query counts -------------------------------------------------------------------------

# Saving a record's edit form: session, user, the record and its packages 2, the form's package choices 2
# (linked, offered); the service: a savepoint, the locked record, its OPD, the OPD and author still exist 2,
# the model's 7 check constraints (savepoint, check, release each) 21, the update, its history row, the
# summary's generation, the links 2, release = 38, whatever the packages. (The payments total is read only
# when the pagu is changed: the pagu rule judges what a person enters, DESIGN §4.)
# The model is validated once, by the service (forms.ServiceValidatedForm); it used to be twice (55).
QUERIES_EDIT_SAVE = 38


@pytest.mark.parametrize("n", [1, 3])
def test_list_query_count_is_constant(pengawas, django_assert_num_queries, n):
    for _ in range(n):
        RealisasiFactory()
    client = client_for(pengawas)
    # session, user, years (RUP, records), OPD filter choices, count, page
    with django_assert_num_queries(7):
        response = client.get(reverse("pencatatan_list"))
    assert len(response.context["table"].page.object_list) == n


@pytest.mark.parametrize("n", [1, 3])
def test_detail_query_count_is_constant(operator_a, opd_a, django_assert_num_queries, n):
    pencatatan = PencatatanFactory(opd=opd_a)
    for _ in range(n):
        BuktiRealisasiFactory(realisasi__pencatatan=pencatatan, realisasi__nilai_realisasi=Decimal("1000"))
    client = client_for(operator_a)
    # session, user, record, its RUP packages, payments, their proof, 3 history tables, OPD PPK/PPTK choices,
    # its data-quality notes
    with django_assert_num_queries(10):
        response = client.get(reverse("pencatatan_detail", args=[pencatatan.pk]))
    assert len(response.context["realisasi"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_edit_save_query_count_is_constant(operator_a, opd_a, django_assert_num_queries, n):
    paket = [PaketRupFactory(opd=opd_a) for _ in range(n)]
    record = services.pencatatan_create(
        user=operator_a,
        opd=opd_a,
        jenis=JenisPencatatan.NON_TENDER,
        tahun_anggaran=2026,
        data={"nama_paket": "Laptop", "mtd_pemilihan": "Pengadaan Langsung", "kategori_pengadaan": "Barang"},
        paket=paket,
    )
    client = client_for(operator_a)
    url = reverse("pencatatan_update", args=[record.pk])
    data = form_data(client.get(url).context["form"]) | {"nama_paket": "Laptop sekolah"}
    with django_assert_num_queries(QUERIES_EDIT_SAVE):
        response = client.post(url, data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.nama_paket, record.versi, record.paket_rup.count()) == ("Laptop sekolah", 2, n)


def test_element_ids_and_links_carry_no_thousands_separator(operator_a, opd_a):
    """Indonesian formatting writes 21045 as "21.045": an id or a query string so written breaks htmx's
    target (a refused edit then showed nothing once a database passed 1,000 payments) and links."""
    pencatatan = PencatatanFactory(opd=opd_a, pk=9765)
    payment = RealisasiFactory(pencatatan=pencatatan, pk=21045, nilai_realisasi=Decimal("1000"))
    client = client_for(operator_a)
    url = reverse("realisasi_update", args=[payment.pk])
    row = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert '<tr id="realisasi-21045">' in row
    data = {"jenis_realisasi": "kuitansi", "no_realisasi": "KW", "tgl_realisasi": "2026-01-05", "nilai_realisasi": "-1"}
    refused = client.post(url, data, headers={"HX-Request": "true"})
    assert (refused.status_code, refused["HX-Retarget"]) == (422, "#realisasi-21045")
    assert '<tr id="realisasi-21045">' in refused.content.decode()
    page = client.get(pencatatan.get_absolute_url()).content.decode()
    assert 'hx-target="#realisasi-21045"' in page
    detail = client.get(reverse("opd_detail", args=[opd_a.pk])).content.decode()
    assert f"?opd={opd_a.pk}" in detail
