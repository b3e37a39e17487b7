"""spse_tracker.formats: money rounding, percentages, Rupiah and NPWP display (format_rupiah's cases are in
tests/opd/test_format.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from spse_tracker.formats import format_npwp, money, money_or_none, percent


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, Decimal("0.00")),
        (0, Decimal("0.00")),
        (1450200, Decimal("1450200.00")),
        (Decimal("1450200.5"), Decimal("1450200.50")),
        (Decimal("0.005"), Decimal("0.01")),  # half up
        (Decimal("-0.005"), Decimal("-0.01")),
        ("12.344", Decimal("12.34")),
    ],
)
def test_money_rounds_to_the_sen_half_up(value, expected):
    assert money(value) == expected
    assert str(money(value)) == str(expected)


def test_money_or_none_keeps_an_empty_amount_empty():
    assert money_or_none(None) is None
    assert money_or_none(Decimal("7")) == Decimal("7.00")
    assert str(money_or_none(0)) == "0.00"


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (1, 3, Decimal("33.33")),
        (2, 3, Decimal("66.67")),
        (1, 8, Decimal("12.50")),
        (1, 800, Decimal("0.13")),  # 0.125 half up
        (Decimal("5"), Decimal("5"), Decimal("100.00")),
        (0, 7, Decimal("0.00")),
        (5, 0, None),
    ],
)
def test_percent_has_two_decimals_and_is_empty_without_a_whole(part, whole, expected):
    assert percent(part, whole) == expected


@pytest.mark.parametrize(
    ("npwp", "expected"),
    [
        ("012345678901234", "01.234.567.8-901.234"),
        ("1234567890123456", "1234 5678 9012 3456"),
        ("12345", "12345"),  # as SPSE published it
        ("", ""),
    ],
)
def test_format_npwp(npwp, expected):
    assert format_npwp(npwp) == expected


def test_npwp_filter_in_template():
    template = Template("{% load format_id %}{{ a|npwp }}|{{ b|npwp }}")
    assert template.render(Context({"a": "012345678901234", "b": None})) == "01.234.567.8-901.234|"
