"""Render Django form widgets with Bootstrap 5 classes, without a third-party form library."""

from __future__ import annotations

from django import forms, template

register = template.Library()


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.simple_tag
def bootstrap_widget(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    attrs = {"class": css}
    if field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}_help"
    return field.as_widget(attrs=attrs)


@register.filter
def choice_list(field: forms.BoundField) -> list[tuple[str, str]]:
    """A select's choices as (value, label) strings, read once (a queryset's choices would be counted
    and then read again by the template's for loop)."""
    return [(str(value), label) for value, label in field.field.choices]
