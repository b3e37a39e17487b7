"""Deleting asks first: a GET on the delete URL of a draft or a payment names what goes with it and deletes
nothing, with the same access rules as the POST that deletes. And a refused payment edit sent by htmx
comes back (422) in place of its own row."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from pengadaan.models import BuktiRealisasi, Pencatatan, Realisasi, Status
from tests.conftest import client_for
from tests.factories import BuktiRealisasiFactory, PencatatanFactory, RealisasiFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(opd_a):
    """A draft with two payments (Rp 10.000.000 and Rp 2.500.000) and three proof files."""
    record = PencatatanFactory(opd=opd_a, status=Status.DRAFT, nama_paket="Belanja Kursi Kelas")
    first = RealisasiFactory(pencatatan=record, no_realisasi="KW-001", nilai_realisasi=Decimal("10000000"))
    second = RealisasiFactory(pencatatan=record, no_realisasi="KW-002", nilai_realisasi=Decimal("2500000"))
    BuktiRealisasiFactory(realisasi=first)
    BuktiRealisasiFactory(realisasi=first)
    BuktiRealisasiFactory(realisasi=second, nama_asli="nota-kursi.pdf")
    return record


def test_draft_delete_get_names_what_goes_with_it_and_deletes_nothing(operator_a, draft):
    response = client_for(operator_a).get(reverse("pencatatan_delete", args=[draft.pk]))
    assert response.status_code == 200
    assert response.templates[0].name == "pengadaan/pencatatan_confirm_delete.html"
    content = response.content.decode()
    assert "Draft “Belanja Kursi Kelas” akan dihapus bersama:" in content
    assert "2 realisasi senilai Rp 12.500.000" in content
    assert "3 berkas bukti" in content
    assert "Ya, hapus draft" in content
    assert f'href="{draft.get_absolute_url()}"' in content  # Batal: back to the record
    assert (Pencatatan.objects.count(), Realisasi.objects.count(), BuktiRealisasi.objects.count()) == (1, 2, 3)


def test_draft_delete_get_of_a_draft_without_payments_says_none(operator_a, opd_a):
    empty = PencatatanFactory(opd=opd_a, status=Status.DRAFT)
    content = client_for(operator_a).get(reverse("pencatatan_delete", args=[empty.pk])).content.decode()
    assert "0 realisasi senilai Rp 0" in content
    assert "0 berkas bukti" in content


def test_draft_delete_post_deletes_the_draft_its_payments_and_proof_files(
    operator_a, draft, django_capture_on_commit_callbacks
):
    files = [b.berkas.name for b in BuktiRealisasi.objects.all()]
    assert all(default_storage.exists(name) for name in files)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(operator_a).post(reverse("pencatatan_delete", args=[draft.pk]), follow=True)
    assert response.redirect_chain == [(reverse("pencatatan_list"), 302)]
    assert "Draft “Belanja Kursi Kelas” dihapus." in response.content.decode()
    assert (Pencatatan.objects.count(), Realisasi.objects.count(), BuktiRealisasi.objects.count()) == (0, 0, 0)
    assert [name for name in files if default_storage.exists(name)] == []


def test_payment_delete_get_names_the_payment_and_deletes_nothing(operator_a, draft):
    payment = Realisasi.objects.get(no_realisasi="KW-002")
    response = client_for(operator_a).get(reverse("realisasi_delete", args=[payment.pk]))
    assert response.status_code == 200
    assert response.templates[0].name == "pengadaan/realisasi_confirm_delete.html"
    content = response.content.decode()
    assert "Realisasi berikut dari paket “Belanja Kursi Kelas” akan dihapus bersama berkas buktinya:" in content
    for shown in ("Kuitansi", "KW-002", "10 Mei 2026", "Rp 2.500.000", payment.penyedia.nama, "1 berkas bukti"):
        assert shown in content
    assert "nota-kursi.pdf" in content
    assert "Ya, hapus realisasi" in content
    assert (Realisasi.objects.count(), BuktiRealisasi.objects.count()) == (2, 3)


def test_payment_delete_post_deletes_the_payment_and_its_proof_only(operator_a, draft):
    payment = Realisasi.objects.get(no_realisasi="KW-002")
    response = client_for(operator_a).post(reverse("realisasi_delete", args=[payment.pk]), follow=True)
    assert response.redirect_chain == [(draft.get_absolute_url(), 302)]
    assert "Realisasi KW-002 dihapus." in response.content.decode()
    assert list(Realisasi.objects.values_list("no_realisasi", flat=True)) == ["KW-001"]
    assert BuktiRealisasi.objects.count() == 2


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("operator_a", 200), ("ppk_a", 200), ("operator_b", 404), ("pengawas", 403), ("admin", 200)],
)
def test_delete_confirmations_are_refused_as_the_deletes_are(personas, draft, persona, expected):
    client = client_for(personas[persona])
    payment = Realisasi.objects.get(no_realisasi="KW-001")
    got = [
        client.get(reverse("pencatatan_delete", args=[draft.pk])).status_code,
        client.get(reverse("realisasi_delete", args=[payment.pk])).status_code,
    ]
    assert got == [expected, expected]


def test_a_draft_no_longer_draft_cannot_be_asked_to_be_deleted(operator_a, opd_a):
    running = PencatatanFactory(opd=opd_a, status=Status.BERJALAN)
    done = RealisasiFactory(pencatatan=PencatatanFactory(opd=opd_a, status=Status.SELESAI))
    client = client_for(operator_a)
    assert client.get(reverse("pencatatan_delete", args=[running.pk])).status_code == 403
    assert client.get(reverse("realisasi_delete", args=[done.pk])).status_code == 403


def test_record_page_links_to_the_confirmations_instead_of_deleting_in_one_click(operator_a, draft):
    content = client_for(operator_a).get(draft.get_absolute_url()).content.decode()
    assert f'href="{reverse("pencatatan_delete", args=[draft.pk])}"' in content
    for payment in draft.realisasi.all():
        assert f'href="{reverse("realisasi_delete", args=[payment.pk])}"' in content
    assert "hx-confirm" not in content.replace('hx-confirm="Hapus bukti ini?"', "")  # only the proof's, an htmx form
    assert f'action="{reverse("pencatatan_delete", args=[draft.pk])}"' not in content


def test_htmx_payment_edit_refused_comes_back_422_in_place_of_its_row(operator_a, opd_a):
    record = PencatatanFactory(opd=opd_a, pagu=Decimal("5000000"))
    payment = RealisasiFactory(pencatatan=record, nilai_realisasi=Decimal("1000000"))
    data = {
        "jenis_realisasi": "kuitansi",
        "no_realisasi": payment.no_realisasi,
        "tgl_realisasi": "2026-05-10",
        "nilai_realisasi": "6000000",
    }
    url = reverse("realisasi_update", args=[payment.pk])
    response = client_for(operator_a).post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert (response["HX-Retarget"], response["HX-Reswap"]) == (f"#realisasi-{payment.pk}", "outerHTML")
    assert response.templates[0].name == "pengadaan/partials/realisasi_edit.html"
    assert "melebihi pagu" in response.content.decode()
    payment.refresh_from_db()
    assert payment.nilai_realisasi == Decimal("1000000")
    # without JavaScript the full page shows the same error (200, as every refused plain form here)
    plain = client_for(operator_a).post(url, data)
    assert (plain.status_code, plain.templates[0].name) == (200, "pengadaan/realisasi_form.html")
    assert "melebihi pagu" in plain.content.decode()


def test_delete_confirmations_read_in_english(operator_a, draft, settings):
    client = client_for(operator_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    record = client.get(reverse("pencatatan_delete", args=[draft.pk])).content.decode()
    for shown in (
        "Delete this draft?",
        "The draft “Belanja Kursi Kelas” will be deleted together with:",
        "2 payments totalling Rp 12.500.000",
        "3 proof files",
        "Yes, delete the draft",
        ">Cancel</a>",
    ):
        assert shown in record
    payment = Realisasi.objects.get(no_realisasi="KW-002")
    page = client.get(reverse("realisasi_delete", args=[payment.pk])).content.decode()
    for shown in (
        "Delete this payment?",
        "Proof type",
        "Receipt",
        "10 May 2026",
        "1 proof file",
        "Yes, delete the payment",
    ):
        assert shown in page
    assert "1 proof files" not in page
