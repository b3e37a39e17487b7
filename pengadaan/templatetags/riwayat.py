"""The Django admin's history pages (django-simple-history) in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.text import capfirst

from pengadaan.riwayat import alasan_tampil

register = template.Library()
register.filter("alasan_riwayat", alasan_tampil)


@register.simple_tag
def perubahan(record: Any, change: dict[str, Any]) -> tuple[str, Any, Any]:
    """(label, old, new) of one change as simple-history's admin prepares it (the field's verbose name,
    the values as escaped text), with a choice's label instead of its stored code ("draft → berjalan")
    and a dash instead of Python's "None"."""
    label = change["field"]
    choices = next(
        (
            {str(value): name for value, name in field.flatchoices}
            for field in record.instance_type._meta.concrete_fields
            if field.choices and capfirst(field.verbose_name) == label
        ),
        {},
    )

    def shown(value: Any) -> Any:
        return "–" if value in ("None", "") else choices.get(str(value), value)

    return label, shown(change["old"]), shown(change["new"])
