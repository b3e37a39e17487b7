"""Issue 14: dashboards read at a glance — "Perlu perhatian", main columns, linked and named flags, flags
grouped by rule and OPD, honest empty states, and numbers in the reader's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from pengadaan.dashboards import selectors as dashboards
from pengadaan.models import Status
from pengadaan.templatetags.metrik import angka, metrik, persen
from tests.conftest import client_for
from tests.factories import OpdFactory, PaketRupFactory, PencatatanFactory, PenyediaFactory, RealisasiFactory
from tests.pengadaan.test_dashboard import QUERIES_OPD

JUTA = Decimal(1_000_000)


def _recorded(opd, tahun: int, pagu_rup: Decimal, pagu_tercatat: Decimal, **record):
    """Two RUP packages of `opd`: one of `pagu_tercatat` recorded, one of the rest not."""
    recorded = PaketRupFactory(opd=opd, tahun_anggaran=tahun, pagu=pagu_tercatat)
    PaketRupFactory(opd=opd, tahun_anggaran=tahun, pagu=pagu_rup - pagu_tercatat)
    return PencatatanFactory(opd=opd, tahun_anggaran=tahun, paket=[recorded], pagu=pagu_tercatat, **record)


# --- formatting -------------------------------------------------------------------------------------------


def test_numbers_read_in_the_page_language():
    with translation.override("id"):
        assert (persen(Decimal("74.60")), angka(Decimal("19.0")), angka(12000), persen(None)) == (
            "74,60%",
            "19,0",
            "12.000",
            "–",
        )
    with translation.override("en"):
        assert (persen(Decimal("74.60")), angka(Decimal("19.0")), angka(12000)) == ("74.60%", "19.0", "12,000")


def test_metrik_formats_each_kind_of_column(opd_a):
    row = dashboards.DashboardRow(opd=opd_a, rup_pagu=Decimal("1450200.00"), tercatat_pagu=Decimal("1081849.20"))
    row.rup_paket = 1234
    with translation.override("id"):
        # 1081849.20 / 1450200 × 100 = 74.599… → 74.60
        assert [metrik(row, c) for c in ("rup_pagu", "persen_tercatat", "rup_paket", "median_lag_hari")] == [
            "Rp 1.450.200",
            "74,60%",
            "1.234",
            "–",
        ]


def test_dates_read_in_the_page_language():
    from django.template import Context, Template

    template = Template("{{ d|date }}")
    with translation.override("id"):
        assert template.render(Context({"d": dt.date(2026, 12, 5)})) == "5 Des 2026"
    with translation.override("en"):
        assert template.render(Context({"d": dt.date(2026, 12, 5)})) == "Dec 5, 2026"


def test_english_dashboard_uses_english_decimals(pengawas, opd_a):
    _recorded(opd_a, 2025, Decimal("400"), Decimal("300"))  # 300 / 400 = 75.00%
    client = client_for(pengawas)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("dashboard"), {"tahun": 2025}).content.decode()
    assert 'data-testid="persen-kota">75.00%</span>' in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    html = client.get(reverse("dashboard"), {"tahun": 2025}).content.decode()
    assert 'data-testid="persen-kota">75,00%</span>' in html
    assert f'href="/opd/{opd_a.pk}/dashboard/?tahun=2025"' in html  # ids and years never get separators


# --- the supervisor dashboard ---------------------------------------------------------------------------


def test_perlu_perhatian_lists_the_worst_opds_first(pengawas):
    low, mid, high = OpdFactory(singkatan="Rendah"), OpdFactory(singkatan="Sedang"), OpdFactory(singkatan="Tinggi")
    _recorded(low, 2025, Decimal("1000"), Decimal("100"))  # 10.00%
    _recorded(mid, 2025, Decimal("1000"), Decimal("500"), kd_nontender_pct=9300001)  # 50.00%, in SPSE too
    late = _recorded(high, 2025, Decimal("1000"), Decimal("900"))  # 90.00%
    RealisasiFactory(  # recorded 20 days after payment, within its pagu
        pencatatan=late,
        nilai_realisasi=Decimal("500"),
        tgl_realisasi=dt.date(2025, 3, 1),
        tgl_dicatat=dt.date(2025, 3, 21),
    )
    PencatatanFactory(opd=high, tahun_anggaran=2025, paket=[], status=Status.SELESAI)  # rule 5: one flag

    response = client_for(pengawas).get(reverse("dashboard"), {"tahun": 2025})

    lists = {p.kolom: [(str(r.opd), r.value(p.kolom)) for r in p.rows] for p in response.context["perhatian"]}
    assert lists == {
        "persen_tercatat": [("Rendah", Decimal("10.00")), ("Sedang", Decimal("50.00")), ("Tinggi", Decimal("90.00"))],
        # only Sedang's record is in SPSE: 500 / 1000; the others 0 / 1000, by name
        "persen_tercatat_spse": [
            ("Rendah", Decimal("0.00")),
            ("Tinggi", Decimal("0.00")),
            ("Sedang", Decimal("50.00")),
        ],
        "median_lag_hari": [("Tinggi", Decimal("20.0"))],
        "red_flags": [("Tinggi", 1)],
    }
    html = response.content.decode()
    assert (
        f'<a href="/opd/{low.pk}/dashboard/?tahun=2025" title="{low.nama_satker}" class="text-truncate">Rendah</a>'
        in html
    )


def test_the_table_shows_the_main_columns_and_all_on_request(pengawas, opd_a):
    _recorded(opd_a, 2025, Decimal("400"), Decimal("300"))
    client = client_for(pengawas)
    main = client.get(reverse("dashboard"), {"tahun": 2025})
    assert [name for name, _label in main.context["kolom"]] == [
        "nama_satker",
        "rup_paket",
        "tercatat_paket",
        "rup_pagu",
        "persen_tercatat",
        "persen_tercatat_spse",
        "median_lag_hari",
        "persen_input_nov_des",
        "red_flags",
    ]
    assert 'href="?tahun=2025&amp;urut=persen_tercatat&amp;arah=asc&amp;kolom=semua"' in main.content.decode()
    everything = client.get(reverse("dashboard"), {"tahun": 2025, "kolom": "semua", "urut": "rup_paket"})
    assert [name for name, _label in everything.context["kolom"]] == list(dashboards.COLUMNS)
    # sorting keeps the columns chosen
    assert "urut=rup_pagu&amp;arah=desc&amp;kolom=semua" in everything.content.decode()


def test_the_city_dashboards_top_flags_are_links(pengawas, opd_a):
    PaketRupFactory(opd=opd_a, tahun_anggaran=2026)
    selesai = PencatatanFactory(opd=opd_a, tahun_anggaran=2026, paket=[], status=Status.SELESAI)  # rule 5
    penyedia = PenyediaFactory()
    for pagu in (150 * JUTA, 60 * JUTA):  # rule 1: two PL records, together above Rp 200 juta
        record = PencatatanFactory(opd=opd_a, tahun_anggaran=2026, paket=[], pagu=pagu)
        RealisasiFactory(pencatatan=record, nilai_realisasi=JUTA, penyedia=penyedia)

    response = client_for(pengawas).get(reverse("dashboard"), {"tahun": 2026})

    urls = {flag.rule: url for flag, _opd, url in response.context["flags"]}
    assert urls == {
        1: f"/tanda-bahaya/?tahun=2026&opd={opd_a.pk}&rule=1",
        5: f"/pencatatan/{selesai.pk}/",
    }
    assert f'<a class="fw-semibold" href="/pencatatan/{selesai.pk}/">Selesai tanpa realisasi</a>' in (
        response.content.decode()
    )


def test_a_year_without_rup_says_so_with_the_way_to_import(pengawas, admin, opd_a, opd_b):
    for user, link in ((pengawas, False), (admin, True)):
        response = client_for(user).get(reverse("dashboard"), {"tahun": 2024})
        html = response.content.decode()
        assert "Belum ada data RUP 2024" in html
        assert 'data-testid="tabel-opd"' not in html  # not a table of zeros
        assert 'data-testid="perlu-perhatian"' not in html
        assert ('<a class="alert-link" href="/impor/" data-testid="ke-impor">Impor data RUP</a>' in html) is link


# --- the OPD dashboard ----------------------------------------------------------------------------------


def test_opd_dashboard_without_rup_does_not_claim_everything_is_recorded(operator_a, opd_a):
    html = client_for(operator_a).get(reverse("opd_dashboard", args=[opd_a.pk]), {"tahun": 2024}).content.decode()
    assert "Belum ada data RUP 2024: impor paket RUP tahun ini dari SiRUP" in html
    assert "sudah dicatat" not in html


def test_opd_dashboard_says_complete_only_when_it_is(operator_a, opd_a):
    _recorded(opd_a, 2025, Decimal("300"), Decimal("300"))  # the second package has pagu 0: still unrecorded
    client = client_for(operator_a)
    assert (
        "semua-dicatat" not in client.get(reverse("opd_dashboard", args=[opd_a.pk]), {"tahun": 2025}).content.decode()
    )
    paket = PaketRupFactory(opd=opd_a, tahun_anggaran=2026, pagu=Decimal("500"))
    PencatatanFactory(opd=opd_a, tahun_anggaran=2026, paket=[paket], pagu=Decimal("500"))
    html = client.get(reverse("opd_dashboard", args=[opd_a.pk]), {"tahun": 2026}).content.decode()
    assert (
        '<p class="text-success small" data-testid="semua-dicatat">'
        "Semua paket RUP non tender dan swakelola tahun ini sudah dicatat.</p>"
    ) in html


def test_opd_dashboard_names_flagged_records_by_package(operator_a, opd_a):
    PaketRupFactory(opd=opd_a, tahun_anggaran=2026)
    selesai = PencatatanFactory(
        opd=opd_a, tahun_anggaran=2026, paket=[], status=Status.SELESAI, nama_paket="Belanja Laptop Guru"
    )
    lewat = PencatatanFactory(
        opd=opd_a,
        tahun_anggaran=2026,
        paket=[],
        status=Status.BERJALAN,
        nama_paket="Rehab Atap Sekolah",
        tgl_selesai_paket=dt.date(2026, 1, 31),
    )
    html = client_for(operator_a).get(reverse("opd_dashboard", args=[opd_a.pk]), {"tahun": 2026}).content.decode()
    assert f'<a href="/pencatatan/{selesai.pk}/">Belanja Laptop Guru</a>' in html
    assert f'<a href="/pencatatan/{lewat.pk}/">Rehab Atap Sekolah</a>' in html
    assert f"#{selesai.pk}" not in html


@pytest.mark.parametrize("n_records", [1, 3])
def test_opd_dashboard_with_flags_reads_their_names_in_one_query(
    operator_a, opd_a, django_assert_num_queries, n_records
):
    PaketRupFactory(opd=opd_a, tahun_anggaran=2025)  # a year with RUP data (else the import hint asks for perms)
    for _ in range(n_records):
        PencatatanFactory(opd=opd_a, tahun_anggaran=2025, paket=[], status=Status.SELESAI)  # rule 5 each
    client = client_for(operator_a)
    client.get(reverse("opd_dashboard", args=[opd_a.pk]), {"tahun": 2025})
    # + 1: the package names of the flagged records, all at once
    with django_assert_num_queries(QUERIES_OPD + 1):
        response = client.get(reverse("opd_dashboard", args=[opd_a.pk]), {"tahun": 2025})
    assert len(response.context["flags"]) == n_records


# --- the tanda bahaya list ------------------------------------------------------------------------------


def test_flags_are_counted_by_rule_and_opd(pengawas, opd_a, opd_b):
    for _ in range(3):
        PencatatanFactory(opd=opd_a, tahun_anggaran=2026, paket=[], status=Status.SELESAI)  # rule 5
    PencatatanFactory(opd=opd_b, tahun_anggaran=2026, paket=[], status=Status.SELESAI)  # rule 5
    PencatatanFactory(opd=opd_b, tahun_anggaran=2026, paket=[], pagu=250 * JUTA)  # rule 2

    response = client_for(pengawas).get(reverse("tanda_bahaya_list"), {"tahun": 2026})

    assert [(g.rule, g.jumlah, [(o.pk, n) for o, n in g.per_opd]) for g in response.context["groups"]] == [
        (2, 1, [(opd_b.pk, 1)]),
        (5, 4, [(opd_a.pk, 3), (opd_b.pk, 1)]),
    ]
    html = response.content.decode()
    assert f'<a href="?tahun=2026&amp;rule=5&amp;opd={opd_a.pk}&amp;status=open" title="{opd_a.nama_satker}">' in html
    # the list is grouped: one heading row per rule and OPD
    assert html.count('<tr class="table-secondary grup">') == 3
    filtered = client_for(pengawas).get(reverse("tanda_bahaya_list"), {"tahun": 2026, "rule": 5, "opd": opd_a.pk})
    assert [(g.rule, g.jumlah) for g in filtered.context["groups"]] == [(5, 3)]
