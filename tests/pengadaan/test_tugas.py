"""“Tugas saya” (issue 14): the home page of an OPD's people, its lists and counts, who lands there, and the
"Catat" button's form filled from the package."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.urls import reverse

from pengadaan import selectors
from pengadaan.models import JenisPengadaan, PadananSpse, PencatatanRup, Status, TinjauanTandaBahaya, TipePaket
from tests.conftest import client_for
from tests.factories import OpdFactory, PaketRupFactory, PencatatanFactory

TAHUN = 2026
TODAY = dt.date(2026, 7, 15)


@pytest.fixture
def tugas(opd_a, opd_b, pengawas):
    """OPD A's year 2026 as of 15 July, with what must not be listed beside what must."""
    batal_rup = PaketRupFactory(
        opd=opd_a, kd_rup=61006, nama_paket="Cetak Rapor", tgl_awal_pemilihan=dt.date(2026, 1, 1)
    )
    PencatatanFactory(opd=opd_a, status=Status.BATAL, alasan_pembatalan="tercatat ganda", paket=[batal_rup])
    servis = PaketRupFactory(
        opd=opd_a, kd_rup=61001, nama_paket="Servis AC Kantor", tgl_awal_pemilihan=dt.date(2026, 2, 1)
    )
    sosialisasi = PaketRupFactory(
        opd=opd_a,
        kd_rup=61002,
        nama_paket="Sosialisasi Kurikulum",
        tipe_paket=TipePaket.SWAKELOLA,
        metode_pengadaan="",
        tipe_swakelola=1,
        tgl_awal_pemilihan=dt.date(2026, 6, 1),
    )
    # not due (this month, or no month), not for pencatatan (tender), not counting, another OPD, another year
    PaketRupFactory(opd=opd_a, kd_rup=61003, tgl_awal_pemilihan=dt.date(2026, 7, 1))
    PaketRupFactory(opd=opd_a, kd_rup=61004, tgl_awal_pemilihan=None)
    PaketRupFactory(opd=opd_a, kd_rup=61005, metode_pengadaan="Tender", tgl_awal_pemilihan=dt.date(2026, 1, 1))
    PaketRupFactory(opd=opd_a, kd_rup=61007, status_aktif_rup=False, tgl_awal_pemilihan=dt.date(2026, 1, 1))
    PaketRupFactory(opd=opd_b, kd_rup=62001, tgl_awal_pemilihan=dt.date(2026, 1, 1))
    PaketRupFactory(opd=opd_a, kd_rup=60001, tahun_anggaran=2025, tgl_awal_pemilihan=dt.date(2025, 1, 1))

    draft_lama = PencatatanFactory(
        opd=opd_a, status=Status.DRAFT, nama_paket="Draft Lama", tgl_buat_paket=dt.date(2026, 6, 15)
    )
    draft_baru = PencatatanFactory(
        opd=opd_a, status=Status.DRAFT, nama_paket="Draft Baru", tgl_buat_paket=dt.date(2026, 7, 5)
    )
    PencatatanFactory(opd=opd_b, status=Status.DRAFT, nama_paket="Draft OPD B")
    PencatatanFactory(opd=opd_a, status=Status.DRAFT, tahun_anggaran=2025, tgl_buat_paket=dt.date(2025, 3, 1))
    lewat = PencatatanFactory(
        opd=opd_a, nama_paket="Rehab Pagar", tgl_selesai_paket=dt.date(2026, 7, 1), kd_nontender_pct=9101
    )
    selesai_hari_ini = PencatatanFactory(
        opd=opd_a, nama_paket="Cat Ulang", tgl_selesai_paket=TODAY, kd_nontender_pct=9102
    )
    seminar = PencatatanFactory(
        opd=opd_a, status=Status.SELESAI, nama_paket="Seminar Pendidikan", kd_nontender_pct=9103
    )
    ditinjau = PencatatanFactory(opd=opd_a, status=Status.SELESAI, kd_nontender_pct=9104)
    TinjauanTandaBahaya.objects.create(
        kode=f"R5:pencatatan:{ditinjau.pk}", rule=5, tahun=TAHUN, opd=opd_a, catatan="cek", ditinjau_oleh=pengawas
    )
    buku = PencatatanFactory(opd=opd_a, nama_paket="Belanja Buku", tgl_buat_paket=dt.date(2026, 5, 16))
    pair = PadananSpse.objects.create(
        lokal=draft_lama, spse=lewat, kode_spse=9101, alasan=PadananSpse.Alasan.PAGU_BERBEDA
    )
    return SimpleNamespace(
        batal_rup=batal_rup,
        servis=servis,
        sosialisasi=sosialisasi,
        draft_lama=draft_lama,
        draft_baru=draft_baru,
        lewat=lewat,
        selesai_hari_ini=selesai_hari_ini,
        seminar=seminar,
        buku=buku,
        pair=pair,
    )


