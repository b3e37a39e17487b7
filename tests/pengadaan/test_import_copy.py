"""Issue 16: on PostgreSQL the import writes with COPY into a staging table and one set-based merge;
elsewhere with the ORM's bulk_create / bulk_update. Both must store exactly the same rows.

These tests run on both databases (CI runs the suite on PostgreSQL too): every column of every stored
row is compared with values worked out by hand from the file, so the COPY path (PostgreSQL) and the ORM
path (SQLite) are held to the same expectations.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone

from pengadaan.imports import bulk, pipeline
from pengadaan.models import CatatanData, PaketRup, Pencatatan, PencatatanRup, Realisasi, Status, TipePaket
from tests.factories import OpdFactory, PaketRupFactory
from tests.pengadaan.test_imports import REAL_HEADER, xlsx

HEADER = [
    "kd_nontender_pct",
    "tahun_anggaran",
    "kd_satker",
    "kd_satker_str",
    "kd_rup",
    "nama_paket",
    "pagu",
    "nilai_pdn_pct",
    "sumber_dana",
    "mtd_pemilihan",
    "kategori_pengadaan",
    "bukti_pembayaran",
    "status_nontender_pct",
    "status_nontender_pct_ket",
    "alasan_pembatalan",
    "nip_ppk",
    "nama_ppk",
    "tgl_buat_paket",
    "tgl_mulai_paket",
    "tgl_selesai_paket",
    "uraian_pekerjaan",
    "informasi_lainnya",
]

# A: every optional cell empty (NULLs and empty strings); B: HTML uraian, two RUP codes, a cancelled record
ROW_A = [
    "32601001", 2024, "16203093", "4.01.0.00.0.00.24.0000", "", "Belanja ATK", 45000000, "", "",
    "Pengadaan Langsung", "Pengadaan Barang", "", "Aktif", "Paket Selesai", "", "", "",
    "2024-08-29T10:00:01.679000Z", "", "", "", "",
]  # fmt: skip
ROW_B = [
    "32601002", 2024, "16203093", "4.01.0.00.0.00.24.0000", "48120335;48120334", "Jasa kebersihan kantor",
    "1.450.200,50", "1.000.000", "APBD", "Penunjukan Langsung", "Jasa Lainnya", "SPK", "Ditutup",
    "Paket Dibatalkan", "Anggaran dialihkan", "198501012010011001", "Citra Lestari, S.E.",
    "2024-08-29T20:00:00Z", "2024-09-01", "2024-10-31", "<p>Pembersihan <b>gedung</b></p><p>&amp; halaman</p>",
    "Termin tunggal",
]  # fmt: skip


def expected_record(opd, admin, **changes) -> dict:
    """Row A as stored, by hand: empty optional cells are NULL (numbers, dates) or "" (text)."""
    values = {
        "dibuat_oleh_id": admin.pk,
        "opd_id": opd.pk,
        "jenis": "non_tender",
        "tahun_anggaran": 2024,
        "kd_rup": "",
        "kd_nontender_pct": 32601001,
        "kd_swakelola_pct": None,
        "nama_paket": "Belanja ATK",
        "pagu": Decimal("45000000.00"),
        "nilai_pdn_pct": None,
        "nilai_umk_pct": None,
        "sumber_dana": "",
        "uraian_pekerjaan": "",
        "informasi_lainnya": "",
        "kategori_pengadaan": "Barang",
        "mtd_pemilihan": "Pengadaan Langsung",
        "bukti_pembayaran": "",
        "tipe_swakelola": None,
        "pelaksana_swakelola": "",
        "status": "selesai",
        "alasan_pembatalan": "",
        "ppk_id": None,
        "pptk_id": None,
        "nip_ppk": "",
        "nama_ppk": "",
        "tgl_buat_paket": dt.date(2024, 8, 29),  # 10:00 UTC is 17:00 in Jakarta, the same day
        "tgl_mulai_paket": None,
        "tgl_selesai_paket": None,
        "sumber": "impor",
        "nilai_spse": {"pagu": "45000000.00", "status": "selesai", "nip_ppk": "", "nama_ppk": ""},
        "versi": 1,
    }
    return {**values, **changes}


def stored(model) -> list[dict]:
    return list(model.objects.order_by("id").values())


@pytest.fixture
def setup(db):
    opd = OpdFactory(kd_satker="60412", kd_satker_str="4.01.0.00.0.00.24.0000", kd_satker_spse=None)
    pakets = [
        PaketRupFactory(opd=opd, kd_rup=code, tahun_anggaran=2024, tipe_paket=TipePaket.PENYEDIA)
        for code in (48120334, 48120335)
    ]
    return opd, pakets


def test_the_path_follows_the_database(db):
    assert bulk.use_copy() is (connection.vendor == "postgresql")


def test_every_column_of_created_updated_and_linked_records_and_of_a_payment(setup, admin):
    opd, (paket_34, paket_35) = setup
    before = timezone.now()
    outcome = pipeline.run("nontender", xlsx(HEADER, [ROW_A, ROW_B]), "nt.xlsx", user=admin)
    after = timezone.now()
    assert (outcome.errors, outcome.created) == ([], 2)

    rows = stored(Pencatatan)
    a, b = rows
    for row in rows:  # auto_now_add and auto_now: the moment of the write, as the ORM sets them
        assert before <= row.pop("dibuat_pada") <= after
        assert before <= row.pop("diubah_pada") <= after
    assert a.pop("id") < b.pop("id")  # file order
    assert a == expected_record(opd, admin)
    assert b == expected_record(
        opd,
        admin,
        kd_rup="48120334;48120335",
        kd_nontender_pct=32601002,
        nama_paket="Jasa kebersihan kantor",
        pagu=Decimal("1450200.50"),
        nilai_pdn_pct=Decimal("1000000.00"),
        sumber_dana="APBD",
        uraian_pekerjaan="Pembersihan gedung\n& halaman",
        informasi_lainnya="Termin tunggal",
        kategori_pengadaan="Jasa Lainnya",
        mtd_pemilihan="Penunjukan Langsung",
        bukti_pembayaran="SPK",
        status="batal",
        alasan_pembatalan="Anggaran dialihkan",
        nip_ppk="198501012010011001",
        nama_ppk="Citra Lestari, S.E.",
        tgl_buat_paket=dt.date(2024, 8, 30),  # 20:00 UTC is 03:00 the next day in Jakarta
        tgl_mulai_paket=dt.date(2024, 9, 1),
        tgl_selesai_paket=dt.date(2024, 10, 31),
        nilai_spse={
            "pagu": "1450200.50",
            "status": "batal",
            "nip_ppk": "198501012010011001",
            "nama_ppk": "Citra Lestari, S.E.",
        },
    )
    record_b = Pencatatan.objects.get(kd_nontender_pct=32601002)
    assert set(PencatatanRup.objects.values_list("pencatatan_id", "paket_id")) == {
        (record_b.pk, paket_34.pk),
        (record_b.pk, paket_35.pk),
    }
    opd.refresh_from_db()
    assert opd.kd_satker_spse == "16203093"  # learned from the file's kd_satker_str
    # one "+" history row per record, carrying the record's values
    history = list(Pencatatan.history.order_by("history_id").values("id", "history_type", "pagu", "kd_rup"))
    assert [(h["history_type"], h["pagu"], h["kd_rup"]) for h in history] == [
        ("+", Decimal("45000000.00"), ""),
        ("+", Decimal("1450200.50"), "48120334;48120335"),
    ]

    # the same file with A's pagu changed and B's second RUP code dropped: two updates
    changed_a = [*ROW_A]
    changed_a[HEADER.index("pagu")] = "50.000.000"
    changed_b = [*ROW_B]
    changed_b[HEADER.index("kd_rup")] = "48120334"
    created_a = Pencatatan.objects.get(kd_nontender_pct=32601001).dibuat_pada
    outcome = pipeline.run("nontender", xlsx(HEADER, [changed_a, changed_b]), "nt-2.xlsx", user=admin)
    assert (outcome.errors, outcome.created, outcome.updated) == ([], 0, 2)
    a2 = stored(Pencatatan)[0]
    assert a2.pop("dibuat_pada") == created_a
    # bulk_update writes only the listed fields: diubah_pada keeps the first write's moment
    assert before <= a2.pop("diubah_pada") <= after
    a2.pop("id")
    assert a2 == expected_record(
        opd,
        admin,
        pagu=Decimal("50000000.00"),
        versi=2,
        nilai_spse={"pagu": "50000000.00", "status": "selesai", "nip_ppk": "", "nama_ppk": ""},
    )
    assert list(PencatatanRup.objects.values_list("pencatatan_id", "paket_id")) == [(record_b.pk, paket_34.pk)]
    record_b.refresh_from_db()
    assert (record_b.kd_rup, record_b.versi) == ("48120334", 2)
    reason = "Impor nontender dari nt-2.xlsx"
    assert Pencatatan.history.filter(history_type="~", history_change_reason=reason).count() == 2

    # a payment of record A
    payment = ["32601001", "", "Kuitansi", "KW-17", "2024-09-02", "12.500.000", "CV Maju", "01.234.567.8-901.234"]
    outcome = pipeline.run("nontender-realisasi", xlsx(REAL_HEADER, [payment]), "real.xlsx", user=admin)
    assert (outcome.errors, outcome.created) == ([], 1)
    (paid,) = stored(Realisasi)
    assert before <= paid.pop("dibuat_pada") <= timezone.now()
    paid.pop("id")
    penyedia_id = paid.pop("penyedia_id")
    assert paid == {
        "dibuat_oleh_id": admin.pk,
        "pencatatan_id": Pencatatan.objects.get(kd_nontender_pct=32601001).pk,
        "jenis_realisasi": "kuitansi",
        "no_realisasi": "KW-17",
        "tgl_realisasi": dt.date(2024, 9, 2),
        "nilai_realisasi": Decimal("12500000.00"),
        "dok_realisasi": "",
        "ket_realisasi": "",
        "tgl_dicatat": dt.date(2024, 8, 29),  # the record's recording date in SPSE
        "sumber": "impor",
        "di_spse": True,
    }
    assert Realisasi.objects.get().penyedia.npwp == "012345678901234"
    assert penyedia_id is not None


def history_of(record_values: dict) -> dict:
    """What a history row copies of a record: every column but diubah_pada (not tracked)."""
    return {k: v for k, v in record_values.items() if k != "diubah_pada"}


def test_every_column_of_history_rows_and_data_quality_notes(setup, admin):
    _opd, (paket_34, _paket_35) = setup
    # SPSE's published oddities, kept with notes: a non-numeric RUP code, an end before the start, no category
    row = [*ROW_A]
    row[HEADER.index("kd_rup")] = "48120334;ABC"
    row[HEADER.index("kategori_pengadaan")] = ""
    row[HEADER.index("tgl_mulai_paket")] = "2024-09-10"
    row[HEADER.index("tgl_selesai_paket")] = "2024-09-01"
    before = timezone.now()
    outcome = pipeline.run("nontender", xlsx(HEADER, [row, ROW_B]), "nt.xlsx", user=admin)
    after = timezone.now()
    assert (outcome.errors, outcome.created, outcome.noted) == ([], 2, 1)
    record = Pencatatan.objects.get(kd_nontender_pct=32601001)
    assert PencatatanRup.objects.get(pencatatan=record).paket_id == paket_34.pk
    reason = "Impor nontender dari nt.xlsx"
    notes = list(CatatanData.objects.order_by("kolom").values())
    for note in notes:
        assert before <= note.pop("dibuat_pada") <= after
        assert note.pop("id") > 0
    common = {"pencatatan_id": record.pk, "realisasi_id": None, "impor": reason}
    assert notes == [
        {**common, "aturan": "wajib_kosong", "kolom": "kategori_pengadaan", "nilai": ""},
        {**common, "aturan": "kode_rup_bukan_angka", "kolom": "kd_rup", "nilai": "ABC"},
        {**common, "aturan": "selesai_sebelum_mulai", "kolom": "tgl_selesai_paket", "nilai": "2024-09-01 < 2024-09-10"},
    ]
    # one "+" history row per record, in file order: every tracked column as stored, who, why and when
    records = stored(Pencatatan)
    history = list(Pencatatan.history.order_by("history_id").values())
    assert len(history) == 2
    for entry, values in zip(history, records, strict=True):
        assert before <= entry.pop("history_date") <= after
        assert entry.pop("history_id") > 0
        assert entry == {
            **history_of(values),
            "history_type": "+",
            "history_user_id": admin.pk,
            "history_change_reason": reason,
        }

    # SPSE corrects the end date: that note goes, the others stay with the import they came in
    row[HEADER.index("tgl_selesai_paket")] = "2024-09-30"
    outcome = pipeline.run("nontender", xlsx(HEADER, [row, ROW_B]), "nt-2.xlsx", user=admin)
    assert (outcome.errors, outcome.updated, outcome.unchanged) == ([], 1, 1)
    assert list(CatatanData.objects.order_by("kolom").values_list("kolom", "impor")) == [
        ("kategori_pengadaan", reason),
        ("kd_rup", reason),
    ]
    (entry,) = Pencatatan.history.filter(history_type="~").values()
    entry.pop("history_id"), entry.pop("history_date")
    (values,) = [v for v in stored(Pencatatan) if v["id"] == record.pk]
    assert values["tgl_selesai_paket"] == dt.date(2024, 9, 30)
    assert values["versi"] == 2
    assert entry == {
        **history_of(values),
        "history_type": "~",
        "history_user_id": admin.pk,
        "history_change_reason": "Impor nontender dari nt-2.xlsx",
    }


def test_staging_table_is_gone_after_the_import(setup, admin):
    pipeline.run("nontender", xlsx(HEADER, [ROW_A]), "nt.xlsx", user=admin)
    tables = connection.introspection.table_names()
    assert [name for name in tables if name.startswith("tmp_staging")] == []
    assert Pencatatan.objects.count() == 1


def test_every_column_of_created_and_updated_rup_packages(db):
    opd = OpdFactory(kd_satker="60412", kd_satker_str="4.01.0.00.0.00.24.0000")
    header = ["kd_rup", "tahun_anggaran", "kd_satker", "nama_paket", "pagu", "metode_pengadaan", "jenis_pengadaan"]
    header += ["tgl_awal_pemilihan", "status_aktif_rup", "status_delete_rup", "nip_ppk", "nama_ppk", "sumber_dana"]
    first = [48120334, 2024, "60412", "Belanja ATK", "1.450.200", "Pengadaan Langsung", "Barang", "2024-03-17"]
    first += ["false", "", "", "", ""]
    second = [48120335, 2024, "60412", "Jasa kebersihan", "2.000.000,50", "Penunjukan Langsung", "Jasa Lainnya"]
    second += ["", "true", "true", "198501012010011001", "Citra Lestari, S.E.", "APBD"]
    outcome = pipeline.run("rup-penyedia", xlsx(header, [first, second]), "rup.xlsx")
    assert (outcome.errors, outcome.created) == ([], 2)
    common = {"opd_id": opd.pk, "tahun_anggaran": 2024, "tipe_paket": TipePaket.PENYEDIA, "tipe_swakelola": None}
    common["status_umumkan_rup"] = "Terumumkan"  # no column: SiRUP's default
    expected_first = {
        **common,
        "kd_rup": 48120334,
        "nama_paket": "Belanja ATK",
        "pagu": Decimal("1450200.00"),
        "metode_pengadaan": "Pengadaan Langsung",
        "jenis_pengadaan": "Barang",
        "sumber_dana": "",
        "tgl_awal_pemilihan": dt.date(2024, 3, 1),  # the month is what the RUP plans
        "status_aktif_rup": False,
        "status_delete_rup": False,  # empty cell: not deleted
        "nip_ppk": "",
        "nama_ppk": "",
    }
    expected_second = {
        **common,
        "kd_rup": 48120335,
        "nama_paket": "Jasa kebersihan",
        "pagu": Decimal("2000000.50"),
        "metode_pengadaan": "Penunjukan Langsung",
        "jenis_pengadaan": "Jasa Lainnya",
        "sumber_dana": "APBD",
        "tgl_awal_pemilihan": None,
        "status_aktif_rup": True,
        "status_delete_rup": True,
        "nip_ppk": "198501012010011001",
        "nama_ppk": "Citra Lestari, S.E.",
    }
    rows = stored(PaketRup)
    assert [{k: v for k, v in row.items() if k != "id"} for row in rows] == [expected_first, expected_second]
    first[header.index("pagu")] = "1.500.000"
    outcome = pipeline.run("rup-penyedia", xlsx(header, [first, second]), "rup.xlsx")
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 1)
    rows = stored(PaketRup)
    assert [{k: v for k, v in row.items() if k != "id"} for row in rows] == [
        {**expected_first, "pagu": Decimal("1500000.00")},
        expected_second,
    ]


# values of the Python types the column converter passes on without Django's chain, per kind of field
SAMPLES = {
    "str": ["", "Belanja ATK", "<p>&amp;</p>", Status.SELESAI],
    "int": [0, 7, 2024, 32601001],
    "bool": [True, False],
    "date": [dt.date(2024, 8, 29), dt.date(2000, 1, 1)],
    "decimal": [Decimal("45000000.00"), Decimal("1450200.5"), Decimal("0")],
}


def samples(field) -> list:
    if isinstance(field, models.ForeignKey | models.IntegerField):  # AutoField, BigAutoField are IntegerFields
        return SAMPLES["int"]
    if isinstance(field, models.CharField | models.TextField):
        return SAMPLES["str"]
    if isinstance(field, models.BooleanField):
        return SAMPLES["bool"]
    if isinstance(field, models.DecimalField):
        return SAMPLES["decimal"]
    if type(field) is models.DateField:
        return SAMPLES["date"]
    return []


@pytest.mark.parametrize("model", [Pencatatan, PencatatanRup, Realisasi, PaketRup, CatatanData])
def test_the_column_converter_gives_what_django_gives(db, model):
    checked = set()
    for field in model._meta.concrete_fields:
        convert = bulk.column_converter(field, connection)
        values = [None, *samples(field)] if field.null or field.primary_key else samples(field)
        assert convert(values) == [field.get_db_prep_save(v, connection) for v in values], field.name
        checked.add(type(field))
    assert models.ForeignKey in checked  # every model here has one
    if model is Pencatatan:
        assert {models.CharField, models.TextField, models.DecimalField, models.DateField} <= checked


def test_the_column_converter_leaves_other_values_to_django(db):
    pagu = Pencatatan._meta.get_field("pagu")
    convert = bulk.column_converter(pagu, connection)
    assert convert([45000000, "1.5"]) == [Decimal("45000000"), Decimal("1.5")]
    with pytest.raises(ValidationError):  # Django refuses what is not a finite number; so does the converter
        convert([Decimal("NaN")])
    tgl = Pencatatan._meta.get_field("tgl_buat_paket")
    assert bulk.column_converter(tgl, connection)(["2024-08-29"]) == [tgl.get_db_prep_save("2024-08-29", connection)]
