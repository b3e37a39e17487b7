"""The record and payment forms: the RUP picker's checkboxes, Rupiah amounts typed the Indonesian way,
NPWP shown formatted and accepted formatted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pengadaan.forms import RupiahField, rupiah_text
from pengadaan.models import Pencatatan
from tests.conftest import client_for
from tests.factories import PaketRupFactory, PencatatanFactory, PenyediaFactory, RealisasiFactory

TODAY = timezone.localdate()


def create_url(opd, **query) -> str:
    params = "&".join(f"{k}={v}" for k, v in {"tahun": TODAY.year, **query}.items())
    return reverse("pencatatan_create", args=[opd.pk, "non_tender"]) + "?" + params


def record_form(paket, **overrides) -> dict:
    return {
        "paket_rup": [p.pk for p in paket],
        "nama_paket": "Belanja ATK Sekolah",
        "pagu": "",
        "mtd_pemilihan": "Pengadaan Langsung",
        "kategori_pengadaan": "Barang",
        "bukti_pembayaran": "NonSPK",
        "sumber_dana": "APBD",
    } | overrides


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1.450.200", Decimal("1450200.00")),
        ("1450200", Decimal("1450200.00")),
        ("1.450.200,50", Decimal("1450200.50")),
        (" Rp 1.450.200 ", Decimal("1450200.00")),
        ("27298500.00", Decimal("27298500.00")),  # what the forms showed before
    ],
)
def test_rupiah_field_reads_indonesian_amounts(typed, amount):
    assert RupiahField(max_digits=18, decimal_places=2).clean(typed) == amount


def test_rupiah_field_refuses_text_in_indonesian():
    field = RupiahField(max_digits=18, decimal_places=2)
    with pytest.raises(Exception) as excinfo:
        field.clean("satu juta")
    assert excinfo.value.messages == ["Angka 'satu juta' tidak dapat dibaca."]


def test_rupiah_text_groups_thousands_and_shows_sen_only_when_there_are_some():
    assert [rupiah_text(Decimal(v)) for v in ("27298500.00", "1450200.50", "0", "-5000")] == [
        "27.298.500",
        "1.450.200,50",
        "0",
        "-5.000",
    ]


def test_rup_picker_is_a_list_of_checkboxes_with_code_name_pagu_and_month(operator_a, opd_a):
    paket = PaketRupFactory(
        opd=opd_a,
        tahun_anggaran=TODAY.year,
        kd_rup=48000100,
        nama_paket="Belanja ATK Sekolah",
        pagu=Decimal("45000000"),
        tgl_awal_pemilihan=dt.date(TODAY.year, 3, 1),
    )
    content = client_for(operator_a).get(create_url(opd_a)).content.decode()
    assert (
        f'<input type="checkbox" name="paket_rup" value="{paket.pk}" id="id_paket_rup_0" class="form-check-input" '
        'data-nama="Belanja ATK Sekolah" data-pagu="45000000.00">'
    ) in content
    assert "Rp 45.000.000 · rencana Mar " + str(TODAY.year) in content
    assert "Tahan Ctrl" not in content
    assert content.count('src="/static/js/rup-picker.js"') == 1


def test_rup_picker_keeps_the_packages_named_in_the_address_chosen(operator_a, opd_a):
    first = PaketRupFactory(opd=opd_a, tahun_anggaran=TODAY.year)
    PaketRupFactory(opd=opd_a, tahun_anggaran=TODAY.year)
    form = client_for(operator_a).get(create_url(opd_a, paket=first.pk)).context["form"]
    chosen = [w.data["value"] for w in form["paket_rup"] if w.data["selected"]]
    assert [str(v) for v in chosen] == [str(first.pk)]


def test_pagu_left_empty_is_the_sum_of_the_chosen_packages(operator_a, opd_a):
    paket = [
        PaketRupFactory(opd=opd_a, tahun_anggaran=TODAY.year, pagu=Decimal("45000000")),
        PaketRupFactory(opd=opd_a, tahun_anggaran=TODAY.year, pagu=Decimal("5000000.50")),
    ]
    client_for(operator_a).post(create_url(opd_a), record_form(paket))
    assert Pencatatan.objects.get().pagu == Decimal("50000000.50")


def test_record_form_reads_amounts_with_thousands_separators(operator_a, opd_a):
    paket = PaketRupFactory(opd=opd_a, tahun_anggaran=TODAY.year, pagu=Decimal("45000000"))
    data = record_form([paket], pagu="1.450.200", nilai_pdn_pct="1.000.000,50", nilai_umk_pct="250000")
    response = client_for(operator_a).post(create_url(opd_a), data)
    assert response.status_code == 302
    record = Pencatatan.objects.get()
    assert (record.pagu, record.nilai_pdn_pct, record.nilai_umk_pct) == (
        Decimal("1450200.00"),
        Decimal("1000000.50"),
        Decimal("250000.00"),
    )


def test_record_form_refuses_an_unreadable_amount_at_its_field(operator_a, opd_a):
    paket = PaketRupFactory(opd=opd_a, tahun_anggaran=TODAY.year)
    response = client_for(operator_a).post(create_url(opd_a), record_form([paket], pagu="1.45.200"))
    assert response.context["form"].errors == {"pagu": ["Angka '1.45.200' tidak dapat dibaca."]}
    assert Pencatatan.objects.count() == 0


def test_record_edit_form_shows_amounts_with_thousands_separators(operator_a, opd_a):
    record = PencatatanFactory(opd=opd_a, pagu=Decimal("27298500.00"), nilai_pdn_pct=Decimal("1450200.50"))
    content = client_for(operator_a).get(reverse("pencatatan_update", args=[record.pk])).content.decode()
    assert 'name="pagu" value="27.298.500"' in content
    assert 'name="nilai_pdn_pct" value="1.450.200,50"' in content


def test_inline_payment_edit_shows_the_amount_grouped_and_the_npwp_formatted(operator_a, opd_a):
    record = PencatatanFactory(opd=opd_a)
    realisasi = RealisasiFactory(
        pencatatan=record, nilai_realisasi=Decimal("27298500.00"), penyedia=PenyediaFactory(npwp="012345678901234")
    )
    response = client_for(operator_a).get(reverse("realisasi_update", args=[realisasi.pk]), HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert 'value="27.298.500"' in content
    assert 'value="01.234.567.8-901.234"' in content
    assert "27298500.00" not in content


def test_inline_payment_edit_accepts_formatted_amount_and_npwp(operator_a, opd_a):
    record = PencatatanFactory(opd=opd_a, pagu=Decimal("50000000"))
    realisasi = RealisasiFactory(pencatatan=record, nilai_realisasi=Decimal("10000000"))
    data = {
        "jenis_realisasi": realisasi.jenis_realisasi,
        "no_realisasi": realisasi.no_realisasi,
        "tgl_realisasi": realisasi.tgl_realisasi.isoformat(),
        "nilai_realisasi": "27.298.500",
        "nama_penyedia": "CV Maju Jaya",
        "npwp_penyedia": "01.234.567.8-901.234",
    }
    response = client_for(operator_a).post(reverse("realisasi_update", args=[realisasi.pk]), data)
    assert response.status_code == 302
    realisasi.refresh_from_db()
    assert (realisasi.nilai_realisasi, realisasi.penyedia.npwp) == (Decimal("27298500.00"), "012345678901234")


def test_payment_form_refuses_a_wrong_npwp_at_its_field(operator_a, opd_a):
    record = PencatatanFactory(opd=opd_a)
    data = {
        "jenis_realisasi": "kuitansi",
        "no_realisasi": "KW-1",
        "tgl_realisasi": TODAY.isoformat(),
        "nilai_realisasi": "1.000.000",
        "nama_penyedia": "CV Maju Jaya",
        "npwp_penyedia": "01.234",
    }
    response = client_for(operator_a).post(reverse("realisasi_add", args=[record.pk]), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert response.context["realisasi_form"].errors == {
        "npwp_penyedia": ["NPWP harus 15 atau 16 angka (tertulis 5 angka)."]
    }
