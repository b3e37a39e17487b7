"""ITKP as data (DESIGN §6): the seeded methodologies, scoring, predicates, per-year values and the
projection partial. Expected values are worked out by hand in the comments."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import include, path
from django.utils import translation

from pengadaan.itkp import ProyeksiItkp, proyeksi_itkp
from pengadaan.models import IndikatorItkp, MetodologiItkp, NilaiManualItkp

SE = "SE 5/2025"
KEPKA = "Kepka 74/2026"


def _stand_in(request):
    return HttpResponse()


# The partial links to the admin's add page of NilaiManualItkp. Rendering tests use this URLconf
# (`pytest.mark.urls(__name__)`), where a stand-in carries that name, so they do not depend on the
# admin registration or on the rest of the project's URLs.
urlpatterns = [
    path(
        "admin/",
        include(([path("pengadaan/nilaimanualitkp/add/", _stand_in, name="pengadaan_nilaimanualitkp_add")], "admin")),
    ),
]


def indikator(metodologi: str, kode: str) -> IndikatorItkp:
    return IndikatorItkp.objects.get(metodologi__nama=metodologi, kode=kode)


def isi(metodologi: str, kode: str, tahun: int, *, poin: str | None = None, persen: str | None = None):
    return NilaiManualItkp.objects.create(
        indikator=indikator(metodologi, kode),
        tahun=tahun,
        poin=None if poin is None else Decimal(poin),
        persen=None if persen is None else Decimal(persen),
    )


def per_kode(proyeksi: ProyeksiItkp) -> dict:
    return {i.kode: i for i in proyeksi.indikator}


def d(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


# --- the seed (data migration 0005_itkp_seed) -------------------------------------------------------


def test_seed_metodologi_ada_setelah_migrasi(db):
    assert list(MetodologiItkp.objects.order_by("tahun_berlaku").values_list("nama", "tahun_berlaku")) == [
        (SE, 2025),
        (KEPKA, 2026),
    ]
    se = MetodologiItkp.objects.get(nama=SE)
    kepka = MetodologiItkp.objects.get(nama=KEPKA)
    assert [(i.kode, i.poin_maks, i.sumber) for i in se.indikator.order_by("urutan")] == [
        ("sirup", Decimal("10.00"), "manual"),
        ("e-tendering", Decimal("5.00"), "manual"),
        ("e-katalog", Decimal("4.00"), "manual"),
        ("toko-daring", Decimal("1.00"), "manual"),
        ("non-etendering-epurchasing", Decimal("5.00"), "dihitung"),
        ("e-kontrak", Decimal("5.00"), "manual"),
        ("sdm", Decimal("30.00"), "manual"),
        ("kematangan-ukpbj", Decimal("40.00"), "manual"),
    ]
    assert [(i.kode, i.poin_maks, i.sumber) for i in kepka.indikator.order_by("urutan")] == [
        ("digitalisasi-pbj", Decimal("5.00"), "dihitung"),
        ("pemanfaatan-sistem-lainnya", Decimal("25.00"), "manual"),
        ("sdm", Decimal("30.00"), "manual"),
        ("kematangan-ukpbj", Decimal("30.00"), "manual"),
        ("integritas", Decimal("10.00"), "manual"),
    ]
    # 10 + 5 + 4 + 1 + 5 + 5 + 30 + 40 = 100 and 5 + 25 + 30 + 30 + 10 = 100
    assert sum(i.poin_maks for i in se.indikator.all()) == Decimal("100")
    assert sum(i.poin_maks for i in kepka.indikator.all()) == Decimal("100")
    # The value-based SE indicator has no bands: it scores proportionally.
    assert indikator(SE, "non-etendering-epurchasing").band.count() == 0
    assert [(b.persen_min, b.poin) for b in indikator(KEPKA, "digitalisasi-pbj").band.all()] == [
        (Decimal("80.00"), Decimal("5.00")),
        (Decimal("70.00"), Decimal("4.00")),
        (Decimal("60.00"), Decimal("3.00")),
        (Decimal("50.00"), Decimal("2.00")),
        (Decimal("40.00"), Decimal("1.00")),
    ]
    predikat = [("Kurang", 0), ("Cukup Baik", 35), ("Baik", 50), ("Sangat Baik", 65), ("Istimewa", 80)]
    for metodologi in (se, kepka):
        assert [(p.nama, p.skor_min) for p in metodologi.predikat.all()] == [(n, Decimal(s)) for n, s in predikat]


# --- which methodology applies ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tahun", "nama"),
    [(2024, None), (2025, SE), (2026, KEPKA), (2027, KEPKA)],
)
def test_metodologi_dipilih_menurut_tahun(db, tahun, nama):
    berlaku = MetodologiItkp.objects.untuk_tahun(tahun).first()
    proyeksi = proyeksi_itkp(tahun=tahun, persen_tercatat_spse=Decimal("50"))
    assert (berlaku.nama if berlaku else None) == nama
    assert (proyeksi.metodologi.nama if proyeksi else None) == nama


# --- scoring of computed indicators ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persen", "poin"),
    [
        ("100", "5.00"),
        ("80", "5.00"),  # ≥80% → 5 (the bound is inclusive)
        ("79.99", "4.00"),  # ≥70% → 4
        ("50", "2.00"),
        ("40", "1.00"),
        ("39.99", "0.00"),  # below the lowest band
        (None, "0.00"),  # no RUP pagu: no percentage
    ],
)
def test_kepka_digitalisasi_dinilai_menurut_band(db, persen, poin):
    proyeksi = proyeksi_itkp(tahun=2026, persen_tercatat_spse=d(persen))
    digitalisasi = per_kode(proyeksi)["digitalisasi-pbj"]
    assert digitalisasi.persen == (None if persen is None else Decimal(persen).quantize(Decimal("0.01")))
    assert digitalisasi.poin == Decimal(poin)


@pytest.mark.parametrize(
    ("persen", "poin"),
    [
        ("62.5", "3.13"),  # 62.5 / 100 × 5 = 3.125 → 3.13 (half up)
        ("12.5", "0.63"),  # 12.5 / 100 × 5 = 0.625 → 0.63 (half up; half even would give 0.62)
        ("73.45", "3.67"),  # 73.45 / 100 × 5 = 3.6725 → 3.67
        ("100", "5.00"),
        ("0", "0.00"),
        (None, "0.00"),
    ],
)
def test_se_non_etendering_dinilai_proporsional(db, persen, poin):
    proyeksi = proyeksi_itkp(tahun=2025, persen_tercatat_spse=d(persen))
    assert per_kode(proyeksi)["non-etendering-epurchasing"].poin == Decimal(poin)


# --- full projections -----------------------------------------------------------------------------------


def test_proyeksi_se_dengan_sebagian_nilai_manual(db):
    isi(SE, "sirup", 2025, poin="9.50")
    isi(SE, "e-tendering", 2025, poin="4")
    isi(SE, "e-katalog", 2025, poin="3.25")
    isi(SE, "sdm", 2025, poin="21")
    isi(SE, "kematangan-ukpbj", 2025, poin="28.40")
    isi(SE, "e-kontrak", 2024, poin="5")  # another year: not used for 2025

    proyeksi = proyeksi_itkp(tahun=2025, persen_tercatat_spse=Decimal("62.50"))

    assert proyeksi.metodologi.nama == SE
    assert proyeksi.tahun == 2025
    assert [(i.kode, i.persen, i.poin, i.poin_jika_lengkap) for i in proyeksi.indikator] == [
        ("sirup", None, Decimal("9.50"), Decimal("9.50")),
        ("e-tendering", None, Decimal("4.00"), Decimal("4.00")),
        ("e-katalog", None, Decimal("3.25"), Decimal("3.25")),
        ("toko-daring", None, Decimal("0.00"), Decimal("0.00")),
        # 62.50 / 100 × 5 = 3.125 → 3.13; if complete 100 / 100 × 5 = 5.00
        ("non-etendering-epurchasing", Decimal("62.50"), Decimal("3.13"), Decimal("5.00")),
        ("e-kontrak", None, Decimal("0.00"), Decimal("0.00")),
        ("sdm", None, Decimal("21.00"), Decimal("21.00")),
        ("kematangan-ukpbj", None, Decimal("28.40"), Decimal("28.40")),
    ]
    # 9.50 + 4.00 + 3.25 + 0 + 3.13 + 0 + 21.00 + 28.40 = 69.28 → Sangat Baik (65 ≤ 69.28 < 80)
    assert proyeksi.skor == Decimal("69.28")
    assert proyeksi.predikat == "Sangat Baik"
    # 69.28 − 3.13 + 5.00 = 71.15, still Sangat Baik; 71.15 − 69.28 = 1.87
    assert proyeksi.skor_jika_lengkap == Decimal("71.15")
    assert proyeksi.predikat_jika_lengkap == "Sangat Baik"
    assert proyeksi.tambahan_poin == Decimal("1.87")
    assert proyeksi.manual_kosong == ["Toko Daring", "E-Kontrak"]
    assert proyeksi.poin_maks == Decimal("100.00")


def _proyeksi_kepka_2026() -> ProyeksiItkp:
    isi(KEPKA, "pemanfaatan-sistem-lainnya", 2026, poin="20.50")
    isi(KEPKA, "sdm", 2026, poin="22")
    isi(KEPKA, "kematangan-ukpbj", 2026, poin="18.75")
    return proyeksi_itkp(tahun=2026, persen_tercatat_spse=Decimal("57.30"))


def test_proyeksi_kepka_dengan_sebagian_nilai_manual(db):
    proyeksi = _proyeksi_kepka_2026()

    assert proyeksi.metodologi.nama == KEPKA
    assert [(i.kode, i.persen, i.poin, i.poin_jika_lengkap) for i in proyeksi.indikator] == [
        # 57.30% reaches the ≥50% band → 2; if complete 100% → ≥80% band → 5
        ("digitalisasi-pbj", Decimal("57.30"), Decimal("2.00"), Decimal("5.00")),
        ("pemanfaatan-sistem-lainnya", None, Decimal("20.50"), Decimal("20.50")),
        ("sdm", None, Decimal("22.00"), Decimal("22.00")),
        ("kematangan-ukpbj", None, Decimal("18.75"), Decimal("18.75")),
        ("integritas", None, Decimal("0.00"), Decimal("0.00")),
    ]
    # 2.00 + 20.50 + 22.00 + 18.75 + 0 = 63.25 → Baik (50 ≤ 63.25 < 65)
    assert proyeksi.skor == Decimal("63.25")
    assert proyeksi.predikat == "Baik"
    # 63.25 − 2.00 + 5.00 = 66.25 → Sangat Baik (65 ≤ 66.25); 66.25 − 63.25 = 3.00
    assert proyeksi.skor_jika_lengkap == Decimal("66.25")
    assert proyeksi.predikat_jika_lengkap == "Sangat Baik"
    assert proyeksi.tambahan_poin == Decimal("3.00")
    assert proyeksi.manual_kosong == ["Integritas"]
    assert per_kode(proyeksi)["integritas"].catatan == "Belum diisi untuk tahun ini."


def test_persen_pengganti_menggantikan_persen_tercatat(db):
    isi(KEPKA, "digitalisasi-pbj", 2026, persen="71.4")

    proyeksi = proyeksi_itkp(tahun=2026, persen_tercatat_spse=Decimal("30"))

    digitalisasi = per_kode(proyeksi)["digitalisasi-pbj"]
    # the admin's 71.40% (not the app's 30%) reaches the ≥70% band → 4; if complete → 5
    assert digitalisasi.persen == Decimal("71.40")
    assert digitalisasi.poin == Decimal("4.00")
    assert digitalisasi.poin_jika_lengkap == Decimal("5.00")
    assert digitalisasi.catatan == "Persen diisi admin untuk tahun ini, menggantikan persen tercatat di SPSE."
    # every manual indicator is empty: 4.00 + 0 + 0 + 0 + 0 = 4.00 → Kurang; if complete 5.00 → Kurang
    assert (proyeksi.skor, proyeksi.predikat) == (Decimal("4.00"), "Kurang")
    assert (proyeksi.skor_jika_lengkap, proyeksi.tambahan_poin) == (Decimal("5.00"), Decimal("1.00"))
    assert proyeksi.manual_kosong == ["Pemanfaatan Sistem lainnya", "SDM Pengadaan", "Kematangan UKPBJ", "Integritas"]


def test_tanpa_persen_tercatat_pencatatan_tidak_menambah_poin(db):
    isi(KEPKA, "sdm", 2026, poin="30")

    proyeksi = proyeksi_itkp(tahun=2026, persen_tercatat_spse=None)

    # no RUP pagu: Digitalisasi 0, and recording cannot move a percentage that does not exist
    assert per_kode(proyeksi)["digitalisasi-pbj"].poin_jika_lengkap == Decimal("0.00")
    assert (proyeksi.skor, proyeksi.skor_jika_lengkap, proyeksi.tambahan_poin) == (
        Decimal("30.00"),
        Decimal("30.00"),
        Decimal("0.00"),
    )
    assert proyeksi.predikat == "Kurang"  # 30.00 < 35


@pytest.mark.parametrize(
    ("sdm", "kematangan", "skor", "predikat"),
    [
        ("9.99", None, "34.99", "Kurang"),  # 25 + 9.99 = 34.99 < 35
        ("10", None, "35.00", "Cukup Baik"),  # 25 + 10 = 35 (inclusive)
        ("24.99", None, "49.99", "Cukup Baik"),  # 25 + 24.99 = 49.99 < 50
        ("25", None, "50.00", "Baik"),  # 25 + 25 = 50
        ("30", "9.99", "64.99", "Baik"),  # 25 + 30 + 9.99 = 64.99 < 65
        ("30", "10", "65.00", "Sangat Baik"),  # 25 + 30 + 10 = 65
        ("30", "24.99", "79.99", "Sangat Baik"),  # 25 + 30 + 24.99 = 79.99 < 80
        ("30", "25", "80.00", "Istimewa"),  # 25 + 30 + 25 = 80
    ],
)
def test_predikat_kepka_di_batas(db, sdm, kematangan, skor, predikat):
    isi(KEPKA, "pemanfaatan-sistem-lainnya", 2026, poin="25")
    isi(KEPKA, "sdm", 2026, poin=sdm)
    if kematangan is not None:
        isi(KEPKA, "kematangan-ukpbj", 2026, poin=kematangan)

    proyeksi = proyeksi_itkp(tahun=2026, persen_tercatat_spse=None)  # Digitalisasi scores 0

    assert proyeksi.skor == Decimal(skor)
    assert proyeksi.predikat == predikat


# --- the per-year values --------------------------------------------------------------------------------


def test_nilai_manual_negatif_ditolak_basis_data(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        isi(KEPKA, "integritas", 2026, poin="-0.01")


def test_nilai_manual_di_atas_poin_maks_ditolak_full_clean(db):
    nilai = NilaiManualItkp(indikator=indikator(KEPKA, "integritas"), tahun=2026, poin=Decimal("10.01"))
    with pytest.raises(ValidationError) as excinfo:
        nilai.full_clean()
    assert excinfo.value.message_dict == {"poin": ["Poin tidak boleh melebihi poin maksimal indikator (10.00)."]}

    nilai.poin = Decimal("10.00")
    nilai.full_clean()  # the maximum itself is allowed


def test_nilai_manual_harus_cocok_dengan_sumber_dan_tahun_indikator(db):
    poin_untuk_dihitung = NilaiManualItkp(indikator=indikator(KEPKA, "digitalisasi-pbj"), tahun=2026, poin=Decimal("3"))
    with pytest.raises(ValidationError) as excinfo:
        poin_untuk_dihitung.full_clean()
    assert excinfo.value.message_dict == {
        "poin": ["Poin indikator yang dihitung berasal dari band skornya; kosongkan."],
        "persen": ["Indikator ini dihitung: isikan persen penggantinya."],
    }

    tahun_lain = NilaiManualItkp(indikator=indikator(SE, "sdm"), tahun=2026, poin=Decimal("20"))
    with pytest.raises(ValidationError) as excinfo:
        tahun_lain.full_clean()
    assert excinfo.value.message_dict == {
        "tahun": ["Tahun 2026 tidak memakai metodologi SE 5/2025, jadi nilai ini tidak akan terpakai."]
    }


def test_nilai_manual_satu_per_indikator_per_tahun(db):
    isi(KEPKA, "sdm", 2026, poin="20")
    with pytest.raises(IntegrityError), transaction.atomic():
        isi(KEPKA, "sdm", 2026, poin="21")


# --- queries --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tahun", [2025, 2026])
def test_proyeksi_itkp_jumlah_query_tetap(db, django_assert_num_queries, tahun):
    # methodology, indicators, bands, that year's values, predicates: 5, however many values exist
    with django_assert_num_queries(5):
        proyeksi_itkp(tahun=tahun, persen_tercatat_spse=Decimal("50"))
    for item in MetodologiItkp.objects.untuk_tahun(tahun).first().indikator.filter(sumber="manual"):
        NilaiManualItkp.objects.create(indikator=item, tahun=tahun, poin=Decimal("1"))
    with django_assert_num_queries(5):
        proyeksi_itkp(tahun=tahun, persen_tercatat_spse=Decimal("50"))


def test_proyeksi_itkp_tanpa_metodologi_satu_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert proyeksi_itkp(tahun=2024, persen_tercatat_spse=Decimal("50")) is None


# --- the partial ----------------------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_partial_tanpa_nilai_manual_lengkap_menampilkan_yang_diketahui_tanpa_predikat(db, pengawas):
    html = render_to_string(
        "pengadaan/partials/itkp_proyeksi.html", {"proyeksi": _proyeksi_kepka_2026(), "user": pengawas}
    )

    assert "Proyeksi ITKP — bukan nilai resmi LKPP" in html
    # Integritas (10 points) is not entered: no headline score, no predicate
    assert "itkp-skor" not in html
    assert "itkp-predikat" not in html
    assert "Baik" not in html
    # known: 2.00 + 20.50 + 22.00 + 18.75 = 63.25 of 5 + 25 + 30 + 30 = 90
    assert 'data-testid="itkp-poin-diketahui">63,25</span> <span class="text-muted">/ 90,00</span>' in html
    assert "poin dari 4 indikator yang sudah diketahui; skor dan predikat (dari 100,00 poin)" in html
    assert '<div class="fw-semibold" data-testid="itkp-belum-diisi">1 indikator belum diisi</div>' in html
    # Digitalisasi PBJ 2.00 → 5.00 when complete: +3.00
    assert "Jika semua paket yang belum tercatat di SPSE dicatat di SPSE: +3,00 poin." in html
    assert "1 indikator yang diisi admin belum bernilai untuk tahun 2026:" in html
    assert "<li>Integritas</li>" in html
    assert "<td>Digitalisasi PBJ" in html
    assert "57,30%" in html
    assert "2,00 / 5,00" in html
    assert '<span class="text-muted">belum diisi</span> / 10,00' in html
    assert "/admin/pengadaan/nilaimanualitkp/add/" not in html  # only the admin role gets the link


@pytest.mark.urls(__name__)
def test_partial_lengkap_menampilkan_skor_dan_predikat(db, pengawas):
    _proyeksi_kepka_2026()  # the three other manual values
    isi(KEPKA, "integritas", 2026, poin="8")
    proyeksi = proyeksi_itkp(tahun=2026, persen_tercatat_spse=Decimal("57.30"))

    html = render_to_string("pengadaan/partials/itkp_proyeksi.html", {"proyeksi": proyeksi, "user": pengawas})

    assert proyeksi.lengkap
    # 63.25 + 8.00 = 71.25 → Sangat Baik (65 ≤ 71.25 < 80); if complete 71.25 − 2.00 + 5.00 = 74.25
    assert 'data-testid="itkp-skor">71,25</span> <span class="text-muted">/ 100,00</span>' in html
    assert 'data-testid="itkp-predikat">Sangat Baik<' in html
    assert (
        "Jika semua paket yang belum tercatat di SPSE dicatat di SPSE: skor <strong>74,25</strong> (+3,00 poin), "
        "predikat <strong>Sangat Baik</strong>."
    ) in html
    assert "itkp-belum-diisi" not in html
    with translation.override("en"):
        english = render_to_string("pengadaan/partials/itkp_proyeksi.html", {"proyeksi": proyeksi, "user": pengawas})
    assert 'data-testid="itkp-skor">71.25</span> <span class="text-muted">/ 100.00</span>' in english
    assert "57.30%" in english


def test_poin_diketahui_tanpa_nilai_manual(db):
    isi(KEPKA, "digitalisasi-pbj", 2026, persen="71.4")

    proyeksi = proyeksi_itkp(tahun=2026, persen_tercatat_spse=Decimal("30"))

    # only Digitalisasi PBJ is known: 71.40% → ≥70% band → 4.00 of 5; four indicators not entered
    assert (proyeksi.lengkap, proyeksi.poin_diketahui, proyeksi.poin_maks_diketahui) == (
        False,
        Decimal("4.00"),
        Decimal("5.00"),
    )
    assert [i.kode for i in proyeksi.diketahui] == ["digitalisasi-pbj"]


@pytest.mark.urls(__name__)
def test_partial_tautan_isi_nilai_untuk_admin(db, admin):
    html = render_to_string(
        "pengadaan/partials/itkp_proyeksi.html", {"proyeksi": _proyeksi_kepka_2026(), "user": admin}
    )

    assert 'href="/admin/pengadaan/nilaimanualitkp/add/?tahun=2026"' in html


@pytest.mark.urls(__name__)
def test_partial_tanpa_metodologi(db, pengawas):
    html = render_to_string("pengadaan/partials/itkp_proyeksi.html", {"proyeksi": None, "user": pengawas})

    assert "Belum ada metodologi ITKP untuk tahun ini." in html
    assert "itkp-skor" not in html
