"""Finishing a record asks first: a GET shows what was paid of the pagu, how many payments, and warns when
SPSE does not have the record yet; the POST to pencatatan_status still finishes it, for the PPK only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from pengadaan.models import Pencatatan, Status
from tests.conftest import client_for
from tests.factories import BuktiRealisasiFactory, PencatatanFactory, RealisasiFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def berjalan(opd_a):
    """Berjalan, pagu Rp 50.000.000, half paid in two payments with one proof file, not in SPSE."""
    record = PencatatanFactory(opd=opd_a, status=Status.BERJALAN, pagu=Decimal("50000000"), nama_paket="Kursi Kelas")
    first = RealisasiFactory(pencatatan=record, nilai_realisasi=Decimal("15000000"))
    RealisasiFactory(pencatatan=record, nilai_realisasi=Decimal("10000000"))
    BuktiRealisasiFactory(realisasi=first)
    return record


def test_selesai_get_summarises_payments_warns_without_spse_code_and_writes_nothing(ppk_a, berjalan):
    history = berjalan.history.count()
    response = client_for(ppk_a).get(reverse("pencatatan_selesai", args=[berjalan.pk]))
    assert response.status_code == 200
    assert response.templates[0].name == "pengadaan/pencatatan_confirm_selesai.html"
    content = response.content.decode()
    assert "Rp 25.000.000 dari pagu Rp 50.000.000 (50,0% dari pagu)" in content
    assert "2 pembayaran, 1 berkas bukti" in content
    assert "Belum ada kode SPSE — ITKP menghitung dari SPSE." in content
    assert f'<form method="post" action="{reverse("pencatatan_status", args=[berjalan.pk])}"' in content
    assert '<input type="hidden" name="status" value="selesai">' in content
    berjalan.refresh_from_db()
    assert (berjalan.status, berjalan.history.count()) == (Status.BERJALAN, history)


def test_selesai_get_shows_the_spse_code_without_warning(ppk_a, berjalan):
    Pencatatan.objects.filter(pk=berjalan.pk).update(kd_nontender_pct=98765432)
    content = client_for(ppk_a).get(reverse("pencatatan_selesai", args=[berjalan.pk])).content.decode()
    assert "<code>98765432</code>" in content
    assert "Belum ada kode SPSE" not in content


def test_selesai_get_is_refused_to_whoever_may_not_finish(operator_a, operator_b, ppk_a, opd_a):
    draft = PencatatanFactory(opd=opd_a, status=Status.DRAFT)
    berjalan = PencatatanFactory(opd=opd_a, status=Status.BERJALAN)
    assert [
        client_for(operator_a).get(reverse("pencatatan_selesai", args=[berjalan.pk])).status_code,
        client_for(operator_b).get(reverse("pencatatan_selesai", args=[berjalan.pk])).status_code,
        client_for(ppk_a).get(reverse("pencatatan_selesai", args=[draft.pk])).status_code,  # Draft → Selesai: none
    ] == [403, 404, 403]


def test_record_page_sends_the_ppk_to_the_confirmation_not_straight_to_selesai(ppk_a, berjalan):
    content = client_for(ppk_a).get(berjalan.get_absolute_url()).content.decode()
    url = reverse("pencatatan_selesai", args=[berjalan.pk])
    assert f'<a class="btn btn-success" href="{url}">Tandai selesai</a>' in content
    assert 'name="status" value="selesai"' not in content


def test_confirming_finishes_the_record(ppk_a, berjalan):
    response = client_for(ppk_a).post(reverse("pencatatan_status", args=[berjalan.pk]), {"status": "selesai"})
    assert response.url == berjalan.get_absolute_url()
    berjalan.refresh_from_db()
    assert berjalan.status == Status.SELESAI
