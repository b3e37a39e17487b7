"""Indonesian number formats for templates: `{{ nilai|rupiah }}` -> `Rp 1.450.200`, `{{ npwp|npwp }}`.

Thin wrappers: the formats themselves live in `spse_tracker.formats`.
"""

from __future__ import annotations

from django import template

from spse_tracker.formats import format_npwp, format_rupiah

register = template.Library()

__all__ = ["format_rupiah", "register"]  # format_rupiah: still importable from here until every caller moves

register.filter("rupiah", format_rupiah)


@register.filter("npwp")
def npwp(value: str | None) -> str:
    return format_npwp(value or "")