def test_tugas_saya_lists_what_the_opd_has_to_do(operator_a, opd_a, tugas):
    result = selectors.tugas_saya(user=operator_a, opd=opd_a, tahun=TAHUN, today=TODAY)
    # due (planned month over) and not recorded: a package recorded only by a Batal record counts as not recorded
    assert result.rup_belum.items == [tugas.batal_rup, tugas.servis, tugas.sosialisasi]
    assert result.rup_belum.jumlah == 3
    assert [(r, r.umur_hari) for r in result.draft.items] == [(tugas.draft_lama, 30), (tugas.draft_baru, 10)]
    assert result.draft.jumlah == 2
    # past its end date: the day after; ending today is not late yet
    assert [(r, r.umur_hari) for r in result.lewat_selesai.items] == [(tugas.lewat, 14)]
    assert result.lewat_selesai.jumlah == 1
    assert [(r, r.umur_hari) for r in result.belum_spse.items] == [
        (tugas.buku, 60),
        (tugas.draft_lama, 30),
        (tugas.draft_baru, 10),
    ]
    assert result.belum_spse.jumlah == 3
    assert result.padanan.items == [tugas.pair]
    assert result.padanan.jumlah == 1


def test_tugas_saya_lists_open_flags_with_the_records_they_name(operator_a, opd_a, tugas):
    result = selectors.tugas_saya(user=operator_a, opd=opd_a, tahun=TAHUN, today=TODAY)
    # rule 5 (Selesai without payments) comes before rule 7 (overdue: both end dates are over 30 days ago by
    # now); the reviewed rule-5 flag is not open
    flags = result.tanda_bahaya.items
    assert [f.flag.rule for f in flags] == [5, 7, 7]
    assert flags[0].pencatatan == [tugas.seminar]
    assert {f.pencatatan[0].nama_paket for f in flags[1:]} == {"Rehab Pagar", "Cat Ulang"}
    assert [f.lainnya for f in flags] == [0, 0, 0]
    assert result.tanda_bahaya.jumlah == 3


def test_tugas_saya_shows_the_first_items_and_counts_all(operator_a, opd_a, tugas):
    result = selectors.tugas_saya(user=operator_a, opd=opd_a, tahun=TAHUN, limit=2, today=TODAY)
    assert (result.rup_belum.items, result.rup_belum.jumlah) == ([tugas.batal_rup, tugas.servis], 3)
    assert (result.belum_spse.items, result.belum_spse.jumlah) == ([tugas.buku, tugas.draft_lama], 3)
    assert (len(result.tanda_bahaya.items), result.tanda_bahaya.jumlah) == (2, 3)


def test_tugas_saya_of_an_empty_year_is_empty(operator_a, opd_a, tugas):
    result = selectors.tugas_saya(user=operator_a, opd=opd_a, tahun=2024, today=TODAY)
    lists = (result.rup_belum, result.draft, result.lewat_selesai, result.belum_spse, result.padanan)
    assert [(d.items, d.jumlah) for d in (*lists, result.tanda_bahaya)] == [([], 0)] * 6


def test_tugas_page_names_flagged_packages_and_links_catat(operator_a, opd_a, tugas):
    html = client_for(operator_a).get(reverse("tugas_saya"), {"tahun": TAHUN}).content.decode()
    catat = reverse("pencatatan_create", args=[opd_a.pk, "non_tender"])
    assert f'href="{catat}?tahun=2026&amp;paket={tugas.servis.pk}"' in html
    catat_swakelola = reverse("pencatatan_create", args=[opd_a.pk, "swakelola"])
    assert f'href="{catat_swakelola}?tahun=2026&amp;paket={tugas.sosialisasi.pk}"' in html
    assert f'<a href="{tugas.seminar.get_absolute_url()}">Seminar Pendidikan</a>' in html
    assert "Draft OPD B" not in html


