"""pengadaan.views.params.tahun_param: the one reading of ?tahun= (and of a POSTed tahun)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import timezone

from pengadaan.choices import TAHUN_WAJAR
from pengadaan.views.params import tahun_param


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
