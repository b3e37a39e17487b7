"""The dashboards' cache (pengadaan.dashboards.ringkasan.generation_key): a write is shown once the worker has
recomputed its summary (until then the last stored numbers, marked out of date: test_basi.py), a review, a
renamed OPD or another language at once, and nobody sees numbers of OPDs they may not see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from pengadaan import services
from pengadaan.dashboards import ringkasan, tanda_bahaya
from pengadaan.dashboards import selectors as dashboards
from pengadaan.models import Status
from tests.conftest import client_for
from tests.factories import PaketRupFactory, PencatatanFactory, RealisasiFactory

TAHUN = 2025


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def data_2025(opd_a, opd_b):
    paket = PaketRupFactory(opd=opd_a, tahun_anggaran=TAHUN, pagu=Decimal("1000000"))
    record = PencatatanFactory(opd=opd_a, tahun_anggaran=TAHUN, paket=[paket], pagu=Decimal("1000000"))
    RealisasiFactory(
        pencatatan=record,
        nilai_realisasi=Decimal("250000"),
        tgl_realisasi=dt.date(TAHUN, 3, 1),
        tgl_dicatat=dt.date(TAHUN, 3, 5),
    )
    PaketRupFactory(opd=opd_b, tahun_anggaran=TAHUN, pagu=Decimal("500000"))
    return record


def city(client):
    return client.get(reverse("dashboard"), {"tahun": TAHUN}).context


def test_city_dashboard_shows_a_payment_saved_after_it_was_cached(pengawas, data_2025):
    client = client_for(pengawas)
    assert city(client)["kota"].realisasi_nilai == Decimal("250000.00")
    assert city(client)["kota"].realisasi_nilai == Decimal("250000.00")  # from the cache
    RealisasiFactory(pencatatan=data_2025, nilai_realisasi=Decimal("1000"), tgl_realisasi=dt.date(TAHUN, 4, 1))
    assert city(client)["kota"].realisasi_nilai == Decimal("250000.00")  # out of date until the worker runs
    ringkasan.segarkan_ringkasan.call()
    assert city(client)["kota"].realisasi_nilai == Decimal("251000.00")
    assert city(client)["kota"].jumlah_realisasi == 2


def test_cached_numbers_equal_the_stored_ones(pengawas, data_2025):
    dashboards.dashboard(tahun=TAHUN, user=pengawas)  # fills the cache
    cached = dashboards.dashboard(tahun=TAHUN, user=pengawas)
    cache.clear()
    fresh = dashboards.dashboard(tahun=TAHUN, user=pengawas)
    assert [(r.opd, r) for r in cached.rows] == [(r.opd, r) for r in fresh.rows]
    assert (cached.kota, cached.entri, cached.kurva) == (fresh.kota, fresh.entri, fresh.kurva)


def test_opd_dashboard_drops_a_package_once_it_is_recorded(operator_a, opd_a):
    paket = PaketRupFactory(opd=opd_a, tahun_anggaran=TAHUN)
    client = client_for(operator_a)
    url = reverse("opd_dashboard", args=[opd_a.pk])
    assert client.get(url, {"tahun": TAHUN}).context["belum"] == [paket]
    assert client.get(url, {"tahun": TAHUN}).context["belum"] == [paket]  # from the cache
    PencatatanFactory(opd=opd_a, tahun_anggaran=TAHUN, paket=[paket])
    assert client.get(url, {"tahun": TAHUN}).context["belum"] == [paket]  # as the numbers shown, until the worker runs
    ringkasan.segarkan_ringkasan.call()
    response = client.get(url, {"tahun": TAHUN})
    assert response.context["belum"] == []
    assert response.context["row"].tercatat_paket == 1


def test_a_cancelled_record_brings_its_package_back(operator_a, opd_a):
    paket = PaketRupFactory(opd=opd_a, tahun_anggaran=TAHUN)
    record = PencatatanFactory(opd=opd_a, tahun_anggaran=TAHUN, paket=[paket])
    client = client_for(operator_a)
    url = reverse("opd_dashboard", args=[opd_a.pk])
    assert client.get(url, {"tahun": TAHUN}).context["belum"] == []
    record.status, record.alasan_pembatalan = Status.BATAL, "Dobel."
    record.save()
    ringkasan.segarkan_ringkasan.call()
    assert client.get(url, {"tahun": TAHUN}).context["belum"] == [paket]


def test_each_person_sees_only_their_opds_numbers(pengawas, operator_a, operator_b, opd_a, opd_b, data_2025):
    PaketRupFactory(opd=opd_b, tahun_anggaran=TAHUN, pagu=Decimal("700000"))
    assert len(city(client_for(pengawas))["rows"]) == 2  # every OPD's numbers now cached
    own = client_for(operator_b).get(reverse("opd_dashboard", args=[opd_b.pk]), {"tahun": TAHUN}).context
    assert own["row"].opd == opd_b
    assert own["row"].rup_pagu == Decimal("1200000.00")
    assert [p.opd for p in own["belum"]] == [opd_b, opd_b]
    other = client_for(operator_b).get(reverse("opd_dashboard", args=[opd_a.pk]), {"tahun": TAHUN})
    assert other.status_code == 404
    numbers = dashboards.dashboard(tahun=TAHUN, user=operator_a)
    assert [row.opd for row in numbers.rows] == [opd_a]
    assert numbers.kota.rup_pagu == Decimal("1000000.00")


def test_a_review_lowers_the_open_flags_at_once(pengawas, opd_a):
    # a payment recorded long after it was made: rule 2 (late entry)
    record = PencatatanFactory(opd=opd_a, tahun_anggaran=TAHUN)
    RealisasiFactory(pencatatan=record, tgl_realisasi=dt.date(TAHUN, 1, 2), tgl_dicatat=dt.date(TAHUN, 6, 30))
    client = client_for(pengawas)
    before = city(client)["kota"].red_flags
    assert before >= 1
    flag = tanda_bahaya.flags_for(tahun=TAHUN, user=pengawas)[0]
    services.tinjau_tanda_bahaya(user=pengawas, tahun=TAHUN, kode=flag.kode, catatan="Sudah dicek.")
    assert city(client)["kota"].red_flags == before - 1


def test_a_renamed_opd_shows_its_new_name(pengawas, opd_a, data_2025):
    client = client_for(pengawas)
    city(client)
    opd_a.nama_satker = "Dinas Baru"
    opd_a.save()
    assert "Dinas Baru" in [row.nama_satker for row in city(client)["rows"]]


def test_the_cached_page_follows_the_language(pengawas, data_2025):
    client = client_for(pengawas)
    indonesian = client.get(reverse("dashboard"), {"tahun": TAHUN}).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("dashboard"), {"tahun": TAHUN}).content.decode()
    assert "Per OPD" in indonesian
    assert 'lang="id"' in indonesian
    assert 'lang="en"' in english
    assert "Rp 1.000.000" in indonesian
    assert "Rp 1.000.000" in english  # the same numbers


def test_the_red_flag_list_shows_a_flag_made_after_it_was_read(pengawas, opd_a):
    client = client_for(pengawas)
    assert client.get(reverse("tanda_bahaya_list"), {"tahun": TAHUN}).context["page"].paginator.count == 0
    record = PencatatanFactory(opd=opd_a, tahun_anggaran=TAHUN)
    RealisasiFactory(pencatatan=record, tgl_realisasi=dt.date(TAHUN, 1, 2), tgl_dicatat=dt.date(TAHUN, 6, 30))
    ringkasan.segarkan_ringkasan.call()
    assert client.get(reverse("tanda_bahaya_list"), {"tahun": TAHUN}).context["page"].paginator.count >= 1
