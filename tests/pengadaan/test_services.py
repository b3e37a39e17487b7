"""Every rule of DESIGN §4, each with a passing and a failing case, through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone

from pengadaan import services
from pengadaan.cleaning import html_to_text
from pengadaan.models import (
    JenisPencatatan,
    JenisRealisasi,
    MetodePemilihan,
    Pencatatan,
    Realisasi,
    Status,
    TipePaket,
)
from spse_tracker.formats import format_npwp
from tests.factories import PDF_BYTES, PNG_BYTES, OpdFactory, PaketRupFactory, PencatatanFactory, RealisasiFactory

TODAY = timezone.localdate()
NON_TENDER = {
    "nama_paket": "Belanja ATK",
    "mtd_pemilihan": MetodePemilihan.PENGADAAN_LANGSUNG,
    "kategori_pengadaan": "Barang",
}


def create(user, opd, paket, **data):
    return services.pencatatan_create(
        user=user,
        opd=opd,
        jenis=data.pop("jenis", JenisPencatatan.NON_TENDER),
        tahun_anggaran=data.pop("tahun", 2026),
        data={**NON_TENDER, **data},
        paket=paket,
    )


def payment(**overrides):
    data = {
        "jenis_realisasi": JenisRealisasi.KUITANSI,
        "no_realisasi": "KW-001",
        "tgl_realisasi": TODAY,
        "nilai_realisasi": Decimal("1000000"),
    }
    data.update(overrides)
    return data


@pytest.fixture
def paket_a(opd_a):
    return PaketRupFactory(opd=opd_a, pagu=Decimal("30000000"))


@pytest.fixture
def record(operator_a, opd_a, paket_a):
    return create(operator_a, opd_a, [paket_a])


# --- creation and RUP links --------------------------------------------------------------


def test_create_defaults_pagu_to_sum_of_linked_packages(operator_a, opd_a):
    first = PaketRupFactory(opd=opd_a, kd_rup=60000002, pagu=Decimal("30000000"))
    second = PaketRupFactory(opd=opd_a, kd_rup=60000001, pagu=Decimal("12500000.50"))
    pencatatan = create(operator_a, opd_a, [first, second])
    assert pencatatan.pagu == Decimal("42500000.50")
    assert pencatatan.kd_rup == "60000001;60000002"
    assert pencatatan.status == Status.DRAFT
    assert pencatatan.tgl_buat_paket == TODAY
    assert set(pencatatan.paket_rup.all()) == {first, second}


def test_create_keeps_a_pagu_typed_by_the_user(operator_a, opd_a, paket_a):
    assert create(operator_a, opd_a, [paket_a], pagu=Decimal("25000000")).pagu == Decimal("25000000")


@pytest.mark.parametrize(
    "paket_kwargs",
    [
        {"opd": "other"},
        {"tahun_anggaran": 2025},
        {"tipe_paket": TipePaket.SWAKELOLA},
    ],
    ids=["other-opd", "other-year", "other-kind"],
)
def test_create_refuses_rup_of_other_opd_year_or_kind(operator_a, opd_a, paket_kwargs):
    kwargs = {"opd": opd_a, **paket_kwargs}
    if kwargs["opd"] == "other":
        kwargs["opd"] = OpdFactory()
    paket = PaketRupFactory(**kwargs)
    with pytest.raises(ValidationError) as excinfo:
        create(operator_a, opd_a, [paket])
    assert list(excinfo.value.message_dict) == ["paket_rup"]
    assert str(paket.kd_rup) in excinfo.value.message_dict["paket_rup"][0]
    assert Pencatatan.objects.count() == 0


def test_swakelola_links_swakelola_packages(operator_a, opd_a):
    paket = PaketRupFactory(opd=opd_a, tipe_paket=TipePaket.SWAKELOLA, metode_pengadaan="")
    pencatatan = services.pencatatan_create(
        user=operator_a,
        opd=opd_a,
        jenis=JenisPencatatan.SWAKELOLA,
        tahun_anggaran=2026,
        data={"nama_paket": "Swakelola kebersihan", "tipe_swakelola": 1},
        paket=[paket],
    )
    assert pencatatan.jenis == JenisPencatatan.SWAKELOLA


def test_create_by_pengawas_or_other_opd_is_refused(pengawas, operator_b, opd_a, paket_a):
    for user in (pengawas, operator_b):
        with pytest.raises(PermissionDenied):
            create(user, opd_a, [paket_a])
    assert Pencatatan.objects.count() == 0


# --- money, dates, NPWP, HTML --------------------------------------------------------------


def test_negative_pagu_is_refused(operator_a, opd_a, paket_a):
    with pytest.raises(ValidationError) as excinfo:
        create(operator_a, opd_a, [paket_a], pagu=Decimal("-1"))
    assert "__all__" in excinfo.value.message_dict or "pagu" in excinfo.value.message_dict


def test_negative_money_is_refused_by_the_database(opd_a):
    with pytest.raises(IntegrityError):
        PencatatanFactory(opd=opd_a, pagu=Decimal("-5"))


def test_payment_within_pagu_is_saved(operator_a, record):
    services.realisasi_add(user=operator_a, pencatatan=record, data=payment(nilai_realisasi=Decimal("30000000")))
    assert Realisasi.objects.get().nilai_realisasi == Decimal("30000000")


def test_payment_above_pagu_is_refused_with_remaining_amount(operator_a, record):
    services.realisasi_add(user=operator_a, pencatatan=record, data=payment(nilai_realisasi=Decimal("20000000")))
    with pytest.raises(ValidationError) as excinfo:
        services.realisasi_add(
            user=operator_a,
            pencatatan=record,
            data=payment(no_realisasi="KW-002", nilai_realisasi=Decimal("10000000.01")),
        )
    assert excinfo.value.message_dict == {
        "nilai_realisasi": ["Total realisasi Rp 30.000.000,01 melebihi pagu Rp 30.000.000. Sisa pagu: Rp 10.000.000."]
    }
    assert Realisasi.objects.count() == 1


def test_editing_a_payment_above_pagu_is_refused(operator_a, record):
    realisasi = services.realisasi_add(user=operator_a, pencatatan=record, data=payment())
    with pytest.raises(ValidationError):
        services.realisasi_update(
            user=operator_a, realisasi=realisasi, data=payment(nilai_realisasi=Decimal("30000001"))
        )
    realisasi.refresh_from_db()
    assert realisasi.nilai_realisasi == Decimal("1000000")


def test_lowering_pagu_below_total_realisasi_is_refused(operator_a, record):
    services.realisasi_add(user=operator_a, pencatatan=record, data=payment(nilai_realisasi=Decimal("20000000")))
    with pytest.raises(ValidationError) as excinfo:
        services.pencatatan_update(
            user=operator_a,
            pencatatan=record,
            versi=record.versi,
            data={"pagu": Decimal("19000000")},
            paket=list(record.paket_rup.all()),
        )
    assert list(excinfo.value.message_dict) == ["pagu"]


def test_payment_dated_in_the_future_is_refused(operator_a, record):
    with pytest.raises(ValidationError) as excinfo:
        services.realisasi_add(
            user=operator_a, pencatatan=record, data=payment(tgl_realisasi=TODAY + dt.timedelta(days=1))
        )
    assert excinfo.value.message_dict == {"tgl_realisasi": ["Tanggal realisasi tidak boleh di masa depan."]}


def test_payment_dated_today_records_today_as_first_recorded(operator_a, record):
    realisasi = services.realisasi_add(user=operator_a, pencatatan=record, data=payment(tgl_realisasi=TODAY))
    assert realisasi.tgl_dicatat == TODAY


def test_contract_end_may_precede_the_recording_date(operator_a, opd_a, paket_a):
    pencatatan = create(
        operator_a, opd_a, [paket_a], tgl_mulai_paket=dt.date(2026, 1, 5), tgl_selesai_paket=dt.date(2026, 2, 5)
    )
    assert pencatatan.tgl_selesai_paket < pencatatan.tgl_buat_paket


def test_contract_end_before_its_start_is_refused(operator_a, opd_a, paket_a):
    with pytest.raises(ValidationError) as excinfo:
        create(operator_a, opd_a, [paket_a], tgl_mulai_paket=dt.date(2026, 3, 5), tgl_selesai_paket=dt.date(2026, 2, 5))
    assert excinfo.value.messages == ["Tanggal selesai tidak boleh sebelum tanggal mulai."]


def test_npwp_is_normalised_and_shown_formatted(operator_a, record):
    realisasi = services.realisasi_add(
        user=operator_a,
        pencatatan=record,
        data=payment(),
        nama_penyedia="CV Maju",
        npwp_penyedia="01.234.567.8-901.234",
    )
    assert realisasi.penyedia.npwp == "012345678901234"
    assert realisasi.penyedia.npwp_tampil == "01.234.567.8-901.234"
    assert format_npwp("1234567890123456") == "1234 5678 9012 3456"


def test_npwp_of_wrong_length_is_refused(operator_a, record):
    with pytest.raises(ValidationError) as excinfo:
        services.realisasi_add(
            user=operator_a, pencatatan=record, data=payment(), nama_penyedia="CV Maju", npwp_penyedia="01.234.567"
        )
    assert excinfo.value.message_dict == {"npwp_penyedia": ["NPWP harus 15 atau 16 angka (tertulis 8 angka)."]}
    assert Realisasi.objects.count() == 0


def test_same_npwp_is_one_supplier(operator_a, record):
    first = services.realisasi_add(
        user=operator_a, pencatatan=record, data=payment(), nama_penyedia="CV A", npwp_penyedia="012345678901234"
    )
    second = services.realisasi_add(
        user=operator_a,
        pencatatan=record,
        data=payment(no_realisasi="KW-2"),
        nama_penyedia="CV A",
        npwp_penyedia="01.234.567.8-901.234",
    )
    assert first.penyedia_id == second.penyedia_id


def test_uraian_html_is_stored_as_plain_text(operator_a, opd_a, paket_a):
    html = "<p>Pengadaan <b>ATK</b> &amp; kertas</p><script>alert(1)</script><ul><li>pena</li><li>map</li></ul>"
    pencatatan = create(operator_a, opd_a, [paket_a], uraian_pekerjaan=html)
    assert pencatatan.uraian_pekerjaan == "Pengadaan ATK & kertas\npena\nmap"
    assert html_to_text(None) == ""


# --- status machine -----------------------------------------------------------------------

TRANSITION_CASES = [
    # (persona, from, to, allowed)
    ("operator_a", Status.DRAFT, Status.BERJALAN, True),
    ("ppk_a", Status.DRAFT, Status.BERJALAN, True),
    ("operator_b", Status.DRAFT, Status.BERJALAN, False),
    ("pengawas", Status.DRAFT, Status.BERJALAN, False),
    ("operator_a", Status.BERJALAN, Status.SELESAI, False),
    ("ppk_a", Status.BERJALAN, Status.SELESAI, True),
    ("pengawas", Status.BERJALAN, Status.SELESAI, False),
    ("operator_a", Status.BERJALAN, Status.BATAL, False),
    ("ppk_a", Status.BERJALAN, Status.BATAL, True),
    ("ppk_a", Status.DRAFT, Status.BATAL, True),
    ("ppk_a", Status.SELESAI, Status.BATAL, True),
    ("operator_a", Status.SELESAI, Status.BERJALAN, False),
    ("ppk_a", Status.SELESAI, Status.BERJALAN, True),
    ("ppk_a", Status.BATAL, Status.BERJALAN, True),
    ("ppk_a", Status.DRAFT, Status.SELESAI, False),
    ("ppk_a", Status.BATAL, Status.SELESAI, False),
    ("admin", Status.BERJALAN, Status.SELESAI, True),
]


@pytest.mark.parametrize(("persona", "start", "target", "allowed"), TRANSITION_CASES)
def test_status_machine_by_role(request, opd_a, persona, start, target, allowed):
    user = request.getfixturevalue(persona)
    pencatatan = PencatatanFactory(opd=opd_a, status=start, alasan_pembatalan="x" if start == Status.BATAL else "")
    if allowed:
        result = services.pencatatan_set_status(user=user, pencatatan=pencatatan, status=target, alasan="ganda")
        assert result.status == target
    else:
        with pytest.raises(PermissionDenied):
            services.pencatatan_set_status(user=user, pencatatan=pencatatan, status=target, alasan="ganda")
        pencatatan.refresh_from_db()
        assert pencatatan.status == start


def test_cancel_needs_a_reason(ppk_a, opd_a):
    pencatatan = PencatatanFactory(opd=opd_a, status=Status.BERJALAN)
    with pytest.raises(ValidationError) as excinfo:
        services.pencatatan_set_status(user=ppk_a, pencatatan=pencatatan, status=Status.BATAL, alasan="  ")
    assert excinfo.value.message_dict == {"alasan_pembatalan": ["Tuliskan alasan pembatalan."]}


def test_cancel_without_reason_is_refused_by_the_database(opd_a):
    with pytest.raises(IntegrityError):
        PencatatanFactory(opd=opd_a, status=Status.BATAL, alasan_pembatalan="")


def test_reopen_is_logged(ppk_a, opd_a):
    pencatatan = PencatatanFactory(opd=opd_a, status=Status.SELESAI)
    services.pencatatan_set_status(user=ppk_a, pencatatan=pencatatan, status=Status.BERJALAN)
    latest = pencatatan.history.latest()
    assert (latest.status, latest.history_user, latest.history_change_reason) == (
        Status.BERJALAN,
        ppk_a,
        "Dibuka kembali",
    )


def test_finished_record_cannot_be_edited_or_paid(operator_a, ppk_a, opd_a):
    pencatatan = PencatatanFactory(opd=opd_a, status=Status.SELESAI)
    with pytest.raises(PermissionDenied):
        services.realisasi_add(user=ppk_a, pencatatan=pencatatan, data=payment())
    with pytest.raises(PermissionDenied):
        services.pencatatan_update(
            user=operator_a, pencatatan=pencatatan, versi=pencatatan.versi, data={"nama_paket": "x"}, paket=[]
        )


def test_only_drafts_are_deleted(operator_a, opd_a):
    draft = PencatatanFactory(opd=opd_a, status=Status.DRAFT)
    RealisasiFactory(pencatatan=draft)
    services.pencatatan_delete(user=operator_a, pencatatan=draft)
    assert Pencatatan.objects.filter(pk=draft.pk).exists() is False
    running = PencatatanFactory(opd=opd_a, status=Status.BERJALAN)
    with pytest.raises(PermissionDenied):
        services.pencatatan_delete(user=operator_a, pencatatan=running)


# --- optimistic locking ---------------------------------------------------------------------


def test_second_save_of_a_stale_version_is_refused_and_says_what_changed(operator_a, ppk_a, record):
    loaded_by_operator = Pencatatan.objects.get(pk=record.pk)
    loaded_by_ppk = Pencatatan.objects.get(pk=record.pk)
    paket = list(record.paket_rup.all())
    services.pencatatan_update(
        user=ppk_a,
        pencatatan=loaded_by_ppk,
        versi=loaded_by_ppk.versi,
        data={"nama_paket": "Belanja ATK Triwulan I"},
        paket=paket,
    )
    with pytest.raises(services.ConcurrentEditError) as excinfo:
        services.pencatatan_update(
            user=operator_a,
            pencatatan=loaded_by_operator,
            versi=loaded_by_operator.versi,
            data={"sumber_dana": "APBD Perubahan"},
            paket=paket,
        )
    assert [(c.field, c.old, c.new) for c in excinfo.value.changes] == [
        ("nama_paket", "Belanja ATK", "Belanja ATK Triwulan I")
    ]
    assert excinfo.value.by == str(ppk_a)
    record.refresh_from_db()
    assert (record.nama_paket, record.sumber_dana, record.versi) == ("Belanja ATK Triwulan I", "", 2)


# --- history ---------------------------------------------------------------------------------


def test_every_write_leaves_a_history_entry_by_its_user(operator_a, ppk_a, record):
    realisasi = services.realisasi_add(user=operator_a, pencatatan=record, data=payment())
    services.realisasi_update(user=operator_a, realisasi=realisasi, data=payment(nilai_realisasi=Decimal("2000000")))
    services.pencatatan_set_status(user=operator_a, pencatatan=record, status=Status.BERJALAN)
    services.pencatatan_set_status(user=ppk_a, pencatatan=record, status=Status.SELESAI)
    assert [(h.history_type, h.status, h.history_user) for h in record.history.order_by("history_date")] == [
        ("+", Status.DRAFT, operator_a),
        ("~", Status.BERJALAN, operator_a),
        ("~", Status.SELESAI, ppk_a),
    ]
    assert [
        (h.history_type, h.nilai_realisasi, h.history_user) for h in realisasi.history.order_by("history_date")
    ] == [
        ("+", Decimal("1000000.00"), operator_a),
        ("~", Decimal("2000000.00"), operator_a),
    ]


def test_deleting_a_payment_is_in_the_history(operator_a, record):
    realisasi = services.realisasi_add(user=operator_a, pencatatan=record, data=payment())
    pk = realisasi.pk
    services.realisasi_delete(user=operator_a, realisasi=realisasi)
    assert [h.history_type for h in Realisasi.history.filter(id=pk).order_by("history_date")] == ["+", "-"]


# --- proof files -----------------------------------------------------------------------------


@pytest.fixture
def realisasi(operator_a, record):
    return services.realisasi_add(user=operator_a, pencatatan=record, data=payment())


def test_pdf_proof_is_stored_under_a_random_name(operator_a, realisasi):
    upload = SimpleUploadedFile("../../etc/kuitansi.pdf", PDF_BYTES, content_type="application/pdf")
    bukti = services.bukti_add(user=operator_a, realisasi=realisasi, upload=upload)
    assert bukti.nama_asli == "kuitansi.pdf"
    assert bukti.tipe_konten == "application/pdf"
    assert bukti.berkas.name.startswith(f"bukti/{TODAY:%Y/%m}/")
    assert bukti.berkas.name.endswith(".pdf")
    assert ".." not in bukti.berkas.name
    assert bukti.berkas.read() == PDF_BYTES


def test_png_proof_is_accepted(operator_a, realisasi):
    bukti = services.bukti_add(user=operator_a, realisasi=realisasi, upload=SimpleUploadedFile("foto.png", PNG_BYTES))
    assert bukti.tipe_konten == "image/png"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("kuitansi.pdf", b"MZ\x90\x00 this is a windows program", "Bukti harus berupa PDF, JPG atau PNG"),
        ("kuitansi.pdf", PNG_BYTES, "tidak sesuai dengan nama berkasnya"),
        ("kuitansi.html", b"<html><script>alert(1)</script>", "Bukti harus berupa PDF, JPG atau PNG"),
    ],
)
def test_proof_is_checked_by_content(operator_a, realisasi, name, content, message):
    with pytest.raises(ValidationError) as excinfo:
        services.bukti_add(user=operator_a, realisasi=realisasi, upload=SimpleUploadedFile(name, content))
    assert message in excinfo.value.message_dict["berkas"][0]
    assert realisasi.bukti.count() == 0


def test_proof_above_the_size_limit_is_refused(operator_a, realisasi, settings):
    settings.BUKTI_MAX_BYTES = 100
    upload = SimpleUploadedFile("besar.pdf", PDF_BYTES + b"0" * 200)
    with pytest.raises(ValidationError) as excinfo:
        services.bukti_add(user=operator_a, realisasi=realisasi, upload=upload)
    assert "terlalu besar" in excinfo.value.message_dict["berkas"][0]
