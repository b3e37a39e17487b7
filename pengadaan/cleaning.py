"""Cleaning of values that arrive from people and from LKPP's files alike."""

from __future__ import annotations

import html
import re

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_BLOCK_TAGS = re.compile(r"<\s*(br|/p|/div|/li|/tr|/h[1-6])\b[^>]*>", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n+")


def html_to_text(value: str | None) -> str:
    """SPSE's `uraian_pekerjaan` arrives as HTML: keep its text and line breaks, drop every tag."""
    if not value:
        return ""
    with_breaks = _BLOCK_TAGS.sub("\n", value)
    text = html.unescape(nh3.clean(with_breaks, tags=set()))
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def normalize_npwp(value: str | int | None) -> str | None:
    """NPWP as digits only (15 or 16), or None when empty; anything else is a ValidationError."""
    if value is None:
        return None
    digits = re.sub(r"\D", "", str(value))
    if not digits:
        return None
    if len(digits) not in (15, 16):
        raise ValidationError(
            _("NPWP harus 15 atau 16 angka (tertulis %(n)d angka).") % {"n": len(digits)}, code="npwp"
        )
    return digits
