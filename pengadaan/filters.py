"""Filters of the record list (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from opd.models import Opd
from pengadaan import rules, selectors
from pengadaan.models import CatatanData, JenisPencatatan, JenisPengadaan, MetodePemilihan, Pencatatan, Status

SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})


class PencatatanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Cari"),
        method="search",
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("nama paket, kode RUP/SPSE, PPK")}
        ),
    )
    tahun_anggaran = django_filters.ChoiceFilter(label=_("Tahun"), empty_label=_("Semua"), widget=SELECT)
    jenis = django_filters.ChoiceFilter(
        label=_("Jenis"), empty_label=_("Semua"), choices=JenisPencatatan.choices, widget=SELECT
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), empty_label=_("Semua"), choices=Status.choices, widget=SELECT
    )
    mtd_pemilihan = django_filters.ChoiceFilter(
        label=_("Metode"), empty_label=_("Semua"), choices=MetodePemilihan.choices, widget=SELECT
    )
    kategori_pengadaan = django_filters.ChoiceFilter(
        label=_("Kategori"), choices=JenisPengadaan.choices, widget=SELECT, empty_label=_("Semua")
    )
    opd = django_filters.ModelChoiceFilter(
        label=_("OPD"), queryset=Opd.objects.none(), widget=SELECT, empty_label=_("Semua OPD")
    )
    di_spse = django_filters.ChoiceFilter(
        label=_("Di SPSE"),
        choices=[("belum", _("Belum ada di SPSE")), ("sudah", _("Sudah ada di SPSE"))],
        method="filter_di_spse",
        widget=SELECT,
        empty_label=_("Semua"),
    )
    catatan_data = django_filters.ChoiceFilter(
        label=_("Catatan data"),
        choices=[("ada", _("Ada catatan data")), ("tidak", _("Tanpa catatan data"))],
        method="filter_catatan_data",
        widget=SELECT,
        empty_label=_("Semua"),
    )

    class Meta:
        model = Pencatatan
        fields = [
            "q",
            "tahun_anggaran",
            "jenis",
            "status",
            "mtd_pemilihan",
            "kategori_pengadaan",
            "opd",
            "di_spse",
            "catatan_data",
        ]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # str(): years are labels, never "2.026"
        self.filters["tahun_anggaran"].extra["choices"] = [(y, str(y)) for y in selectors.years_of(user=user)]
        if rules.can_see_all_opd(user):
            self.filters["opd"].queryset = Opd.objects.visible_to(user).order_by("nama_satker")
        else:
            del self.filters["opd"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        condition = Q(nama_paket__icontains=value) | Q(kd_rup__icontains=value) | Q(nama_ppk__icontains=value)
        if value.isdigit():
            condition |= Q(kd_nontender_pct=int(value)) | Q(kd_swakelola_pct=int(value))
        return queryset.filter(condition)

    def filter_di_spse(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        missing = Q(kd_nontender_pct__isnull=True, kd_swakelola_pct__isnull=True)
        return queryset.filter(missing) if value == "belum" else queryset.exclude(missing)

    def filter_catatan_data(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Records carrying values SPSE published against an entry rule (DESIGN §4), or none."""
        noted = Exists(CatatanData.objects.filter(pencatatan=OuterRef("pk")))
        return queryset.filter(noted) if value == "ada" else queryset.filter(~noted)
