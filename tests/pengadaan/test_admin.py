"""The Django admin keeps the rules of the record pages (DESIGN §4): the optimistic lock, RUP links of the
record's own OPD, year and kind, PPK/PPTK of the OPD, pagu and payments, proof files checked by content;
and a proof file leaves the disk with its row, however the row goes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pengadaan import services
from pengadaan.models import (
    BuktiRealisasi,
    JenisPencatatan,
    MetodologiItkp,
    PaketRup,
    Pencatatan,
    PencatatanRup,
    Realisasi,
    TipePaket,
)
from tests.conftest import client_for
from tests.factories import (
    PDF_BYTES,
    BuktiRealisasiFactory,
    PaketRupFactory,
    PencatatanFactory,
    RealisasiFactory,
    UserFactory,
)
from tests.security.test_history_every_write import admin_page_data


def url(model, page: str, *args) -> str:
    return reverse(f"admin:pengadaan_{model._meta.model_name}_{page}", args=args)


def post(client, address: str, **changes):
    """Open an admin add/change page and send it back with `changes`, as a person would."""
    return client.post(address, admin_page_data(client.get(address)) | {"_save": "Simpan"} | changes)


def errors_of(response) -> str:
    assert response.status_code == 200, "the form was saved, not shown again with errors"
    errors = [str(response.context["adminform"].form.errors)]
    for inline in response.context.get("inline_admin_formsets", []):
        errors += [str(inline.formset.errors), str(inline.formset.non_form_errors())]
    return " ".join(errors)


@pytest.fixture
def record(opd_a):
    return PencatatanFactory(opd=opd_a, pagu=Decimal("1000000"))


@pytest.fixture
def admin_client(admin):
    return client_for(admin)


# --- the optimistic lock ---------------------------------------------------------------------------------


def test_admin_save_over_a_newer_version_is_refused_and_says_who_changed_what(record, admin_client, operator_a):
    address = url(Pencatatan, "change", record.pk)
    opened = admin_page_data(admin_client.get(address))
    assert opened["versi_dimuat"] == "1"
    # meanwhile somebody saves the record on its page
    services.pencatatan_update(
        user=operator_a, pencatatan=record, versi=1, data={"nama_paket": "Nama dari operator"}, paket=[]
    )

    response = admin_client.post(address, opened | {"_save": "Simpan", "nama_paket": "Nama dari admin"})

    errors = errors_of(response)
    assert str(operator_a) in errors
    assert "nama paket" in errors
    assert "Buka ulang halaman ini" in errors
    record.refresh_from_db()
    assert (record.nama_paket, record.versi) == ("Nama dari operator", 2)


def test_admin_save_of_the_current_version_goes_through_and_counts_a_version(record, admin_client):
    response = post(admin_client, url(Pencatatan, "change", record.pk), nama_paket="Diubah admin")

    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.nama_paket, record.versi) == ("Diubah admin", 2)
    # the record page's form now expects version 2: a save made there from version 1 would be refused
    with pytest.raises(services.ConcurrentEditError):
        services.check_versi(record, 1)


def test_admin_revert_to_an_older_version_is_a_new_version(record, admin_client):
    post(admin_client, url(Pencatatan, "change", record.pk), nama_paket="Versi dua")
    oldest = record.history.order_by("history_date").first()
    address = reverse("admin:pengadaan_pencatatan_simple_history", args=[record.pk, oldest.history_id])

    response = admin_client.post(address, admin_page_data(admin_client.get(address)) | {"_save": "Simpan"})

    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.nama_paket, record.versi) == (oldest.nama_paket, 3)


# --- RUP links, people, pagu -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wrong",
    [
        pytest.param({"other_opd": True}, id="OPD lain"),
        pytest.param({"tahun_anggaran": 2025}, id="tahun lain"),
        pytest.param({"tipe_paket": TipePaket.SWAKELOLA, "metode_pengadaan": ""}, id="jenis lain"),
    ],
)
def test_admin_cannot_link_a_rup_package_of_another_opd_year_or_kind(record, admin_client, opd_b, wrong):
    fields = {k: v for k, v in wrong.items() if k != "other_opd"}
    paket = PaketRupFactory(opd=opd_b if wrong.get("other_opd") else record.opd, **fields)

    response = post(
        admin_client,
        url(Pencatatan, "change", record.pk),
        **{"tautan_rup-TOTAL_FORMS": "2", "tautan_rup-1-paket": str(paket.pk)},
    )

    assert f"Paket RUP {paket.kd_rup} bukan paket" in errors_of(response)
    assert not PencatatanRup.objects.filter(paket=paket).exists()


def test_admin_cannot_move_a_linked_record_to_another_opd(record, admin_client, opd_b):
    linked = record.paket_rup.get()

    response = post(admin_client, url(Pencatatan, "change", record.pk), opd=str(opd_b.pk))

    assert f"Paket RUP {linked.kd_rup} bukan paket" in errors_of(response)
    record.refresh_from_db()
    assert record.opd_id != opd_b.pk


def test_admin_cannot_move_a_linked_rup_package_to_another_opd(record, admin_client, opd_b):
    paket = record.paket_rup.get()

    response = admin_client.post(
        url(PaketRup, "change", paket.pk),
        admin_page_data(admin_client.get(url(PaketRup, "change", paket.pk))) | {"opd": str(opd_b.pk)},
    )

    assert f"Paket ini ditautkan ke pencatatan “{record.nama_paket}”" in errors_of(response)
    paket.refresh_from_db()
    assert paket.opd_id == record.opd_id
    # an unlinked package may move
    free = PaketRupFactory(opd=record.opd)
    data = admin_page_data(admin_client.get(url(PaketRup, "change", free.pk))) | {"opd": str(opd_b.pk)}
    assert admin_client.post(url(PaketRup, "change", free.pk), data).status_code == 302


def test_admin_adds_a_record_with_its_own_opds_package(admin_client, opd_a):
    paket = PaketRupFactory(opd=opd_a)
    response = post(
        admin_client,
        url(Pencatatan, "add"),
        opd=str(opd_a.pk),
        jenis=JenisPencatatan.NON_TENDER,
        tahun_anggaran="2026",
        nama_paket="Dari admin",
        pagu="1000000",
        status="draft",
        sumber="aplikasi",
        tgl_buat_paket="2026-03-01",
        **{"tautan_rup-TOTAL_FORMS": "1", "tautan_rup-0-paket": str(paket.pk)},
    )
    assert response.status_code == 302
    assert Pencatatan.objects.get(nama_paket="Dari admin").kd_rup == str(paket.kd_rup)


def test_admin_ppk_must_be_a_ppk_of_the_records_opd(record, admin_client, opd_b):
    other = UserFactory(peran="ppk", opd=opd_b)
    response = post(admin_client, url(Pencatatan, "change", record.pk), ppk=str(other.pk))
    assert "PPK harus pengguna berperan PPK di OPD ini." in errors_of(response)


def test_admin_pagu_cannot_drop_below_the_payments(record, admin_client):
    RealisasiFactory(pencatatan=record, nilai_realisasi=Decimal("600000"))
    response = post(admin_client, url(Pencatatan, "change", record.pk), pagu="500000")
    assert "Pagu tidak boleh di bawah total realisasi Rp 600.000." in errors_of(response)
    record.refresh_from_db()
    assert record.pagu == Decimal("1000000")


def test_admin_payment_within_pagu_and_not_in_the_future(record, admin_client):
    RealisasiFactory(pencatatan=record, nilai_realisasi=Decimal("600000"))
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    data = {
        "pencatatan": str(record.pk),
        "jenis_realisasi": "kuitansi",
        "no_realisasi": "KW-ADMIN",
        "tgl_realisasi": tomorrow.isoformat(),
        "nilai_realisasi": "500000",
        "tgl_dicatat": "2026-07-01",
    }

    errors = errors_of(post(admin_client, url(Realisasi, "add"), **data))

    assert "Tanggal realisasi tidak boleh di masa depan." in errors
    assert "Total realisasi Rp 1.100.000 melebihi pagu Rp 1.000.000. Sisa pagu: Rp 400.000." in errors
    ok = data | {"tgl_realisasi": "2026-06-01", "nilai_realisasi": "400000"}
    assert post(admin_client, url(Realisasi, "add"), **ok).status_code == 302
    assert record.realisasi.count() == 2


# --- proof files -----------------------------------------------------------------------------------------


def stored(bukti: BuktiRealisasi) -> Path:
    return Path(settings.MEDIA_ROOT) / bukti.berkas.name


def test_admin_proof_upload_is_checked_by_content(record, admin_client):
    payment = RealisasiFactory(pencatatan=record)
    fake = SimpleUploadedFile("kuitansi.pdf", b"MZ\x90\x00 not a pdf at all")

    response = post(admin_client, url(BuktiRealisasi, "add"), realisasi=str(payment.pk), berkas=fake)

    assert "Bukti harus berupa PDF, JPG atau PNG (diperiksa dari isi berkas)." in errors_of(response)
    assert not BuktiRealisasi.objects.exists()


def test_admin_proof_upload_is_size_limited(record, admin_client, settings):
    settings.BUKTI_MAX_BYTES = 100
    payment = RealisasiFactory(pencatatan=record)
    big = SimpleUploadedFile("kuitansi.pdf", PDF_BYTES + b"0" * 200)

    response = post(admin_client, url(BuktiRealisasi, "add"), realisasi=str(payment.pk), berkas=big)

    assert "Berkas terlalu besar" in errors_of(response)
    assert not BuktiRealisasi.objects.exists()


def test_admin_proof_upload_takes_its_type_size_and_uploader_from_the_file(record, admin_client, admin):
    payment = RealisasiFactory(pencatatan=record)
    upload = SimpleUploadedFile("Kuitansi Mei.pdf", PDF_BYTES)

    response = post(
        admin_client,
        url(BuktiRealisasi, "add"),
        realisasi=str(payment.pk),
        berkas=upload,
        tipe_konten="image/png",  # not a field of the form: ignored
        ukuran="1",
    )

    assert response.status_code == 302
    bukti = BuktiRealisasi.objects.get()
    assert (bukti.nama_asli, bukti.tipe_konten, bukti.ukuran, bukti.diunggah_oleh) == (
        "Kuitansi Mei.pdf",
        "application/pdf",
        len(PDF_BYTES),
        admin,
    )
    assert stored(bukti).read_bytes() == PDF_BYTES
    assert "Kuitansi" not in bukti.berkas.name  # stored under a random name


def test_a_proof_file_replaced_in_the_admin_leaves_the_disk(record, admin_client, django_capture_on_commit_callbacks):
    bukti = BuktiRealisasiFactory(realisasi=RealisasiFactory(pencatatan=record))
    old = stored(bukti)
    assert old.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            admin_client,
            url(BuktiRealisasi, "change", bukti.pk),
            berkas=SimpleUploadedFile("baru.pdf", PDF_BYTES + b"%baru"),
        )

    assert response.status_code == 302
    bukti.refresh_from_db()
    assert not old.exists()
    assert stored(bukti).read_bytes() == PDF_BYTES + b"%baru"


def test_saving_a_proof_without_a_new_file_keeps_the_file(record, admin_client, django_capture_on_commit_callbacks):
    bukti = BuktiRealisasiFactory(realisasi=RealisasiFactory(pencatatan=record))
    with django_capture_on_commit_callbacks(execute=True):
        response = post(admin_client, url(BuktiRealisasi, "change", bukti.pk), nama_asli="nama-baru.pdf")
    assert response.status_code == 302
    assert stored(bukti).read_bytes() == PDF_BYTES


def test_deleting_a_record_in_the_admin_deletes_its_proof_files(
    record, admin_client, django_capture_on_commit_callbacks
):
    files = [stored(BuktiRealisasiFactory(realisasi=RealisasiFactory(pencatatan=record))) for _ in range(2)]
    other = stored(BuktiRealisasiFactory(realisasi=RealisasiFactory(pencatatan=PencatatanFactory(opd=record.opd))))
    assert all(f.exists() for f in files)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url(Pencatatan, "delete", record.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Pencatatan.objects.filter(pk=record.pk).exists()
    assert [f.exists() for f in files] == [False, False]
    assert other.exists()


def test_a_delete_that_is_rolled_back_keeps_the_file(record, django_capture_on_commit_callbacks):
    bukti = BuktiRealisasiFactory(realisasi=RealisasiFactory(pencatatan=record))
    path = stored(bukti)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        bukti.delete()
    assert len(callbacks) == 1  # the deletion waits for the commit, which never comes here
    assert path.exists()


def test_admin_lists_show_years_and_rup_codes_without_a_thousands_separator(admin_client, opd_a):
    record = PencatatanFactory(opd=opd_a, tahun_anggaran=2026)  # and its PaketRup of 2026
    paket = record.paket_rup.get()
    paket.kd_rup = 51231710
    paket.save()
    pages = {
        name: admin_client.get(reverse(f"admin:pengadaan_{name}_changelist")).content.decode()
        for name in ("paketrup", "pencatatan", "metodologiitkp")
    }
    assert ['<td class="field-tahun_anggaran">2026</td>' in pages[n] for n in ("paketrup", "pencatatan")] == [
        True,
        True,
    ]
    assert ["2.026" in page for page in pages.values()] == [False, False, False]
    assert '/change/">51231710</a></th>' in pages["paketrup"]
    assert "51.231.710" not in pages["paketrup"]
    methodology_years = [str(y) for y in MetodologiItkp.objects.values_list("tahun_berlaku", flat=True)]
    assert [f'<td class="field-tahun_berlaku">{y}</td>' in pages["metodologiitkp"] for y in methodology_years] == [
        True
    ] * len(methodology_years)
