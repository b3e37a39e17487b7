"""DESIGN §5 metrics against values worked out by hand.

Data of 2025 (amounts in Rupiah):
  OPD A  RUP: P1 PL 100 (recorded by r1), P2 PL 50 (only by r2, Batal), P3 swakelola 30 (by r3),
              P4 Tender 999 (not non tender), P5 PL 70 inactive — neither counts.
         records: r1 NT Selesai, r2 NT Batal, r3 SW Draft, r4 NT Berjalan (no RUP link).
         payments: r1 40 (lag 10 days), r1 20 (lag 198, recorded 15 Nov), r4 5 (lag −5), r4 10 (lag 30,
                   recorded 31 Dec), r2 999 (Batal: ignored).
  OPD B  nothing.
  OPD C  RUP: Q1 Penunjukan Langsung 60, not recorded; r5 NT Selesai without link, one payment 7 (lag 3).
  A 2024 record and payment of OPD A are ignored.
  In SPSE (they carry SPSE's code): r1 and r2 (Batal: does not count).

`spse_year` (further down) mixes records with and without SPSE codes for the three *_spse columns.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pengadaan.dashboards import compute
from pengadaan.dashboards import selectors as dashboards
from pengadaan.models import Status, TipePaket
from tests.factories import OpdFactory, PaketRupFactory, PencatatanFactory, RealisasiFactory

D = dt.date


def swakelola(**kwargs):
    return PencatatanFactory(jenis="swakelola", mtd_pemilihan="", kategori_pengadaan="", tipe_swakelola=1, **kwargs)


@pytest.fixture
def data(opd_a, opd_b):
    opd_c = OpdFactory(nama_satker="Kecamatan Uji C")
    rup = dict(tahun_anggaran=2025)
    p1 = PaketRupFactory(opd=opd_a, pagu=Decimal("100"), tgl_awal_pemilihan=D(2025, 1, 1), **rup)
    p2 = PaketRupFactory(opd=opd_a, pagu=Decimal("50"), tgl_awal_pemilihan=D(2025, 4, 1), **rup)
    p3 = PaketRupFactory(
        opd=opd_a,
        pagu=Decimal("30"),
        tipe_paket=TipePaket.SWAKELOLA,
        metode_pengadaan="",
        tgl_awal_pemilihan=D(2025, 6, 1),
        **rup,
    )
    PaketRupFactory(opd=opd_a, pagu=Decimal("999"), metode_pengadaan="Tender", **rup)
    PaketRupFactory(opd=opd_a, pagu=Decimal("70"), status_aktif_rup=False, **rup)
    PaketRupFactory(
        opd=opd_c, pagu=Decimal("60"), metode_pengadaan="Penunjukan Langsung", tgl_awal_pemilihan=D(2025, 9, 1), **rup
    )
    r1 = PencatatanFactory(
        opd=opd_a,
        tahun_anggaran=2025,
        status=Status.SELESAI,
        kd_nontender_pct=8001,
        paket=[p1],
        pagu=Decimal("100"),
        tgl_buat_paket=D(2025, 2, 10),
    )
    r2 = PencatatanFactory(
        opd=opd_a,
        tahun_anggaran=2025,
        status=Status.BATAL,
        alasan_pembatalan="ganda",
        kd_nontender_pct=8002,
        paket=[p2],
        pagu=Decimal("50"),
        tgl_buat_paket=D(2025, 3, 1),
    )
    swakelola(
        opd=opd_a,
        tahun_anggaran=2025,
        status=Status.DRAFT,
        paket=[p3],
        pagu=Decimal("30"),
        tgl_buat_paket=D(2025, 7, 1),
    )
    r4 = PencatatanFactory(opd=opd_a, tahun_anggaran=2025, status=Status.BERJALAN, paket=[], pagu=Decimal("20"))
    r5 = PencatatanFactory(opd=opd_c, tahun_anggaran=2025, status=Status.SELESAI, paket=[], pagu=Decimal("10"))
    pay = RealisasiFactory
    pay(pencatatan=r1, nilai_realisasi=Decimal("40"), tgl_realisasi=D(2025, 3, 1), tgl_dicatat=D(2025, 3, 11))
    pay(pencatatan=r1, nilai_realisasi=Decimal("20"), tgl_realisasi=D(2025, 5, 1), tgl_dicatat=D(2025, 11, 15))
    pay(pencatatan=r4, nilai_realisasi=Decimal("5"), tgl_realisasi=D(2025, 6, 10), tgl_dicatat=D(2025, 6, 5))
    pay(pencatatan=r4, nilai_realisasi=Decimal("10"), tgl_realisasi=D(2025, 12, 1), tgl_dicatat=D(2025, 12, 31))
    pay(pencatatan=r2, nilai_realisasi=Decimal("999"), tgl_realisasi=D(2025, 1, 1), tgl_dicatat=D(2027, 9, 28))
    pay(pencatatan=r5, nilai_realisasi=Decimal("7"), tgl_realisasi=D(2025, 1, 2), tgl_dicatat=D(2025, 1, 5))
    old = PencatatanFactory(opd=opd_a, tahun_anggaran=2024, status=Status.SELESAI)
    pay(pencatatan=old, nilai_realisasi=Decimal("1"), tgl_realisasi=D(2024, 1, 1), tgl_dicatat=D(2024, 12, 1))
    return opd_a, opd_b, opd_c


def as_dict(row) -> dict:
    return {c: row.value(c) for c in dashboards.COLUMNS}


def test_rows_of_each_opd_and_the_city(pengawas, data):
    opd_a, opd_b, opd_c = data
    rows, kota = dashboards.tabel(tahun=2025, user=pengawas)
    by_opd = {row.opd: as_dict(row) for row in rows}
    assert by_opd[opd_a] == {
        "kd_satker": opd_a.kd_satker,
        "nama_satker": opd_a.nama_satker,
        "rup_paket": 3,
        "rup_pagu": Decimal("180"),  # P1 + P2 + P3
        "tercatat_paket": 2,
        "tercatat_pagu": Decimal("130"),  # P1 + P3 (P2's only record is Batal)
        "persen_tercatat": Decimal("72.22"),  # 130 / 180 × 100 = 72.222…
        "pencatatan_aktif": 3,
        "pencatatan_selesai": 1,
        "pencatatan_draft": 1,  # r1, r3, r4
        "realisasi_nilai": Decimal("75"),  # 40 + 20 + 5 + 10
        "median_lag_hari": Decimal("20.0"),  # lags −5, 10, 30, 198: (10 + 30) / 2
        "persen_input_nov_des": Decimal("50.00"),  # 15 Nov and 31 Dec of 4 entries
        "red_flags": 0,  # rule 4 needs more than half of the OPD's 4 entries late (> 30 days): only 1 is
        "tercatat_spse_paket": 1,  # P1 (r1 is in SPSE); P2's r2 is in SPSE but Batal, r3 is not in SPSE
        "tercatat_spse_pagu": Decimal("100"),
        "persen_tercatat_spse": Decimal("55.56"),  # 100 / 180 × 100 = 55.555…
    }
    assert by_opd[opd_b] == {
        "kd_satker": opd_b.kd_satker,
        "nama_satker": opd_b.nama_satker,
        "rup_paket": 0,
        "rup_pagu": Decimal("0"),
        "tercatat_paket": 0,
        "tercatat_pagu": Decimal("0"),
        "persen_tercatat": None,
        "pencatatan_aktif": 0,
        "pencatatan_selesai": 0,
        "pencatatan_draft": 0,
        "realisasi_nilai": Decimal("0"),
        "median_lag_hari": None,
        "persen_input_nov_des": None,
        "red_flags": 0,
        "tercatat_spse_paket": 0,
        "tercatat_spse_pagu": Decimal("0"),
        "persen_tercatat_spse": None,  # no RUP pagu
    }
    assert by_opd[opd_c]["persen_tercatat"] == Decimal("0.00")  # 0 / 60
    assert by_opd[opd_c]["median_lag_hari"] == Decimal("3.0")
    assert by_opd[opd_c]["persen_tercatat_spse"] == Decimal("0.00")  # 0 / 60
    assert as_dict(kota) == {
        "kd_satker": "",
        "nama_satker": "Kota Tangerang",
        "rup_paket": 4,
        "rup_pagu": Decimal("240"),
        "tercatat_paket": 2,
        "tercatat_pagu": Decimal("130"),
        "persen_tercatat": Decimal("54.17"),  # 130 / 240 × 100 = 54.1666…
        "pencatatan_aktif": 4,
        "pencatatan_selesai": 2,
        "pencatatan_draft": 1,
        "realisasi_nilai": Decimal("82"),  # 75 + 7
        "median_lag_hari": Decimal("10.0"),  # lags −5, 3, 10, 30, 198: the middle one, not a median of medians
        "persen_input_nov_des": Decimal("40.00"),  # 2 of 5
        "red_flags": 0,  # no OPD records more than half of its entries late
        "tercatat_spse_paket": 1,
        "tercatat_spse_pagu": Decimal("100"),
        "persen_tercatat_spse": Decimal("41.67"),  # 100 / 240 × 100 = 41.666…
    }


def test_rows_are_scoped_to_the_users_opd(operator_a, data):
    opd_a, _b, _c = data
    rows, kota = dashboards.tabel(tahun=2025, user=operator_a)
    assert [row.opd for row in rows] == [opd_a]
    assert kota.rup_pagu == Decimal("180")


def test_bands(pengawas, data):
    rows, _kota = dashboards.tabel(tahun=2025, user=pengawas)
    assert {row.opd.nama_satker: row.band for row in rows} == {
        "Dinas Pendidikan Uji": "sedang",  # 72.22: at least 50, under 80
        "Dinas Kesehatan Uji": "",  # no RUP
        "Kecamatan Uji C": "rendah",  # 0.00
    }


@pytest.mark.parametrize(
    ("histogram", "expected"),
    [
        ({}, None),
        ({5: 1}, Decimal("5.0")),
        ({1: 1, 2: 1}, Decimal("1.5")),
        ({-3: 2, 4: 2}, Decimal("0.5")),  # −3, −3, 4, 4: (−3 + 4) / 2
        ({0: 1, 7: 3}, Decimal("7.0")),
        ({-10: 3, 1: 1}, Decimal("-10.0")),
    ],
)
def test_median(histogram, expected):
    assert compute.median(histogram) == expected


def test_entries_per_month_show_the_pile_up(pengawas, data):
    opd_a, _b, _c = data
    months = dict(dashboards.dashboard(tahun=2025, user=pengawas, opd_ids=[opd_a.pk]).entri)
    assert months == {
        D(2025, m, 1): n for m, n in {1: 0, 2: 0, 3: 1, 4: 0, 5: 0, 6: 1, 7: 0, 8: 0, 9: 0, 10: 0, 11: 1, 12: 1}.items()
    }


def test_cumulative_curve_against_target(pengawas, data):
    opd_a, _b, _c = data
    curve = {
        m: (done, target)
        for m, done, target in dashboards.dashboard(tahun=2025, user=pengawas, opd_ids=[opd_a.pk]).kurva
    }
    # recorded: P1 in Feb (100), P3 in Jul (30); planned: P1 Jan, P2 Apr, P3 Jun; of 180
    assert curve[1] == (Decimal("0.00"), Decimal("55.56"))
    assert curve[2] == (Decimal("55.56"), Decimal("55.56"))
    assert curve[4] == (Decimal("55.56"), Decimal("83.33"))
    assert curve[6] == (Decimal("55.56"), Decimal("100.00"))
    assert curve[7] == (Decimal("72.22"), Decimal("100.00"))
    assert curve[12] == (Decimal("72.22"), Decimal("100.00"))


def test_not_yet_recorded_packages_oldest_month_first(pengawas, data):
    opd_a, _b, _c = data
    assert [p.pagu for p in dashboards.rup_belum_dicatat(tahun=2025, user=pengawas, opd_id=opd_a.pk)] == [
        Decimal("50.00")
    ]


# --- tercatat_spse_*: only records that exist in SPSE (DESIGN §5) --------------------------------


def spse_columns(row) -> tuple:
    return (
        row.tercatat_paket,
        row.tercatat_pagu,
        row.tercatat_spse_paket,
        row.tercatat_spse_pagu,
        row.persen_tercatat,
        row.persen_tercatat_spse,
    )


@pytest.fixture
def spse_year(opd_a, opd_b):
    """Year 2025 (codes 7xxx are SPSE's):
    OPD A  S1 PL 200: n1 NT Berjalan (not in SPSE) and n2 NT Selesai (in SPSE)  → recorded, in SPSE
           S2 PL 300: n3 NT Draft (not in SPSE)                                → recorded only
           S3 SW 500: w1 SW Batal (in SPSE) and w2 SW Berjalan (not in SPSE)   → recorded only
           S4 SW 100 and S6 SW 50: both linked by w3 SW Selesai (in SPSE)      → recorded, in SPSE
           S5 PL 400: w4, a swakelola record in SPSE (not the matching kind)   → neither
           S7 PL 600: n4 NT Batal (in SPSE)                                    → neither
    OPD B  T1 SW 80: v1 SW Berjalan (in SPSE); T2 PL 20: v2 NT Selesai (in SPSE); T3 PL 100: none
    OPD C  U1 PL 799: none; U2 PL 1: x1 NT Berjalan (in SPSE)
    OPD D  no RUP; y1 NT Selesai in SPSE, linking nothing
    """
    opd_c, opd_d = OpdFactory(nama_satker="Kecamatan Uji C"), OpdFactory(nama_satker="Kecamatan Uji D")

    def rup(opd, pagu, tipe=TipePaket.PENYEDIA):
        metode = "Pengadaan Langsung" if tipe == TipePaket.PENYEDIA else ""
        return PaketRupFactory(
            opd=opd, tahun_anggaran=2025, pagu=Decimal(pagu), tipe_paket=tipe, metode_pengadaan=metode
        )

    def nt(opd, status, paket, kode=None):
        batal = {"alasan_pembatalan": "ganda"} if status == Status.BATAL else {}
        return PencatatanFactory(
            opd=opd, tahun_anggaran=2025, status=status, paket=paket, kd_nontender_pct=kode, **batal
        )

    def sw(opd, status, paket, kode=None):
        batal = {"alasan_pembatalan": "ganda"} if status == Status.BATAL else {}
        return swakelola(opd=opd, tahun_anggaran=2025, status=status, paket=paket, kd_swakelola_pct=kode, **batal)

    sw_ = TipePaket.SWAKELOLA
    s1, s2, s3 = rup(opd_a, "200"), rup(opd_a, "300"), rup(opd_a, "500", sw_)
    s4, s5, s6, s7 = rup(opd_a, "100", sw_), rup(opd_a, "400"), rup(opd_a, "50", sw_), rup(opd_a, "600")
    nt(opd_a, Status.BERJALAN, [s1])
    nt(opd_a, Status.SELESAI, [s1], kode=7001)
    nt(opd_a, Status.DRAFT, [s2])
    sw(opd_a, Status.BATAL, [s3], kode=7101)
    sw(opd_a, Status.BERJALAN, [s3])
    sw(opd_a, Status.SELESAI, [s4, s6], kode=7102)
    sw(opd_a, Status.BERJALAN, [s5], kode=7103)
    nt(opd_a, Status.BATAL, [s7], kode=7002)
    t1, t2 = rup(opd_b, "80", sw_), rup(opd_b, "20")
    rup(opd_b, "100")
    sw(opd_b, Status.BERJALAN, [t1], kode=7104)
    nt(opd_b, Status.SELESAI, [t2], kode=7003)
    rup(opd_c, "799")
    nt(opd_c, Status.BERJALAN, [rup(opd_c, "1")], kode=7004)
    nt(opd_d, Status.SELESAI, [], kode=7005)
    return opd_a, opd_b, opd_c, opd_d


def test_tercatat_spse_counts_only_records_in_spse(pengawas, spse_year):
    opd_a, opd_b, opd_c, opd_d = spse_year
    rows, kota = dashboards.tabel(tahun=2025, user=pengawas)
    by_opd = {row.opd: spse_columns(row) for row in rows}
    # (tercatat_paket, tercatat_pagu, tercatat_spse_paket, tercatat_spse_pagu, persen_tercatat, persen_tercatat_spse)
    assert by_opd == {
        # RUP 200 + 300 + 500 + 100 + 400 + 50 + 600 = 2150; recorded S1, S2, S3, S4, S6 = 1150, in SPSE
        # S1, S4, S6 = 350; 1150 / 2150 × 100 = 53.488…, 350 / 2150 × 100 = 16.279…
        opd_a: (5, Decimal("1150"), 3, Decimal("350"), Decimal("53.49"), Decimal("16.28")),
        # RUP 80 + 20 + 100 = 200; T1 and T2 recorded and in SPSE: 100 / 200
        opd_b: (2, Decimal("100"), 2, Decimal("100"), Decimal("50.00"), Decimal("50.00")),
        # RUP 799 + 1 = 800; 1 / 800 × 100 = 0.125, half up
        opd_c: (1, Decimal("1"), 1, Decimal("1"), Decimal("0.13"), Decimal("0.13")),
        # no RUP pagu: both percentages empty, whatever is recorded
        opd_d: (0, Decimal("0"), 0, Decimal("0"), None, None),
    }
    # the city: RUP 2150 + 200 + 800 = 3150; recorded 1150 + 100 + 1 = 1251 (39.714…), in SPSE
    # 350 + 100 + 1 = 451 (14.317…)
    assert spse_columns(kota) == (8, Decimal("1251"), 6, Decimal("451"), Decimal("39.71"), Decimal("14.32"))


def test_tercatat_spse_columns_follow_red_flags_in_the_table(pengawas, spse_year):
    opd_a, _b, _c, _d = spse_year
    rows, _kota = dashboards.tabel(tahun=2025, user=pengawas, opd_ids=[opd_a.pk])
    assert dashboards.COLUMNS[-4:] == ("red_flags", "tercatat_spse_paket", "tercatat_spse_pagu", "persen_tercatat_spse")
    assert [rows[0].value(c) for c in dashboards.COLUMNS[-3:]] == [3, Decimal("350"), Decimal("16.28")]


# OPDs, stored summaries; then to compute: create missing rows, read generasi, 3 metric queries,
# 3 red-flag queries, and in one transaction (2 savepoint statements) lock, delete and write flags,
# write summaries; then reviewed flags. Was 17 until red flag rule 4 reused the metrics' count of entries
# by lag (tests/pengadaan/test_dashboard.py QUERIES_RECOMPUTE).
QUERIES_COMPUTE = 16


@pytest.mark.parametrize("n_opd", [1, 3])
def test_table_query_count_is_constant(pengawas, django_assert_num_queries, n_opd):
    for _ in range(n_opd):
        record = PencatatanFactory(tahun_anggaran=2025)
        RealisasiFactory(pencatatan=record, tgl_realisasi=D(2025, 5, 1), tgl_dicatat=D(2025, 5, 3))
    with django_assert_num_queries(QUERIES_COMPUTE):  # first read: computed and stored
        rows, _kota = dashboards.tabel(tahun=2025, user=pengawas)
    with django_assert_num_queries(3):  # then read: OPDs, stored summaries, reviewed flags
        again, _kota = dashboards.tabel(tahun=2025, user=pengawas)
    assert len(rows) == len(again) == n_opd
    assert [r.pencatatan_aktif for r in rows] == [r.pencatatan_aktif for r in again] == [1] * n_opd
