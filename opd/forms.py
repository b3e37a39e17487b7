"""Forms of the opd app: a new API token."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_HARI = 3650


class TokenForm(forms.Form):
    nama = forms.CharField(
        label=_("Nama token"),
        max_length=100,
        help_text=_("Untuk apa token ini, misalnya “skrip laporan bulanan”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    hari = forms.IntegerField(
        label=_("Berlaku (hari)"),
        required=False,
        min_value=1,
        max_value=MAX_HARI,
        help_text=_("Kosongkan agar berlaku sampai dicabut."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
