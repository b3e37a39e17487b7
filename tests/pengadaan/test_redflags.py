"""Red flags (DESIGN §7): each of the nine rules firing and not firing at its boundary, scoping,
the pengawas's review with its history, pinned query counts, and the list and review views."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pengadaan import services
from pengadaan.dashboards import ringkasan, tanda_bahaya
from pengadaan.dashboards.tanda_bahaya import Flag
from pengadaan.models import (
    JenisPencatatan,
    JenisPengadaan,
    JenisRealisasi,
    MetodePemilihan,
    Status,
    TinjauanTandaBahaya,
)
from tests.conftest import client_for
from tests.factories import PaketRupFactory, PencatatanFactory, PenyediaFactory, RealisasiFactory

TAHUN = 2026
TODAY = dt.date(2026, 6, 30)
JUTA = Decimal(1_000_000)
PL = MetodePemilihan.PENGADAAN_LANGSUNG


def record(opd, **kwargs):
    """A Berjalan PL Barang record of 2026, pagu Rp50 juta, linking no RUP package (so kd_rup is empty)."""
    kwargs.setdefault("paket", [])
    if kwargs.get("status") == Status.BATAL:
        kwargs.setdefault("alasan_pembatalan", "Dibatalkan")
    return PencatatanFactory(opd=opd, **kwargs)


def pay(pencatatan, nilai, **kwargs):
    """A kuitansi payment of `nilai` rupiah, paid 10 May 2026 and recorded two days later."""
    return RealisasiFactory(pencatatan=pencatatan, nilai_realisasi=Decimal(nilai), **kwargs)


def flags(user, rule, **kwargs):
    return tanda_bahaya.flags_for(tahun=TAHUN, user=user, rules=[rule], today=TODAY, **kwargs)


# --- rule 1: package splitting ---------------------------------------------------------------


def test_rule1_two_pl_records_with_one_supplier_together_above_the_ceiling(pengawas, opd_a):
    meubel = PenyediaFactory(nama="CV Meubel Uji", npwp="012345678901234")
    first = record(opd_a, pagu=150 * JUTA)
    second = record(opd_a, pagu=60 * JUTA)
    pay(first, 40 * JUTA, penyedia=meubel)
    pay(first, 40 * JUTA, penyedia=meubel)  # a second payment to the same supplier counts the record once
    pay(second, 60 * JUTA, penyedia=meubel)
    assert flags(pengawas, 1) == [
        Flag(
            rule=1,
            kode=f"R1:opd:{opd_a.pk}:npwp:012345678901234:kategori:Barang:tahun:2026",
            opd_id=opd_a.pk,
            pencatatan_ids=(first.pk, second.pk),
            judul="Kemungkinan pemecahan paket",
            alasan="2 pencatatan Pengadaan Langsung Barang dengan penyedia CV Meubel Uji (NPWP 01.234.567.8-901.234) "
            "masing-masing tidak melebihi batas Rp 200.000.000, tetapi jumlah pagunya Rp 210.000.000 "
            "melebihi batas tersebut.",
        )
    ]


def test_rule1_terintegrasi_uses_the_barang_ceiling_and_each_record_may_sit_at_it(pengawas, opd_a):
    penyedia = PenyediaFactory(nama="PT Terpadu", npwp="0987654321098765")
    ids = []
    for _ in range(3):
        p = record(opd_a, pagu=200 * JUTA, kategori_pengadaan=JenisPengadaan.TERINTEGRASI)
        pay(p, 10 * JUTA, penyedia=penyedia)
        ids.append(p.pk)
    assert flags(pengawas, 1) == [
        Flag(
            rule=1,
            kode=f"R1:opd:{opd_a.pk}:npwp:0987654321098765:kategori:Terintegrasi:tahun:2026",
            opd_id=opd_a.pk,
            pencatatan_ids=tuple(ids),
            judul="Kemungkinan pemecahan paket",
            alasan="3 pencatatan Pengadaan Langsung Terintegrasi dengan penyedia PT Terpadu (NPWP 0987 6543 2109 8765) "
            "masing-masing tidak melebihi batas Rp 200.000.000, tetapi jumlah pagunya Rp 600.000.000 "
            "melebihi batas tersebut.",
        )
    ]


def test_rule1_does_not_fire_at_the_ceiling_nor_across_status_year_opd_category_or_method(pengawas, opd_a, opd_b):
    def pair(first_kwargs, second_kwargs):
        penyedia = PenyediaFactory()
        pay(record(**first_kwargs), JUTA, penyedia=penyedia)
        pay(record(**second_kwargs), JUTA, penyedia=penyedia)

    a = {"opd": opd_a}
    pair({**a, "pagu": 150 * JUTA}, {**a, "pagu": 50 * JUTA})  # together exactly Rp200 juta
    konstruksi = {**a, "kategori_pengadaan": "Pekerjaan Konstruksi"}
    pair({**konstruksi, "pagu": 300 * JUTA}, {**konstruksi, "pagu": 100 * JUTA})  # together exactly Rp400 juta
    pair({**a, "pagu": 150 * JUTA}, {**a, "pagu": 60 * JUTA, "status": Status.BATAL})  # one cancelled
    pair({**a, "pagu": 150 * JUTA}, {**a, "pagu": 60 * JUTA, "tahun_anggaran": 2025})  # other year
    pair({**a, "pagu": 150 * JUTA}, {"opd": opd_b, "pagu": 60 * JUTA})  # other OPD
    pair({**a, "pagu": 150 * JUTA}, {**a, "pagu": 60 * JUTA, "kategori_pengadaan": "Jasa Lainnya"})  # other category
    pair({**a, "pagu": 150 * JUTA}, {**a, "pagu": 60 * JUTA, "mtd_pemilihan": "Penunjukan Langsung"})  # not PL
    pair({**a, "pagu": 250 * JUTA}, {**a, "pagu": 60 * JUTA})  # one alone above the ceiling: that is rule 2
    first, second = record(opd_a, pagu=150 * JUTA), record(opd_a, pagu=60 * JUTA)
    pay(first, JUTA, penyedia=PenyediaFactory(npwp=None))
    pay(second, JUTA, penyedia=PenyediaFactory(npwp=None))  # suppliers without NPWP are not one supplier
    assert flags(pengawas, 1) == []


# --- rule 2: PL above its ceiling ------------------------------------------------------------


def test_rule2_pl_above_its_ceiling(pengawas, opd_a):
    barang = record(opd_a, pagu=250 * JUTA)
    terintegrasi = record(opd_a, pagu=Decimal("200000000.50"), kategori_pengadaan=JenisPengadaan.TERINTEGRASI)
    assert flags(pengawas, 2) == [
        Flag(
            rule=2,
            kode=f"R2:pencatatan:{barang.pk}",
            opd_id=opd_a.pk,
            pencatatan_ids=(barang.pk,),
            judul="Pengadaan Langsung melebihi batas",
            alasan="Pagu Rp 250.000.000 melebihi batas Pengadaan Langsung Barang Rp 200.000.000.",
        ),
        Flag(
            rule=2,
            kode=f"R2:pencatatan:{terintegrasi.pk}",
            opd_id=opd_a.pk,
            pencatatan_ids=(terintegrasi.pk,),
            judul="Pengadaan Langsung melebihi batas",
            alasan="Pagu Rp 200.000.000,50 melebihi batas Pengadaan Langsung Terintegrasi Rp 200.000.000.",
        ),
    ]


def test_rule2_does_not_fire_at_the_ceilings_or_on_other_methods_cancelled_or_other_years(pengawas, opd_a):
    record(opd_a, pagu=200 * JUTA, kategori_pengadaan="Barang")
    record(opd_a, pagu=200 * JUTA, kategori_pengadaan="Jasa Lainnya")
    record(opd_a, pagu=400 * JUTA, kategori_pengadaan="Pekerjaan Konstruksi")
    record(opd_a, pagu=100 * JUTA, kategori_pengadaan="Jasa Konsultansi")
    record(opd_a, pagu=900 * JUTA, mtd_pemilihan="Penunjukan Langsung")
    record(opd_a, pagu=250 * JUTA, status=Status.BATAL)
    record(opd_a, pagu=250 * JUTA, tahun_anggaran=2025)
    assert flags(pengawas, 2) == []


def test_rule2_ceiling_comes_from_settings(pengawas, opd_a, settings):
    settings.REDFLAG_BATAS_PL_KONSULTANSI = 50_000_000
    konsultansi = record(opd_a, pagu=60 * JUTA, kategori_pengadaan="Jasa Konsultansi")
    assert [(f.pencatatan_ids, f.alasan) for f in flags(pengawas, 2)] == [
        ((konsultansi.pk,), "Pagu Rp 60.000.000 melebihi batas Pengadaan Langsung Jasa Konsultansi Rp 50.000.000.")
    ]


# --- rule 3: realisasi above pagu ------------------------------------------------------------


def test_rule3_total_realisasi_above_pagu(pengawas, opd_a):
    toilet = record(opd_a, pagu=Decimal("48500000"), kategori_pengadaan="Pekerjaan Konstruksi")
    pay(toilet, 30 * JUTA)
    pay(toilet, Decimal("21250000"))
    assert flags(pengawas, 3) == [
        Flag(
            rule=3,
            kode=f"R3:pencatatan:{toilet.pk}",
            opd_id=opd_a.pk,
            pencatatan_ids=(toilet.pk,),
            judul="Realisasi melebihi pagu",
            alasan="Total realisasi Rp 51.250.000 melebihi pagu Rp 48.500.000 (selisih Rp 2.750.000).",
        )
    ]


def test_rule3_does_not_fire_at_the_pagu_or_on_cancelled_records(pengawas, opd_a):
    exact = record(opd_a, pagu=50 * JUTA)
    pay(exact, 30 * JUTA)
    pay(exact, 20 * JUTA)
    cancelled = record(opd_a, pagu=10 * JUTA, status=Status.BATAL)
    pay(cancelled, 11 * JUTA)
    record(opd_a, pagu=0)  # no payments at all
    assert flags(pengawas, 3) == []


# --- rule 4: recorded late -------------------------------------------------------------------


def test_rule4_one_flag_for_an_opd_that_records_most_payments_late(pengawas, opd_a, opd_b):
    p = record(opd_a)
    q = record(opd_a)
    pay(p, JUTA, tgl_realisasi=dt.date(2026, 5, 1), tgl_dicatat=dt.date(2026, 6, 1))  # 31 days
    pay(q, JUTA, tgl_realisasi=dt.date(2026, 5, 10), tgl_dicatat=dt.date(2026, 6, 23))  # 44 days
    pay(q, JUTA, tgl_realisasi=dt.date(2026, 5, 20), tgl_dicatat=dt.date(2026, 5, 21))  # on time
    on_time = record(opd_b)  # OPD B: one payment of two late, exactly half, is not "more than half"
    pay(on_time, JUTA, tgl_realisasi=dt.date(2026, 3, 1), tgl_dicatat=dt.date(2026, 6, 1))
    pay(on_time, JUTA, tgl_realisasi=dt.date(2026, 5, 20), tgl_dicatat=dt.date(2026, 5, 21))
    assert flags(pengawas, 4) == [
        Flag(
            rule=4,
            kode=f"R4:opd:{opd_a.pk}:tahun:2026",
            opd_id=opd_a.pk,
            pencatatan_ids=(p.pk, q.pk),
            judul="Kebiasaan terlambat mencatat",
            alasan=(
                "2 dari 3 realisasi OPD ini (66,7%) dicatat lebih dari 30 hari setelah tanggal realisasinya; "
                "tanda ini muncul bila lebih dari 50%. Paling lambat: 44, 31, 1 hari."
            ),
        )
    ]


def test_rule4_share_and_days_are_settings(pengawas, opd_b, settings):
    p = record(opd_b)
    pay(p, JUTA, tgl_realisasi=dt.date(2026, 3, 1), tgl_dicatat=dt.date(2026, 6, 1))
    pay(p, JUTA, tgl_realisasi=dt.date(2026, 5, 20), tgl_dicatat=dt.date(2026, 5, 21))
    settings.REDFLAG_PORSI_TERLAMBAT_CATAT = "0.4"
    assert [f.kode for f in flags(pengawas, 4)] == [f"R4:opd:{opd_b.pk}:tahun:2026"]
    settings.REDFLAG_HARI_TERLAMBAT_CATAT = 92  # the 92 days of the late one are no longer late
    assert flags(pengawas, 4) == []


def test_rule4_does_not_fire_at_exactly_30_days_ahead_of_payment_or_on_cancelled(pengawas, opd_a):
    p = record(opd_a)
    pay(p, JUTA, tgl_realisasi=dt.date(2026, 5, 1), tgl_dicatat=dt.date(2026, 5, 31))  # exactly 30 days
    pay(p, JUTA, tgl_realisasi=dt.date(2026, 5, 10), tgl_dicatat=dt.date(2026, 5, 5))  # entered ahead
    cancelled = record(opd_a, status=Status.BATAL)
    pay(cancelled, JUTA, tgl_realisasi=dt.date(2026, 3, 1), tgl_dicatat=dt.date(2026, 6, 1))
    pay(cancelled, JUTA, tgl_realisasi=dt.date(2026, 3, 1), tgl_dicatat=dt.date(2026, 6, 1))
    old = record(opd_a, tahun_anggaran=2025)
    pay(old, JUTA, tgl_realisasi=dt.date(2025, 3, 1), tgl_dicatat=dt.date(2025, 6, 1))
    pay(old, JUTA, tgl_realisasi=dt.date(2025, 3, 1), tgl_dicatat=dt.date(2025, 6, 1))
    assert flags(pengawas, 4) == []


def test_rule4_names_the_records_of_the_five_latest_entries(pengawas, opd_a):
    records = [record(opd_a) for _ in range(7)]
    for days, p in enumerate(records, start=31):
        pay(p, JUTA, tgl_realisasi=dt.date(2026, 3, 1), tgl_dicatat=dt.date(2026, 3, 1) + dt.timedelta(days=days))
    (flag,) = flags(pengawas, 4)
    assert flag.pencatatan_ids == tuple(sorted(p.pk for p in records[2:]))
    assert flag.alasan.endswith("Paling lambat: 37, 36, 35, 34, 33 hari.")


# --- rule 5: Selesai without realisasi --------------------------------------------------------


def test_rule5_selesai_without_any_realisasi(pengawas, opd_a):
    p = record(opd_a, status=Status.SELESAI, pagu=24 * JUTA)
    assert flags(pengawas, 5) == [
        Flag(
            rule=5,
            kode=f"R5:pencatatan:{p.pk}",
            opd_id=opd_a.pk,
            pencatatan_ids=(p.pk,),
            judul="Selesai tanpa realisasi",
            alasan="Berstatus Selesai tetapi belum memiliki realisasi (pagu Rp 24.000.000).",
        )
    ]


def test_rule5_does_not_fire_with_a_payment_while_berjalan_cancelled_or_other_year(pengawas, opd_a):
    pay(record(opd_a, status=Status.SELESAI), JUTA)
    record(opd_a, status=Status.BERJALAN)
    record(opd_a, status=Status.BATAL)
    record(opd_a, status=Status.SELESAI, tahun_anggaran=2025)
    assert flags(pengawas, 5) == []


# --- rule 6: double input -------------------------------------------------------------------


def test_rule6_two_active_records_with_the_same_kd_rup_and_pagu(pengawas, opd_a):
    paket = PaketRupFactory(opd=opd_a, tahun_anggaran=TAHUN, kd_rup=57814957, pagu=Decimal("87500000"))
    first = PencatatanFactory(opd=opd_a, pagu=Decimal("87500000"), paket=[paket])
    second = PencatatanFactory(opd=opd_a, pagu=Decimal("87500000"), paket=[paket], status=Status.DRAFT)
    assert flags(pengawas, 6) == [
        Flag(
            rule=6,
            kode=f"R6:opd:{opd_a.pk}:kd_rup:57814957:pagu:87500000.00:tahun:2026",
            opd_id=opd_a.pk,
            pencatatan_ids=(first.pk, second.pk),
            judul="Kemungkinan input ganda",
            alasan="2 pencatatan aktif dengan kode RUP 57814957 dan pagu Rp 87.500.000 yang sama.",
        )
    ]


def test_rule6_does_not_fire_on_other_pagu_cancelled_other_opd_other_year_or_empty_kd_rup(pengawas, opd_a, opd_b):
    def twin(first_kwargs, second_kwargs):
        paket = PaketRupFactory(opd=opd_a, tahun_anggaran=TAHUN)
        PencatatanFactory(**{"opd": opd_a, "pagu": 40 * JUTA, "paket": [paket], **first_kwargs})
        PencatatanFactory(**{"opd": opd_a, "pagu": 40 * JUTA, "paket": [paket], **second_kwargs})

    twin({}, {"pagu": 41 * JUTA})  # same kd_rup, other pagu
    twin({}, {"status": Status.BATAL, "alasan_pembatalan": "Paket tercatat ganda (double input)"})
    twin({}, {"opd": opd_b})
    twin({}, {"tahun_anggaran": 2025})
    record(opd_a, pagu=40 * JUTA)
    record(opd_a, pagu=40 * JUTA)  # both without RUP code
    assert flags(pengawas, 6) == []


# --- rule 7: overdue ------------------------------------------------------------------------


def test_rule7_berjalan_more_than_30_days_after_the_contract_ended(pengawas, opd_a):
    p = record(opd_a, tgl_selesai_paket=dt.date(2026, 5, 30))
    assert flags(pengawas, 7) == [
        Flag(
            rule=7,
            kode=f"R7:pencatatan:{p.pk}",
            opd_id=opd_a.pk,
            pencatatan_ids=(p.pk,),
            judul="Melewati tanggal selesai",
            alasan="Masih Berjalan 31 hari setelah tanggal selesai kontrak 30 Mei 2026 (batas 30 hari).",
        )
    ]


def test_rule7_does_not_fire_at_exactly_30_days_or_when_not_berjalan(pengawas, opd_a):
    record(opd_a, tgl_selesai_paket=dt.date(2026, 5, 31))  # exactly 30 days before 30 June
    record(opd_a, tgl_selesai_paket=None)
    pay(record(opd_a, status=Status.SELESAI, tgl_selesai_paket=dt.date(2026, 1, 31)), JUTA)
    record(opd_a, status=Status.DRAFT, tgl_selesai_paket=dt.date(2026, 1, 31))
    record(opd_a, status=Status.BATAL, tgl_selesai_paket=dt.date(2026, 1, 31))
    record(opd_a, tahun_anggaran=2025, tgl_selesai_paket=dt.date(2025, 12, 31))
    assert flags(pengawas, 7) == []


# --- rule 8: PDN/UMK implausible ------------------------------------------------------------


def test_rule8_pdn_umk_typed_as_percentage_or_above_realisasi_or_pagu(pengawas, opd_a):
    posyandu = record(opd_a, pagu=Decimal("64300000"), nilai_pdn_pct=Decimal(100), nilai_umk_pct=Decimal(100))
    pay(posyandu, Decimal("63900000"))
    cold_box = record(opd_a, pagu=58 * JUTA, nilai_pdn_pct=58 * JUTA, nilai_umk_pct=20 * JUTA)
    pay(cold_box, 20 * JUTA)
    unpaid = record(opd_a, pagu=50 * JUTA, nilai_umk_pct=60 * JUTA)
    judul = "Nilai PDN/UMK tidak wajar"
    assert flags(pengawas, 8) == [
        Flag(
            rule=8,
            kode=f"R8:pencatatan:{posyandu.pk}",
            opd_id=opd_a.pk,
            pencatatan_ids=(posyandu.pk,),
            judul=judul,
            alasan="Nilai PDN tepat Rp 100 padahal total realisasi Rp 63.900.000 (kemungkinan persen diketik di "
            "kolom Rupiah); nilai UMK tepat Rp 100 padahal total realisasi Rp 63.900.000 (kemungkinan persen "
            "diketik di kolom Rupiah).",
        ),
        Flag(
            rule=8,
            kode=f"R8:pencatatan:{cold_box.pk}",
            opd_id=opd_a.pk,
            pencatatan_ids=(cold_box.pk,),
            judul=judul,
            alasan="Nilai PDN Rp 58.000.000 melebihi total realisasi Rp 20.000.000.",
        ),
        Flag(
            rule=8,
            kode=f"R8:pencatatan:{unpaid.pk}",
            opd_id=opd_a.pk,
            pencatatan_ids=(unpaid.pk,),
            judul=judul,
            alasan="Nilai UMK Rp 60.000.000 melebihi pagu Rp 50.000.000 (belum ada realisasi).",
        ),
    ]


def test_rule8_does_not_fire_at_the_bounds(pengawas, opd_a):
    pay(record(opd_a, nilai_pdn_pct=Decimal(100)), 100_000)  # 100 on a realisasi of exactly Rp100.000
    pay(record(opd_a, nilai_pdn_pct=Decimal("100.50")), 20 * JUTA)  # not exactly 100
    pay(record(opd_a, nilai_pdn_pct=20 * JUTA, nilai_umk_pct=20 * JUTA), 20 * JUTA)  # equal to realisasi
    record(opd_a, pagu=50 * JUTA, nilai_pdn_pct=50 * JUTA)  # no realisasi: equal to pagu
    pay(record(opd_a, status=Status.BATAL, nilai_pdn_pct=Decimal(100)), 20 * JUTA)
    pay(record(opd_a, tahun_anggaran=2025, nilai_pdn_pct=Decimal(100)), 20 * JUTA)
    assert flags(pengawas, 8) == []


# --- rule 9: proof unfit for the amount ------------------------------------------------------


def test_rule9_bukti_pembelian_above_10_juta_and_kuitansi_above_50_juta(pengawas, opd_a):
    buku = record(opd_a, pagu=95 * JUTA)
    pay(buku, Decimal("12750000"), jenis_realisasi=JenisRealisasi.BUKTI_PEMBELIAN)
    pay(buku, 65 * JUTA, jenis_realisasi=JenisRealisasi.KUITANSI)
    rapat = record(opd_a, pagu=150 * JUTA)
    pay(rapat, 51 * JUTA)
    pay(rapat, 60 * JUTA)
    pay(rapat, 30 * JUTA)
    assert flags(pengawas, 9) == [
        Flag(
            rule=9,
            kode=f"R9:pencatatan:{buku.pk}",
            opd_id=opd_a.pk,
            pencatatan_ids=(buku.pk,),
            judul="Bukti tidak sesuai nilai",
            alasan="1 bukti pembelian untuk pembayaran di atas Rp 10.000.000 (terbesar Rp 12.750.000); "
            "1 kuitansi untuk pembayaran di atas Rp 50.000.000 (terbesar Rp 65.000.000).",
        ),
        Flag(
            rule=9,
            kode=f"R9:pencatatan:{rapat.pk}",
            opd_id=opd_a.pk,
            pencatatan_ids=(rapat.pk,),
            judul="Bukti tidak sesuai nilai",
            alasan="2 kuitansi untuk pembayaran di atas Rp 50.000.000 (terbesar Rp 60.000.000).",
        ),
    ]


def test_rule9_does_not_fire_at_the_limits_or_on_other_proof(pengawas, opd_a):
    p = record(opd_a, pagu=900 * JUTA)
    pay(p, 10 * JUTA, jenis_realisasi=JenisRealisasi.BUKTI_PEMBELIAN)
    pay(p, 50 * JUTA, jenis_realisasi=JenisRealisasi.KUITANSI)
    pay(p, 500 * JUTA, jenis_realisasi=JenisRealisasi.SPK)
    pay(p, 90 * JUTA, jenis_realisasi=JenisRealisasi.SURAT_PERJANJIAN)
    pay(record(opd_a, status=Status.BATAL), 60 * JUTA)
    pay(record(opd_a, tahun_anggaran=2025), 60 * JUTA)
    assert flags(pengawas, 9) == []


def test_rule9_applies_to_swakelola_payments_too(pengawas, opd_a):
    swakelola = record(
        opd_a, jenis=JenisPencatatan.SWAKELOLA, mtd_pemilihan="", kategori_pengadaan="", tipe_swakelola=1
    )
    pay(swakelola, 55 * JUTA)
    assert [f.pencatatan_ids for f in flags(pengawas, 9)] == [(swakelola.pk,)]


# --- scoping ----------------------------------------------------------------------------------


def test_operator_of_another_opd_never_sees_the_flags(operator_b, operator_a, opd_a, opd_b):
    in_a = record(opd_a, status=Status.SELESAI)
    in_b = record(opd_b, status=Status.SELESAI)
    assert [f.kode for f in tanda_bahaya.flags_for(tahun=TAHUN, user=operator_b, today=TODAY)] == [
        f"R5:pencatatan:{in_b.pk}"
    ]
    assert tanda_bahaya.flags_for(tahun=TAHUN, user=operator_b, opd_id=opd_a.pk, today=TODAY) == []
    assert [f.kode for f in tanda_bahaya.flags_for(tahun=TAHUN, user=operator_a, today=TODAY)] == [
        f"R5:pencatatan:{in_a.pk}"
    ]
    assert tanda_bahaya.flag_by_kode(tahun=TAHUN, user=operator_b, kode=f"R5:pencatatan:{in_a.pk}") is None


def open_counts(**kwargs) -> dict[int, int]:
    """Open flags per OPD (the dashboard's red_flags column): the flags computed for a person, without
    the reviewed ones (one query more)."""
    reviewed = set(TinjauanTandaBahaya.objects.values_list("kode", flat=True))
    return dict(Counter(flag.opd_id for flag in tanda_bahaya.flags_for(**kwargs) if flag.kode not in reviewed))


def test_open_counts_by_opd_for_pengawas(pengawas, opd_a, opd_b):
    selesai_a = record(opd_a, status=Status.SELESAI)
    record(opd_a, pagu=250 * JUTA)
    record(opd_b, status=Status.SELESAI)
    assert open_counts(tahun=TAHUN, user=pengawas) == {opd_a.pk: 2, opd_b.pk: 1}
    services.tinjau_tanda_bahaya(
        user=pengawas, tahun=TAHUN, kode=f"R5:pencatatan:{selesai_a.pk}", catatan="Sudah dicek."
    )
    assert open_counts(tahun=TAHUN, user=pengawas) == {opd_a.pk: 1, opd_b.pk: 1}
    assert open_counts(tahun=2025, user=pengawas) == {}


# --- the review -------------------------------------------------------------------------------


def test_pengawas_reviews_a_flag_with_a_note_and_it_is_no_longer_open(pengawas, opd_a):
    p = record(opd_a, status=Status.SELESAI)
    kode = f"R5:pencatatan:{p.pk}"
    review = services.tinjau_tanda_bahaya(user=pengawas, tahun=TAHUN, kode=kode, catatan="  Realisasi menyusul.  ")
    assert (review.kode, review.rule, review.tahun, review.opd, review.catatan, review.ditinjau_oleh) == (
        kode,
        5,
        2026,
        opd_a,
        "Realisasi menyusul.",
        pengawas,
    )
    assert list(review.history.values_list("history_type", "history_user", "catatan")) == [
        ("+", pengawas.pk, "Realisasi menyusul.")
    ]
    assert open_counts(tahun=TAHUN, user=pengawas, today=TODAY) == {}
    assert [f.kode for f in tanda_bahaya.flags_for(tahun=TAHUN, user=pengawas, today=TODAY)] == [kode]


def test_a_second_review_replaces_the_note_and_history_keeps_both(pengawas, admin, opd_a):
    p = record(opd_a, pagu=250 * JUTA)
    kode = f"R2:pencatatan:{p.pk}"
    services.tinjau_tanda_bahaya(user=pengawas, tahun=TAHUN, kode=kode, catatan="Ditanyakan ke PPK.")
    services.tinjau_tanda_bahaya(user=admin, tahun=TAHUN, kode=kode, catatan="PPK menjelaskan: salah metode.")
    review = TinjauanTandaBahaya.objects.get()
    assert (review.catatan, review.ditinjau_oleh) == ("PPK menjelaskan: salah metode.", admin)
    assert list(review.history.order_by("history_id").values_list("history_type", "history_user", "catatan")) == [
        ("+", pengawas.pk, "Ditanyakan ke PPK."),
        ("~", admin.pk, "PPK menjelaskan: salah metode."),
    ]


def test_group_flags_can_be_reviewed(pengawas, opd_a):
    paket = PaketRupFactory(opd=opd_a, tahun_anggaran=TAHUN, kd_rup=123, pagu=40 * JUTA)
    PencatatanFactory(opd=opd_a, pagu=40 * JUTA, paket=[paket])
    PencatatanFactory(opd=opd_a, pagu=40 * JUTA, paket=[paket])
    kode = f"R6:opd:{opd_a.pk}:kd_rup:123:pagu:40000000.00:tahun:2026"
    review = services.tinjau_tanda_bahaya(user=pengawas, tahun=TAHUN, kode=kode, catatan="Satu akan dibatalkan.")
    assert (review.rule, review.opd) == (6, opd_a)
    with pytest.raises(ValidationError):  # the same group in another year is not a flag
        services.tinjau_tanda_bahaya(user=pengawas, tahun=2025, kode=kode.replace("2026", "2025"), catatan="x")


@pytest.mark.parametrize("persona", ["operator_a", "ppk_a"])
def test_opd_roles_may_not_review(persona, personas, opd_a):
    p = record(opd_a, status=Status.SELESAI)
    with pytest.raises(PermissionDenied):
        services.tinjau_tanda_bahaya(user=personas[persona], tahun=TAHUN, kode=f"R5:pencatatan:{p.pk}", catatan="Oke.")
    assert TinjauanTandaBahaya.objects.count() == 0


def test_review_needs_a_note(pengawas, opd_a):
    p = record(opd_a, status=Status.SELESAI)
    with pytest.raises(ValidationError) as exc:
        services.tinjau_tanda_bahaya(user=pengawas, tahun=TAHUN, kode=f"R5:pencatatan:{p.pk}", catatan="   ")
    assert exc.value.message_dict == {"catatan": ["Tuliskan catatan hasil tinjauan."]}
    assert TinjauanTandaBahaya.objects.count() == 0


def test_review_refuses_a_kode_that_is_not_a_current_flag(pengawas, opd_a):
    p = record(opd_a, status=Status.SELESAI)
    pay(p, JUTA)
    kode = f"R5:pencatatan:{p.pk}"
    with pytest.raises(ValidationError) as exc:
        services.tinjau_tanda_bahaya(user=pengawas, tahun=TAHUN, kode=kode, catatan="Oke.")
    assert exc.value.message_dict == {"kode": [f"Tanda bahaya {kode} tidak ada pada tahun 2026."]}
    with pytest.raises(ValidationError):
        services.tinjau_tanda_bahaya(user=pengawas, tahun=TAHUN, kode="bukan kode", catatan="Oke.")


# --- query counts -----------------------------------------------------------------------------


def make_one_flag_per_rule(opd):
    """One flag of each of the nine rules in `opd` (rule 1: one group of two records)."""
    penyedia = PenyediaFactory()
    for pagu in (150 * JUTA, 60 * JUTA):
        pay(record(opd, pagu=pagu), JUTA, penyedia=penyedia)  # 1
    record(opd, pagu=250 * JUTA)  # 2
    pay(record(opd, pagu=JUTA), 2 * JUTA)  # 3
    late = record(opd)  # 4: seven of the OPD's payments recorded late, more than half of its 13 (per OPD)
    for _ in range(7):
        pay(late, JUTA, tgl_realisasi=dt.date(2026, 3, 1), tgl_dicatat=dt.date(2026, 6, 1))
    record(opd, status=Status.SELESAI)  # 5
    paket = PaketRupFactory(opd=opd, tahun_anggaran=TAHUN)
    PencatatanFactory(opd=opd, paket=[paket])
    PencatatanFactory(opd=opd, paket=[paket])  # 6
    record(opd, tgl_selesai_paket=dt.date(2026, 1, 31))  # 7
    pay(record(opd, nilai_pdn_pct=Decimal(100)), 5 * JUTA)  # 8
    pay(record(opd, pagu=100 * JUTA), 60 * JUTA)  # 9


# rule 1 (its groups with their members); rule 4: entries per OPD by lag, then the latest entries of the
# flagged; rule 6 (its records, counted per group by a window); one for the six per-record rules. Was 6
# while rule 6 read its groups and then their members.
QUERIES_FLAGS_FOR = 5


def test_flags_for_query_count_does_not_grow_with_the_flags(pengawas, opd_a, django_assert_num_queries):
    make_one_flag_per_rule(opd_a)
    with django_assert_num_queries(QUERIES_FLAGS_FOR):
        one = tanda_bahaya.flags_for(tahun=TAHUN, user=pengawas, today=TODAY)
    make_one_flag_per_rule(opd_a)
    make_one_flag_per_rule(opd_a)
    with django_assert_num_queries(QUERIES_FLAGS_FOR):
        three = tanda_bahaya.flags_for(tahun=TAHUN, user=pengawas, today=TODAY)
    assert [f.rule for f in one] == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    # rule 4 is one flag per OPD and year, however many of its records were recorded late
    assert [f.rule for f in three] == [r for r in range(1, 10) for _ in range(1 if r == 4 else 3)]
    with django_assert_num_queries(QUERIES_FLAGS_FOR + 1):
        assert open_counts(tahun=TAHUN, user=pengawas, today=TODAY) == {opd_a.pk: 25}


# --- views ------------------------------------------------------------------------------------


def test_list_shows_the_flag_with_its_reason_and_record(pengawas, opd_a):
    p = record(opd_a, status=Status.SELESAI, pagu=24 * JUTA, nama_paket="Belanja Makan Rapat Kerja")
    response = client_for(pengawas).get(reverse("tanda_bahaya_list"), {"tahun": TAHUN})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Berstatus Selesai tetapi belum memiliki realisasi (pagu Rp 24.000.000)." in html
    assert f'href="{reverse("pencatatan_detail", args=[p.pk])}">Belanja Makan Rapat Kerja</a>' in html
    assert f'name="kode" value="R5:pencatatan:{p.pk}"' in html


def test_list_is_scoped_to_the_operators_opd(operator_a, operator_b, opd_a, opd_b):
    record(opd_a, status=Status.SELESAI, pagu=24 * JUTA)
    client = client_for(operator_b)
    response = client.get(reverse("tanda_bahaya_list"), {"tahun": TAHUN})
    assert response.status_code == 200
    assert "Rp 24.000.000" not in response.content.decode()
    assert "Tidak ada tanda bahaya" in response.content.decode()
    assert client.get(reverse("tanda_bahaya_list"), {"tahun": TAHUN, "opd": opd_a.pk}).status_code == 404
    own = client_for(operator_a).get(reverse("tanda_bahaya_list"), {"tahun": TAHUN}).content.decode()
    assert "(pagu Rp 24.000.000)" in own
    assert "Tandai sudah ditinjau" not in own  # OPD roles see the flag, not the review form


def test_list_filters_by_review_status(pengawas, opd_a):
    reviewed = record(opd_a, status=Status.SELESAI, pagu=24 * JUTA)
    record(opd_a, pagu=250 * JUTA)
    services.tinjau_tanda_bahaya(
        user=pengawas, tahun=TAHUN, kode=f"R5:pencatatan:{reviewed.pk}", catatan="Sudah dicek."
    )
    client = client_for(pengawas)

    def kodes(status):
        rows = client.get(reverse("tanda_bahaya_list"), {"tahun": TAHUN, "status": status}).context["rows"]
        return [row.flag.rule for row in rows]

    assert (kodes("open"), kodes("reviewed"), kodes("all")) == ([2], [5], [2, 5])
    assert (
        "Sudah dicek." in client.get(reverse("tanda_bahaya_list"), {"tahun": TAHUN, "status": "all"}).content.decode()
    )


def test_list_query_count_does_not_grow_with_the_flags(pengawas, opd_a, django_assert_num_queries):
    client = client_for(pengawas)
    url = reverse("tanda_bahaya_list")
    make_one_flag_per_rule(opd_a)
    ringkasan.segarkan_ringkasan.call()  # the worker stores the flags, as after every write
    client.get(url, {"tahun": TAHUN})  # the year picker's years, kept a minute (selectors.years_of)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url, {"tahun": TAHUN, "status": "all"}).status_code == 200
    make_one_flag_per_rule(opd_a)
    make_one_flag_per_rule(opd_a)
    reviewed = tanda_bahaya.flags_for(tahun=TAHUN, user=pengawas, rules=[5])[0]
    services.tinjau_tanda_bahaya(user=pengawas, tahun=TAHUN, kode=reviewed.kode, catatan="Sudah dicek.")
    ringkasan.segarkan_ringkasan.call()
    with django_assert_num_queries(len(one)):
        response = client.get(url, {"tahun": TAHUN, "status": "all"})
    assert len(response.context["rows"]) == 25  # rule 4 once for the OPD


def test_pengawas_marks_a_flag_reviewed_through_the_form(pengawas, opd_a):
    p = record(opd_a, status=Status.SELESAI)
    kode = f"R5:pencatatan:{p.pk}"
    back = reverse("tanda_bahaya_list") + "?tahun=2026&rule=5"
    response = client_for(pengawas).post(
        reverse("tanda_bahaya_review"), {"kode": kode, "tahun": "2026", "catatan": "Dicek ke OPD.", "next": back}
    )
    assert (response.status_code, response.url) == (302, back)
    assert list(TinjauanTandaBahaya.objects.values_list("kode", "catatan", "ditinjau_oleh")) == [
        (kode, "Dicek ke OPD.", pengawas.pk)
    ]


def test_review_post_refuses_opd_roles_unknown_flags_and_empty_notes(operator_a, pengawas, opd_a):
    p = record(opd_a, status=Status.SELESAI)
    data = {"kode": f"R5:pencatatan:{p.pk}", "tahun": "2026", "catatan": "Oke."}
    url = reverse("tanda_bahaya_review")
    assert client_for(operator_a).post(url, data).status_code == 403
    assert client_for(pengawas).post(url, {**data, "kode": "R5:pencatatan:999999"}).status_code == 404
    assert client_for(pengawas).post(url, {**data, "tahun": "2025"}).status_code == 404
    response = client_for(pengawas).post(url, {**data, "catatan": "", "next": "https://jahat.example/"})
    assert (response.status_code, response.url) == (302, reverse("tanda_bahaya_list") + "?tahun=2026")
    assert TinjauanTandaBahaya.objects.count() == 0
    assert client_for(pengawas).get(url).status_code == 405
