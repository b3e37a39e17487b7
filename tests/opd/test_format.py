from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from spse_tracker.formats import format_rupiah


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1450200"), "Rp 1.450.200"),
        (Decimal("1450200.00"), "Rp 1.450.200"),
        (Decimal("1450200.5"), "Rp 1.450.200,50"),
        (0, "Rp 0"),
        (999, "Rp 999"),
        (Decimal("200000000"), "Rp 200.000.000"),
        (Decimal("-1500"), "-Rp 1.500"),
        (Decimal("0.005"), "Rp 0,01"),
        (None, "–"),
    ],
)
def test_format_rupiah(value, expected):
    assert format_rupiah(value) == expected


def test_rupiah_filter_in_template():
    rendered = Template("{% load format_id %}{{ nilai|rupiah }}").render(Context({"nilai": Decimal("1450200")}))
    assert rendered == "Rp 1.450.200"
