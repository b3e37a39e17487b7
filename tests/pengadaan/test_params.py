"""pengadaan.views.params.tahun_param: the one reading of ?tahun= (and of a POSTed tahun); the years a picker offers."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from pengadaan import selectors
from pengadaan.choices import TAHUN_WAJAR
from pengadaan.views.params import tahun_param, tahun_pilihan
from tests.factories import PaketRupFactory, PencatatanFactory


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tahun=2025", 2025),
        ("tahun=", "this year"),
        ("", "this year"),
        ("tahun=dua", "this year"),
        ("tahun=1999", 1999),
    ],
)
def test_tahun_param_falls_back_to_this_year(query, expected):
    this_year = timezone.localdate().year
    request = RequestFactory().get(f"/?{query}")
    assert tahun_param(request) == (this_year if expected == "this year" else expected)


@pytest.mark.parametrize(("query", "expected"), [("tahun=2100", 2100), ("tahun=1999", None), ("tahun=x", None)])
def test_tahun_param_within_a_range_or_none(query, expected):
    request = RequestFactory().get(f"/?{query}")
    assert tahun_param(request, within=TAHUN_WAJAR, default=None) == expected


def test_tahun_param_reads_a_post_and_takes_a_default():
    request = RequestFactory().post("/", {"tahun": "2031"})
    assert tahun_param(request, post=True, within=TAHUN_WAJAR) == 2031
    assert tahun_param(request, default=2024) == 2024  # nothing in the query string


def test_years_of_is_kept_per_scope(operator_a, operator_b, pengawas, opd_a, opd_b):
    PencatatanFactory(opd=opd_a, tahun_anggaran=2024)
    PaketRupFactory(opd=opd_b, tahun_anggaran=2021)
    assert selectors.years_of(user=operator_a) == [2024]
    assert selectors.years_of(user=operator_b) == [2021]
    assert selectors.years_of(user=pengawas) == [2024, 2023, 2022, 2021]
    # kept a minute per scope: a year saved meanwhile joins when it ends, and the year shown is offered at once
    PencatatanFactory(opd=opd_a, tahun_anggaran=2025)
    assert selectors.years_of(user=operator_a) == [2024]
    assert 2025 in tahun_pilihan(operator_a, 2025)
    cache.delete(f"tahun-data:{opd_a.pk}")  # the minute is over
    assert selectors.years_of(user=operator_a) == [2025, 2024]
    assert selectors.years_of(user=operator_b) == [2021]