def test_tugas_page_empty_states(operator_a, opd_a):
    html = client_for(operator_a).get(reverse("tugas_saya"), {"tahun": TAHUN}).content.decode()
    assert "Tidak ada draft yang perlu diselesaikan." in html
    assert "Tidak ada paket RUP yang bulan pemilihannya sudah lewat dan belum dicatat." in html
    assert "Tidak ada tanda bahaya terbuka." in html


# --- who lands where ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("operator_a", "/tugas/"),
        ("ppk_a", "/tugas/"),
        ("operator_b", "/tugas/"),
        ("pengawas", "/dashboard/"),
        ("anonymous", "/accounts/login/?next=/"),
    ],
)
def test_beranda_sends_each_role_home(request, persona, target):
    response = client_for(request.getfixturevalue(persona)).get(reverse("beranda"))
    assert (response.status_code, response.url) == (302, target)


@pytest.mark.parametrize(
    ("persona", "target"),
    [("pengawas", "/"), ("admin", "/"), ("anonymous", "/accounts/login/?next=/tugas/")],
)
def test_tugas_saya_sends_people_without_an_opd_home(request, persona, target):
    response = client_for(request.getfixturevalue(persona)).get(reverse("tugas_saya"))
    assert (response.status_code, response.url) == (302, target)


def test_tugas_saya_shows_the_persons_own_opd(operator_b, opd_b, tugas):
    response = client_for(operator_b).get(reverse("tugas_saya"), {"tahun": TAHUN})
    assert response.context["opd"] == opd_b
    assert [r.nama_paket for r in response.context["tugas"].draft.items] == ["Draft OPD B"]
    assert "Servis AC Kantor" not in response.content.decode()


# --- query count ---------------------------------------------------------------------------------------

# the session and the user, the summaries' versions, the open flags, the names of their records, the pending
# pairs; and, with an empty cache, the year list (two: selectors.years_of keeps it a minute) and the RUP
# packages, drafts, overdue and not-in-SPSE records (cached under the OPD-year's generasi)
QUERIES_TUGAS = 6
QUERIES_TUGAS_UNCACHED = 12


@pytest.mark.parametrize("n", [1, 3])
def test_tugas_saya_query_count_is_constant(operator_a, opd_a, django_assert_num_queries, n):
    OpdFactory()
    for i in range(n):
        PaketRupFactory(opd=opd_a, tgl_awal_pemilihan=dt.date(2026, 1, 1))
        lokal = PencatatanFactory(opd=opd_a, status=Status.DRAFT)
        spse = PencatatanFactory(opd=opd_a, tgl_selesai_paket=dt.date(2026, 1, 31), kd_nontender_pct=7000 + i)
        PencatatanFactory(opd=opd_a, status=Status.SELESAI, kd_nontender_pct=7100 + i)
        PadananSpse.objects.create(lokal=lokal, spse=spse, kode_spse=spse.kd_pct, alasan="dua_calon")
    client = client_for(operator_a)
    client.get(reverse("tugas_saya"), {"tahun": TAHUN})  # the summary computed once
    cache.clear()
    with django_assert_num_queries(QUERIES_TUGAS_UNCACHED):
        client.get(reverse("tugas_saya"), {"tahun": TAHUN})
    with django_assert_num_queries(QUERIES_TUGAS):
        page = client.get(reverse("tugas_saya"), {"tahun": TAHUN})
    tugas = page.context["tugas"]
    lists = (tugas.rup_belum, tugas.draft, tugas.lewat_selesai, tugas.padanan)
    assert [(len(d.items), d.jumlah) for d in lists] == [(n, n)] * 4
    assert tugas.belum_spse.jumlah == n
    assert tugas.tanda_bahaya.jumlah == 2 * n  # rule 5 and rule 7 of each


