"""The supervisor and OPD dashboards: access, export columns, sorting, pinned query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from unittest.mock import patch

import openpyxl
import pytest
from django.urls import reverse

from pengadaan.dashboards import ringkasan
from pengadaan.dashboards import selectors as dashboards
from pengadaan.models import Status
from tests.conftest import client_for
from tests.factories import OpdFactory, PaketRupFactory, PencatatanFactory, RealisasiFactory


@pytest.fixture
def year_2025(opd_a, opd_b):
    paket = PaketRupFactory(opd=opd_a, tahun_anggaran=2025, pagu=Decimal("1450200"))
    record = PencatatanFactory(
        opd=opd_a,
        tahun_anggaran=2025,
        paket=[paket],
        pagu=Decimal("1450200"),
        status=Status.SELESAI,
        kd_nontender_pct=9100001,
    )
    RealisasiFactory(
        pencatatan=record,
        nilai_realisasi=Decimal("1000000"),
        tgl_realisasi=dt.date(2025, 11, 1),
        tgl_dicatat=dt.date(2025, 11, 3),
    )
    PaketRupFactory(opd=opd_b, tahun_anggaran=2025, pagu=Decimal("500000"))
    return record


def test_export_csv_has_exactly_the_design_columns_in_order(pengawas, year_2025, opd_a, opd_b):
    response = client_for(pengawas).get(reverse("dashboard"), {"tahun": 2025, "_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [  # DESIGN §5, in its order
        "kd_satker",
        "nama_satker",
        "rup_paket",
        "rup_pagu",
        "tercatat_paket",
        "tercatat_pagu",
        "persen_tercatat",
        "pencatatan_aktif",
        "pencatatan_selesai",
        "pencatatan_draft",
        "realisasi_nilai",
        "median_lag_hari",
        "persen_input_nov_des",
        "red_flags",
        "tercatat_spse_paket",
        "tercatat_spse_pagu",
        "persen_tercatat_spse",
    ]
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code[opd_a.kd_satker] == [
        opd_a.kd_satker,
        opd_a.nama_satker,
        "1",
        "1450200.00",
        "1",
        "1450200.00",
        "100.00",
        "1",
        "1",
        "0",
        "1000000.00",
        "2.0",
        "100.00",
        "0",
        "1",  # the record is in SPSE
        "1450200.00",
        "100.00",
    ]
    assert by_code[opd_b.kd_satker][2:7] == ["1", "500000.00", "0", "0.00", "0.00"]
    assert by_code[opd_b.kd_satker][14:] == ["0", "0.00", "0.00"]
    assert by_code[""][1:7] == ["Kota Tangerang", "2", "1950200.00", "1", "1450200.00", "74.36"]  # city last
    assert by_code[""][14:] == ["1", "1450200.00", "74.36"]  # 1450200 / 1950200 × 100 = 74.361…


def test_export_xlsx_keeps_numbers_typed(pengawas, year_2025):
    response = client_for(pengawas).get(reverse("dashboard"), {"tahun": 2025, "_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, first = next(sheet.iter_rows(values_only=True)), list(sheet.iter_rows(values_only=True))[1]
    assert list(header) == list(dashboards.COLUMNS)
    assert isinstance(first[3], int | float)


def test_table_sorts_by_a_column(pengawas, year_2025, opd_a, opd_b):
    response = client_for(pengawas).get(reverse("dashboard"), {"tahun": 2025, "urut": "persen_tercatat", "arah": "asc"})
    assert [row.opd for row in response.context["rows"]] == [opd_b, opd_a]


@pytest.fixture
def half_in_spse(opd_a, opd_b):
    """2025: OPD A's package of 300 recorded by a record in SPSE, its package of 100 by one only in the
    app; OPD B's package of 400 not recorded. City: tercatat 400 / 800 = 50.00%, in SPSE 300 / 800 = 37.50%;
    OPD A: 400 / 400 = 100.00%, in SPSE 300 / 400 = 75.00%."""
    in_spse = PaketRupFactory(opd=opd_a, tahun_anggaran=2025, pagu=Decimal("300"))
    app_only = PaketRupFactory(opd=opd_a, tahun_anggaran=2025, pagu=Decimal("100"))
    PencatatanFactory(opd=opd_a, tahun_anggaran=2025, paket=[in_spse], pagu=Decimal("300"), kd_nontender_pct=9200001)
    PencatatanFactory(opd=opd_a, tahun_anggaran=2025, paket=[app_only], pagu=Decimal("100"))
    PaketRupFactory(opd=opd_b, tahun_anggaran=2025, pagu=Decimal("400"))


def test_supervisor_dashboard_shows_both_percentages(pengawas, half_in_spse):
    response = client_for(pengawas).get(reverse("dashboard"), {"tahun": 2025})
    html = response.content.decode()
    # Indonesian decimals on an Indonesian page: 400 / 800 = 50,00%; 300 / 800 = 37,50%
    assert '<span class="display-6" data-testid="persen-kota">50,00%</span>' in html
    assert '· di SPSE <span data-testid="persen-kota-spse">37,50%</span>' in html
    # the main columns include the share in SPSE, sortable; the other §5 columns are behind ?kolom=semua
    assert "urut=persen_tercatat_spse&amp;arah=asc" in html  # a first click puts the lowest on top
    assert "Paket tercatat di SPSE" not in html
    everything = client_for(pengawas).get(reverse("dashboard"), {"tahun": 2025, "kolom": "semua"})
    assert [name for name, _label in everything.context["kolom"]] == list(dashboards.COLUMNS)
    assert "Paket tercatat di SPSE" in everything.content.decode()


def test_supervisor_dashboard_sorts_by_persen_tercatat_spse(pengawas, half_in_spse, opd_a, opd_b):
    # the OPDs that need attention first (issue 14): B (0,00% in SPSE) above A (75,00%)
    response = client_for(pengawas).get(reverse("dashboard"), {"tahun": 2025, "urut": "persen_tercatat_spse"})
    assert [(row.opd, row.persen_tercatat_spse) for row in response.context["rows"]] == [
        (opd_b, Decimal("0.00")),
        (opd_a, Decimal("75.00")),
    ]
    # clicking the sorted column turns the order round
    assert "urut=persen_tercatat_spse&amp;arah=desc" in response.content.decode()
    best_first = client_for(pengawas).get(
        reverse("dashboard"), {"tahun": 2025, "urut": "persen_tercatat_spse", "arah": "desc"}
    )
    assert [row.opd for row in best_first.context["rows"]] == [opd_a, opd_b]


def test_supervisor_dashboard_opens_with_the_lowest_completion_on_top(pengawas, half_in_spse, opd_a, opd_b):
    # A 400 / 400 = 100,00%, B 0 / 400 = 0,00%: B first; flags and lag columns first sort the most on top
    response = client_for(pengawas).get(reverse("dashboard"), {"tahun": 2025})
    assert [(row.opd, row.persen_tercatat) for row in response.context["rows"]] == [
        (opd_b, Decimal("0.00")),
        (opd_a, Decimal("100.00")),
    ]
    html = response.content.decode()
    assert "urut=red_flags&amp;arah=desc" in html
    assert "urut=median_lag_hari&amp;arah=desc" in html
    assert "urut=nama_satker&amp;arah=asc" in html


def test_opd_dashboard_shows_both_percentages(operator_a, opd_a, half_in_spse):
    response = client_for(operator_a).get(reverse("opd_dashboard", args=[opd_a.pk]), {"tahun": 2025})
    html = response.content.decode()
    assert 'tercatat <strong data-testid="persen-tercatat">100,00%</strong>' in html
    assert '· di SPSE <strong data-testid="persen-tercatat-spse">75,00%</strong>' in html


def test_itkp_projection_reads_the_share_recorded_in_spse(pengawas, half_in_spse):
    response = client_for(pengawas).get(reverse("dashboard"), {"tahun": 2025})
    # 2025 is scored by SE 5/2025: its value-based indicator (5 points, no bands) is proportional to the
    # city's share recorded in SPSE, 37.50% → 37.50 × 5 / 100 = 1.875 → 1.88 (not 50.00% → 2.50)
    indikator = {i.kode: i for i in response.context["proyeksi"].indikator}["non-etendering-epurchasing"]
    assert (indikator.persen, indikator.poin) == (Decimal("37.50"), Decimal("1.88"))
    assert indikator.catatan == "Persen pagu RUP non tender dan swakelola yang sudah tercatat di SPSE."
    assert "Perkiraan dari persen pagu yang sudah tercatat di SPSE (ITKP membaca SPSE" in response.content.decode()


def test_opd_people_are_sent_to_their_own_dashboard(operator_a, opd_a):
    response = client_for(operator_a).get(reverse("dashboard"))
    assert response.url == reverse("opd_dashboard", args=[opd_a.pk])


def test_opd_people_keep_the_year_they_asked_for(operator_a, opd_a):
    response = client_for(operator_a).get(reverse("dashboard"), {"tahun": "2025"})
    assert response.url == f"/opd/{opd_a.pk}/dashboard/?tahun=2025"


def test_the_old_opd_dashboard_address_redirects_with_its_query(operator_a, opd_a):
    response = client_for(operator_a).get(f"/opd/{opd_a.pk}/dasbor/?tahun=2025")
    assert (response.status_code, response.url) == (301, f"/opd/{opd_a.pk}/dashboard/?tahun=2025")


def test_opd_dashboard_shows_unrecorded_packages_oldest_first(operator_a, opd_a):
    late = PaketRupFactory(opd=opd_a, tahun_anggaran=2025, tgl_awal_pemilihan=dt.date(2025, 9, 1))
    early = PaketRupFactory(opd=opd_a, tahun_anggaran=2025, tgl_awal_pemilihan=dt.date(2025, 2, 1))
    response = client_for(operator_a).get(reverse("opd_dashboard", args=[opd_a.pk]), {"tahun": 2025})
    assert response.context["belum"] == [early, late]
    assert response.context["row"].rup_paket == 2


@pytest.mark.parametrize("n_opd", [1, 3])
def test_supervisor_dashboard_query_count_is_constant(pengawas, django_assert_num_queries, n_opd):
    for _ in range(n_opd):
        opd = OpdFactory()
        paket = PaketRupFactory(opd=opd, tahun_anggaran=2025)
        record = PencatatanFactory(opd=opd, tahun_anggaran=2025, paket=[paket])
        RealisasiFactory(pencatatan=record, tgl_realisasi=dt.date(2025, 3, 1), tgl_dicatat=dt.date(2025, 3, 2))
    client = client_for(pengawas)
    client.get(reverse("dashboard"), {"tahun": 2025})  # warm caches (ContentTypes, sessions)
    with django_assert_num_queries(QUERIES_SUPERVISOR):
        response = client.get(reverse("dashboard"), {"tahun": 2025})
    assert len(response.context["rows"]) == n_opd
    PencatatanFactory(opd=opd, tahun_anggaran=2025)  # one OPD's numbers are now out of date
    with patch.object(ringkasan, "refresh", side_effect=AssertionError("recomputed in the request")):
        with django_assert_num_queries(QUERIES_SUPERVISOR + QUERIES_QUEUE):
            response = client.get(reverse("dashboard"), {"tahun": 2025})
        assert response.context["kota"].pencatatan_aktif == n_opd  # the last stored numbers, marked
        assert response.context["basi_sejak"] is not None
        with django_assert_num_queries(QUERIES_SUPERVISOR):  # the worker was asked already
            client.get(reverse("dashboard"), {"tahun": 2025})
    ringkasan.segarkan_ringkasan.call()  # the worker
    # + 1: the recomputed OPD's numbers are read (the cache has them under the old version only)
    with django_assert_num_queries(QUERIES_SUPERVISOR + 1):
        response = client.get(reverse("dashboard"), {"tahun": 2025})
    assert response.context["kota"].pencatatan_aktif == n_opd + 1
    assert response.context["basi_sejak"] is None


def test_a_first_view_computes_in_the_request(pengawas, django_assert_num_queries):
    opd = OpdFactory()
    PencatatanFactory(opd=opd, tahun_anggaran=2025)
    PencatatanFactory(opd=opd, tahun_anggaran=2025, status=Status.DRAFT)
    client = client_for(pengawas)
    client.get(reverse("dashboard"), {"tahun": 2024})  # warm caches (ContentTypes, sessions)
    # its summary never computed: the numbers in the stored JSON are not read, they are computed
    with django_assert_num_queries(QUERIES_SUPERVISOR + QUERIES_RECOMPUTE):
        response = client.get(reverse("dashboard"), {"tahun": 2025})
    kota = response.context["kota"]
    assert (kota.pencatatan_aktif, kota.pencatatan_draft) == (2, 1)  # a draft is active too
    assert response.context["basi_sejak"] is None
    assert "sedang diperbarui" not in response.content.decode()


@pytest.mark.parametrize("n_records", [1, 3])
def test_opd_dashboard_query_count_is_constant(operator_a, opd_a, django_assert_num_queries, n_records):
    for _ in range(n_records):
        paket = PaketRupFactory(opd=opd_a, tahun_anggaran=2025)
        record = PencatatanFactory(opd=opd_a, tahun_anggaran=2025, paket=[paket])
        RealisasiFactory(pencatatan=record, tgl_realisasi=dt.date(2025, 3, 1), tgl_dicatat=dt.date(2025, 3, 2))
    client = client_for(operator_a)
    client.get(reverse("opd_dashboard", args=[opd_a.pk]), {"tahun": 2025})
    with django_assert_num_queries(QUERIES_OPD):
        response = client.get(reverse("opd_dashboard", args=[opd_a.pk]), {"tahun": 2025})
    assert response.context["row"].pencatatan_aktif == n_records
    PencatatanFactory(opd=opd_a, tahun_anggaran=2025)
    # the last stored numbers and not-yet-recorded packages, from the cache under their version
    with (
        patch.object(ringkasan, "refresh", side_effect=AssertionError("recomputed in the request")),
        django_assert_num_queries(QUERIES_OPD + QUERIES_QUEUE),
    ):
        response = client.get(reverse("opd_dashboard", args=[opd_a.pk]), {"tahun": 2025})
    assert response.context["row"].pencatatan_aktif == n_records
    ringkasan.segarkan_ringkasan.call()  # the worker
    # + 2: its numbers and its not-yet-recorded packages are read, the cache has them under the old version
    with django_assert_num_queries(QUERIES_OPD + 2):
        response = client.get(reverse("opd_dashboard", args=[opd_a.pk]), {"tahun": 2025})
    assert response.context["row"].pencatatan_aktif == n_records + 1


# Numbers read from the stored summaries: session + user 2, OPDs 1, their versions 1 (the numbers from
# the cache), reviewed flags 1, ITKP projection 5, top flags 1 = 11; the years of the picker come from the
# cache too after the first page of the minute (selectors.years_of; two queries then)
QUERIES_SUPERVISOR = 11
# OPD 1 instead of ITKP, its summary, reviewed flags, two flag lists 2, its data-quality notes 2
# (per kind, records carrying them); the not-yet-recorded packages come from the cache while the
# summary's version is unchanged. With open flags, one more: the package names of their records, read at once
# (tests/pengadaan/test_dashboard_glance.py)
QUERIES_OPD = 10
# an out-of-date summary shown while the worker recomputes it: the task queued (one INSERT; the next readers
# within ringkasan.QUEUE_SECONDS queue none)
QUERIES_QUEUE = 1
# a summary never computed, computed in the request: create missing rows, read generasi, 3 metric queries,
# 3 red-flag queries (rule 1 one query with its members; rule 4 reads the entries by lag the metrics
# counted, so none; rule 6 finds no group, so no members query; one for the six per-record rules), then in a
# transaction (savepoint and release) lock the rows, delete the old flags, (write new flags: none here) and
# write the summary. Was 14 until rule 4 reused the metrics' count of entries by lag.
QUERIES_RECOMPUTE = 13
