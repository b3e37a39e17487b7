"""The endpoints: what each answers, in LKPP's field names, scoped like the pages (DESIGN §11, §13)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pengadaan.models import JenisPencatatan, Status, TipePaket
from tests.api.conftest import api_get, token_of
from tests.conftest import PERSONAS
from tests.factories import PaketRupFactory, PencatatanFactory, PenyediaFactory, RealisasiFactory

ANON, OP_A, PPK_A, OP_B, PENGAWAS, ADMIN = PERSONAS
TAHUN = 2026


@pytest.fixture
def world(opd_a, opd_b):
    """In each OPD: a Berjalan record with a payment (not yet in SPSE), and a Selesai record without payments
    that is in SPSE (red flag rule 5); a RUP package not recorded."""
    for opd, kode in ((opd_a, 81_000_001), (opd_b, 82_000_001)):
        berjalan = PencatatanFactory(
            opd=opd, nama_paket=f"Berjalan {opd.singkatan}", tgl_buat_paket=dt.date(TAHUN, 2, 1)
        )
        RealisasiFactory(pencatatan=berjalan)
        PencatatanFactory(opd=opd, status=Status.SELESAI, kd_nontender_pct=kode, nama_paket=f"Selesai {opd.singkatan}")
        PaketRupFactory(opd=opd, nama_paket=f"RUP belum {opd.singkatan}")
    return opd_a, opd_b


EXPECTED_OPDS = {
    OP_A: {"A"},
    PPK_A: {"A"},
    OP_B: {"B"},
    PENGAWAS: {"A", "B"},
    ADMIN: {"A", "B"},
}


def _letters(kd_satkers, opd_a, opd_b) -> set[str]:
    names = {opd_a.kd_satker: "A", opd_b.kd_satker: "B"}
    return {names[k] for k in kd_satkers}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_endpoint_is_scoped_like_the_pages(persona, personas, world):
    opd_a, opd_b = world
    token = token_of(personas[persona])
    urls = {
        "opd": "/api/v1/opd",
        "rup": "/api/v1/rup",
        "pencatatan": f"/api/v1/pencatatan?tahun={TAHUN}",
        "dashboard": f"/api/v1/dashboard?tahun={TAHUN}",
        "tanda_bahaya": f"/api/v1/tanda-bahaya?tahun={TAHUN}",
        "rekonsiliasi": f"/api/v1/rekonsiliasi?tahun={TAHUN}",
    }
    responses = {name: api_get(token, url) for name, url in urls.items()}
    if persona == ANON:
        assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(urls, 401)
        return
    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(urls, 200)
    body = {name: r.json() for name, r in responses.items()}
    seen = {
        "opd": _letters([o["kd_satker"] for o in body["opd"]["hasil"]], opd_a, opd_b),
        "rup": _letters({p["kd_satker"] for p in body["rup"]["hasil"]}, opd_a, opd_b),
        "pencatatan": _letters({p["kd_satker"] for p in body["pencatatan"]["hasil"]}, opd_a, opd_b),
        "dashboard": _letters([b["kd_satker"] for b in body["dashboard"]["baris"]], opd_a, opd_b),
        "tanda_bahaya": _letters({f["kd_satker"] for f in body["tanda_bahaya"]["hasil"]}, opd_a, opd_b),
        "rekonsiliasi": _letters({r["kd_satker"] for r in body["rekonsiliasi"]["belum_di_spse"]}, opd_a, opd_b),
    }
    assert seen == dict.fromkeys(urls, EXPECTED_OPDS[persona])
    opds = len(EXPECTED_OPDS[persona])
    # each OPD: 3 RUP packages (2 linked by its records, 1 not), 2 records, one rule-5 flag, one record not in SPSE
    assert body["rup"]["jumlah"] == 3 * opds
    assert body["pencatatan"]["jumlah"] == 2 * opds
    assert body["tanda_bahaya"]["jumlah"] == opds
    assert {f["rule"] for f in body["tanda_bahaya"]["hasil"]} == {5}
    assert len(body["rekonsiliasi"]["belum_di_spse"]) == opds
    # the city row is for those who see every OPD
    assert (body["dashboard"]["kota"] is not None) == (persona in (PENGAWAS, ADMIN))


@pytest.mark.parametrize("persona", [OP_A, PPK_A])
def test_another_opds_objects_are_404(persona, personas, world):
    _opd_a, opd_b = world
    token = token_of(personas[persona])
    record_b = opd_b.pencatatan.get(status=Status.BERJALAN)
    got = {
        url: api_get(token, url).status_code
        for url in (
            f"/api/v1/opd/{opd_b.kd_satker}",
            f"/api/v1/pencatatan/{record_b.pk}",
            f"/api/v1/pencatatan?kd_satker={opd_b.kd_satker}",
            f"/api/v1/rup?kd_satker={opd_b.kd_satker}",
            f"/api/v1/tanda-bahaya?kd_satker={opd_b.kd_satker}",
            f"/api/v1/rekonsiliasi?kd_satker={opd_b.kd_satker}",
        )
    }
    assert got == dict.fromkeys(got, 404)
    assert api_get(token, f"/api/v1/pencatatan/{record_b.pk}").json() == {"detail": "Tidak ditemukan."}


def test_pengawas_reads_any_opd(pengawas, world):
    _opd_a, opd_b = world
    token = token_of(pengawas)
    record_b = opd_b.pencatatan.get(status=Status.BERJALAN)
    assert api_get(token, f"/api/v1/opd/{opd_b.kd_satker}").json()["nama_satker"] == "Dinas Kesehatan Uji"
    assert api_get(token, f"/api/v1/pencatatan/{record_b.pk}").json()["nama_paket"] == "Berjalan Dinkes-B"


def test_opd_in_lkpp_fields(operator_a):
    opd = operator_a.opd
    got = api_get(token_of(operator_a), f"/api/v1/opd/{opd.kd_satker}").json()
    assert got == {
        "kd_satker": opd.kd_satker,
        "kd_satker_str": opd.kd_satker_str,
        "kd_satker_spse": opd.kd_satker_spse,
        "nama_satker": "Dinas Pendidikan Uji",
        "singkatan": "Disdik-A",
        "jenis_satker": "dinas",
        "aktif": True,
    }


def test_rup_in_lkpp_fields_and_filters(pengawas, opd_a, opd_b):
    PaketRupFactory(
        opd=opd_a,
        kd_rup=48_120_334,
        nama_paket="Pemeliharaan Taman",
        pagu=Decimal("1450200.00"),
        tipe_paket=TipePaket.SWAKELOLA,
        metode_pengadaan="",
        jenis_pengadaan="",
        tipe_swakelola=2,
        tgl_awal_pemilihan=dt.date(TAHUN, 7, 1),
        nip_ppk="198001012005011001",
        nama_ppk="Citra",
    )
    PaketRupFactory(opd=opd_b, kd_rup=48_120_335, tahun_anggaran=2025)
    token = token_of(pengawas)
    got = api_get(token, "/api/v1/rup", tahun=TAHUN, tipe_paket="Swakelola").json()
    assert got == {
        "jumlah": 1,
        "halaman": 1,
        "per_halaman": 100,
        "hasil": [
            {
                "kd_rup": 48_120_334,
                "tahun_anggaran": 2026,
                "kd_satker": opd_a.kd_satker,
                "nama_paket": "Pemeliharaan Taman",
                "pagu": "1450200.00",
                "tipe_paket": "Swakelola",
                "metode_pengadaan": "",
                "jenis_pengadaan": "",
                "tipe_swakelola": 2,
                "sumber_dana": "APBD",
                "tgl_awal_pemilihan": "2026-07-01",
                "status_umumkan_rup": "Terumumkan",
                "status_aktif_rup": True,
                "status_delete_rup": False,
                "nip_ppk": "198001012005011001",
                "nama_ppk": "Citra",
            }
        ],
    }
    assert [p["kd_rup"] for p in api_get(token, "/api/v1/rup", tahun=2025).json()["hasil"]] == [48_120_335]
    assert [p["kd_rup"] for p in api_get(token, "/api/v1/rup", kd_satker=opd_b.kd_satker).json()["hasil"]] == [
        48_120_335
    ]


def test_pencatatan_with_its_payments_in_lkpp_fields(ppk_a, opd_a):
    record = PencatatanFactory(
        opd=opd_a,
        kd_nontender_pct=91_000_001,
        nama_paket="Belanja ATK",
        pagu=Decimal("45000000.00"),
        nilai_pdn_pct=Decimal("30000000.00"),
        sumber_dana="APBD",
        uraian_pekerjaan="Kertas dan tinta",
        bukti_pembayaran="NonSPK",
        nip_ppk="198001012005011001",
        nama_ppk="Citra",
        tgl_buat_paket=dt.date(TAHUN, 3, 1),
        tgl_mulai_paket=dt.date(TAHUN, 3, 2),
        tgl_selesai_paket=dt.date(TAHUN, 4, 30),
    )
    penyedia = PenyediaFactory(nama="CV Maju Jaya", npwp="012345678901234")
    RealisasiFactory(
        pencatatan=record,
        no_realisasi="KW-2",
        tgl_realisasi=dt.date(TAHUN, 4, 20),
        nilai_realisasi=Decimal("12500000.00"),
        penyedia=penyedia,
        tgl_dicatat=dt.date(TAHUN, 4, 21),
    )
    RealisasiFactory(
        pencatatan=record,
        no_realisasi="KW-1",
        tgl_realisasi=dt.date(TAHUN, 3, 20),
        nilai_realisasi=Decimal("2500000.50"),
        penyedia=penyedia,
        tgl_dicatat=dt.date(TAHUN, 3, 20),
        di_spse=True,
    )
    payment = {
        "jenis_realisasi": "kuitansi",
        "dok_realisasi": "",
        "ket_realisasi": "",
        "nama_penyedia": "CV Maju Jaya",
        "npwp_penyedia": "012345678901234",
        "nama_pelaksana": None,
        "npwp_pelaksana": None,
    }
    expected = {
        "id": record.pk,
        "jenis": "non_tender",
        "kd_nontender_pct": 91_000_001,
        "kd_swakelola_pct": None,
        "tahun_anggaran": 2026,
        "kd_satker": opd_a.kd_satker,
        "kd_rup": record.kd_rup,
        "nama_paket": "Belanja ATK",
        "pagu": "45000000.00",
        "status": "berjalan",
        "tgl_buat_paket": "2026-03-01",
        "total_realisasi": "15000000.50",  # 12,500,000.00 + 2,500,000.50
        "nilai_pdn_pct": "30000000.00",
        "nilai_umk_pct": None,
        "sumber_dana": "APBD",
        "uraian_pekerjaan": "Kertas dan tinta",
        "informasi_lainnya": "",
        "kategori_pengadaan": "Barang",
        "mtd_pemilihan": "Pengadaan Langsung",
        "bukti_pembayaran": "NonSPK",
        "tipe_swakelola": None,
        "nama_pelaksana": "",
        "alasan_pembatalan": "",
        "nip_ppk": "198001012005011001",
        "nama_ppk": "Citra",
        "tgl_mulai_paket": "2026-03-02",
        "tgl_selesai_paket": "2026-04-30",
        "realisasi": [  # in date order
            {
                **payment,
                "no_realisasi": "KW-1",
                "tgl_realisasi": "2026-03-20",
                "nilai_realisasi": "2500000.50",
                "tgl_dicatat": "2026-03-20",
                "di_spse": True,
            },
            {
                **payment,
                "no_realisasi": "KW-2",
                "tgl_realisasi": "2026-04-20",
                "nilai_realisasi": "12500000.00",
                "tgl_dicatat": "2026-04-21",
                "di_spse": False,
            },
        ],
    }
    token = token_of(ppk_a)
    assert api_get(token, f"/api/v1/pencatatan/{record.pk}").json() == expected
    listed = api_get(token, "/api/v1/pencatatan").json()
    assert listed == {"jumlah": 1, "halaman": 1, "per_halaman": 100, "hasil": [expected]}


def test_swakelola_payments_name_the_executing_party(operator_a, opd_a):
    record = PencatatanFactory(
        opd=opd_a,
        jenis=JenisPencatatan.SWAKELOLA,
        mtd_pemilihan="",
        kategori_pengadaan="",
        tipe_swakelola=3,
        pelaksana_swakelola="Ormas Bakti",
    )
    RealisasiFactory(pencatatan=record, penyedia=PenyediaFactory(nama="Ormas Bakti", npwp="0987654321098765"))
    got = api_get(token_of(operator_a), f"/api/v1/pencatatan/{record.pk}").json()
    assert (got["jenis"], got["tipe_swakelola"], got["nama_pelaksana"]) == ("swakelola", 3, "Ormas Bakti")
    payment = got["realisasi"][0]
    assert {k: payment[k] for k in ("nama_penyedia", "npwp_penyedia", "nama_pelaksana", "npwp_pelaksana")} == {
        "nama_penyedia": None,
        "npwp_penyedia": None,
        "nama_pelaksana": "Ormas Bakti",
        "npwp_pelaksana": "0987654321098765",
    }


def test_pencatatan_filters_are_the_record_lists(pengawas, opd_a, opd_b):
    PencatatanFactory(opd=opd_a, nama_paket="Laptop Anggrek", status=Status.DRAFT)
    PencatatanFactory(opd=opd_a, nama_paket="Kursi Anggrek", status=Status.BERJALAN, kd_nontender_pct=77)
    PencatatanFactory(opd=opd_b, nama_paket="Laptop Zamrud", status=Status.BERJALAN, tahun_anggaran=2025)
    token = token_of(pengawas)

    def names(**params) -> list[str]:
        response = api_get(token, "/api/v1/pencatatan", **params)
        assert response.status_code == 200, response.json()
        return sorted(r["nama_paket"] for r in response.json()["hasil"])

    assert names(q="Laptop") == ["Laptop Anggrek", "Laptop Zamrud"]
    assert names(status="draft") == ["Laptop Anggrek"]
    assert names(tahun=2025) == ["Laptop Zamrud"]
    assert names(tahun=2011) == []  # a year without records is a year, not an error
    assert names(di_spse="sudah") == ["Kursi Anggrek"]
    assert names(kd_satker=opd_b.kd_satker) == ["Laptop Zamrud"]
    assert names(q="Laptop", status="berjalan") == ["Laptop Zamrud"]


def test_pages(pengawas, opd_a):
    for day in range(1, 6):
        PencatatanFactory(opd=opd_a, nama_paket=f"Paket {day}", tgl_buat_paket=dt.date(TAHUN, 1, day))
    token = token_of(pengawas)
    second = api_get(token, "/api/v1/pencatatan", per_halaman=2, halaman=2).json()
    assert (second["jumlah"], second["halaman"], second["per_halaman"]) == (5, 2, 2)
    assert [r["nama_paket"] for r in second["hasil"]] == ["Paket 3", "Paket 2"]  # newest first
    assert api_get(token, "/api/v1/pencatatan", per_halaman=2, halaman=4).json()["hasil"] == []


@pytest.mark.parametrize(
    ("url", "params", "detail"),
    [
        ("/api/v1/pencatatan", {"status": "xyz"}, "status: Masukkan pilihan yang valid."),
        ("/api/v1/pencatatan", {"jenis": "tender"}, "jenis: Masukkan pilihan yang valid."),
        ("/api/v1/pencatatan", {"di_spse": "mungkin"}, "di_spse: Masukkan pilihan yang valid."),
        ("/api/v1/pencatatan", {"tahun": "abc"}, "tahun: tahun harus berupa angka tahun, mis. 2026."),
        ("/api/v1/pencatatan", {"tahun": "26"}, "tahun: tahun harus berupa angka tahun, mis. 2026."),
        ("/api/v1/dashboard", {"tahun": "2026x"}, "tahun: tahun harus berupa angka tahun, mis. 2026."),
        ("/api/v1/rup", {"per_halaman": "1001"}, "per_halaman: per_halaman harus angka 1 sampai 1000."),
        ("/api/v1/opd", {"per_halaman": "0"}, "per_halaman: per_halaman harus angka 1 sampai 1000."),
        ("/api/v1/opd", {"halaman": "0"}, "halaman: halaman harus angka 1 atau lebih."),
        ("/api/v1/rup", {"tipe_paket": "Tender"}, "tipe_paket: pilih salah satu dari Penyedia, Swakelola."),
        ("/api/v1/tanda-bahaya", {"rule": "10"}, "rule: rule harus angka aturan 1 sampai 9."),
        ("/api/v1/pencatatan/abc", {}, "pk: id harus berupa angka."),
    ],
)
def test_bad_input_is_400_and_says_which(pengawas, url, params, detail):
    response = api_get(token_of(pengawas), url, **params)
    assert response.status_code == 400
    assert response.json()["detail"].startswith(detail)
    assert response.json()["kesalahan"][0]["parameter"] == detail.split(":")[0]


def _queries(token: str, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api_get(token, url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("n", [5, 50])
def test_list_queries_do_not_grow_with_the_rows(pengawas, opd_a, opd_b, n):
    for i in range(n):
        record = PencatatanFactory(opd=(opd_a, opd_b)[i % 2])
        RealisasiFactory.create_batch(2, pencatatan=record)
        PaketRupFactory(opd=opd_a)
    token = token_of(pengawas)
    api_get(token, "/api/v1/opd")  # the token's first use writes its last-use time (once a minute)
    # token (1); record list: the two years of the filter's choices, count, page, payments with suppliers
    assert _queries(token, "/api/v1/pencatatan?per_halaman=1000") == 1 + 2 + 3
    # token; count and page
    assert _queries(token, "/api/v1/rup?per_halaman=1000") == 1 + 2
    assert _queries(token, "/api/v1/opd") == 1 + 2


@pytest.mark.parametrize("n", [5, 50])
def test_red_flag_queries_do_not_grow_with_the_flags(pengawas, opd_a, opd_b, n):
    for i in range(n):
        PencatatanFactory(opd=(opd_a, opd_b)[i % 2], status=Status.SELESAI)  # rule 5: Selesai without payments
    token = token_of(pengawas)
    first = api_get(token, "/api/v1/tanda-bahaya", tahun=TAHUN).json()  # computes and stores the flags
    assert first["jumlah"] == n
    # token; the OPDs; their summaries' versions (current); count and page of the stored flags
    assert _queries(token, f"/api/v1/tanda-bahaya?tahun={TAHUN}&per_halaman=1000") == 1 + 1 + 1 + 2