def test_tugas_saya_shows_a_write_at_once_though_its_lists_are_cached(operator_a, opd_a):
    client = client_for(operator_a)
    PencatatanFactory(opd=opd_a, status=Status.DRAFT, nama_paket="Draft pertama")
    client.get(reverse("tugas_saya"), {"tahun": TAHUN})  # the summary computed once
    assert names(client, "draft") == ["Draft pertama"]  # now cached
    second = PencatatanFactory(opd=opd_a, status=Status.DRAFT, nama_paket="Draft kedua")
    assert names(client, "draft") == ["Draft pertama", "Draft kedua"]
    second.status = Status.BERJALAN
    second.tgl_selesai_paket = dt.date(2026, 1, 31)
    second.save()
    assert names(client, "draft") == ["Draft pertama"]
    assert names(client, "lewat_selesai") == ["Draft kedua"]
    paket = PaketRupFactory(opd=opd_a, tgl_awal_pemilihan=dt.date(2026, 1, 1), nama_paket="Paket baru")
    assert [p.nama_paket for p in tugas_of(client).rup_belum.items] == ["Paket baru"]
    PencatatanRup.objects.create(pencatatan=second, paket=paket)  # recorded now: no longer due
    assert tugas_of(client).rup_belum.items == []


def tugas_of(client):
    return client.get(reverse("tugas_saya"), {"tahun": TAHUN}).context["tugas"]


def names(client, daftar: str) -> list[str]:
    return [r.nama_paket for r in getattr(tugas_of(client), daftar).items]


# --- "Catat": the form filled from the package ---------------------------------------------------------


def test_catat_fills_name_pagu_method_and_category(operator_a, opd_a):
    paket = PaketRupFactory(
        opd=opd_a,
        nama_paket="Jasa Kebersihan Kantor",
        pagu=Decimal("54597000.00"),
        metode_pengadaan="Penunjukan Langsung",
        jenis_pengadaan=JenisPengadaan.JASA_LAINNYA,
    )
    url = reverse("pencatatan_create", args=[opd_a.pk, "non_tender"])
    form = client_for(operator_a).get(url, {"tahun": TAHUN, "paket": paket.pk}).context["form"]
    values = {name: form[name].value() for name in ("paket_rup", "nama_paket", "pagu", "mtd_pemilihan")}
    assert values == {
        "paket_rup": [str(paket.pk)],  # as the query string gave it
        "nama_paket": "Jasa Kebersihan Kantor",
        "pagu": "54.597.000",  # shown with thousands separators (RupiahField)
        "mtd_pemilihan": "Penunjukan Langsung",
    }
    assert form["kategori_pengadaan"].value() == "Jasa Lainnya"


def test_catat_of_two_packages_sums_their_pagu(operator_a, opd_a):
    a = PaketRupFactory(opd=opd_a, nama_paket="ATK Semester 1", pagu=Decimal("10000000.00"), kd_rup=63001)
    b = PaketRupFactory(opd=opd_a, nama_paket="ATK Semester 2", pagu=Decimal("2500000.00"), kd_rup=63002)
    url = f"{reverse('pencatatan_create', args=[opd_a.pk, 'non_tender'])}?tahun=2026&paket={a.pk}&paket={b.pk}"
    form = client_for(operator_a).get(url).context["form"]
    assert (form["nama_paket"].value(), form["pagu"].value()) == ("ATK Semester 1", "12.500.000")


def test_catat_maps_sirups_pengecualian_and_swakelola_type(operator_a, opd_a):
    dikecualikan = PaketRupFactory(opd=opd_a, metode_pengadaan="Pengecualian")
    url = reverse("pencatatan_create", args=[opd_a.pk, "non_tender"])
    form = client_for(operator_a).get(url, {"tahun": TAHUN, "paket": dikecualikan.pk}).context["form"]
    assert form["mtd_pemilihan"].value() == "Dikecualikan"
    swakelola = PaketRupFactory(opd=opd_a, tipe_paket=TipePaket.SWAKELOLA, metode_pengadaan="", tipe_swakelola=2)
    url = reverse("pencatatan_create", args=[opd_a.pk, "swakelola"])
    form = client_for(operator_a).get(url, {"tahun": TAHUN, "paket": swakelola.pk}).context["form"]
    assert form["tipe_swakelola"].value() == 2


def test_catat_never_fills_from_another_opds_package(operator_a, opd_a, opd_b):
    theirs = PaketRupFactory(opd=opd_b, nama_paket="Paket OPD B")
    url = reverse("pencatatan_create", args=[opd_a.pk, "non_tender"])
    response = client_for(operator_a).get(url, {"tahun": TAHUN, "paket": theirs.pk})
    assert response.context["form"]["nama_paket"].value() == ""
    assert "Paket OPD B" not in response.content.decode()
