"""Django admin for the ITKP settings (DESIGN §6): methodologies, indicators, bands, predicates and the
values entered per year.

These are city-wide settings, not data of one OPD, so they are not scoped by OPD; who may change them is
`rules.can_manage_itkp` (the admin role, the only one that reaches the Django admin). Imported from
`pengadaan.admin`, which registers them on import.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from pengadaan import rules
from pengadaan.models import BandSkorItkp, IndikatorItkp, MetodologiItkp, NilaiManualItkp, PredikatItkp


def polos(model, field: str):
    """A year or code column for list_display without a thousands separator: the admin localises integers,
    and USE_THOUSAND_SEPARATOR made 2026 read "2.026" and RUP code 51231710 "51.231.710". Sorted by the
    field; headed by its verbose name. (The admin's other modules use it too: it lives here, in the lower layer.)"""

    @admin.display(description=model._meta.get_field(field).verbose_name, ordering=field)
    def kolom(obj) -> str:
        value = getattr(obj, field)
        return "" if value is None else str(value)

    kolom.__name__ = field  # the column's CSS class (field-<name>) and list_display_links name it
    return kolom


class ItkpSettingsPermissions:
    """Every page and inline of the ITKP settings: whoever `rules.can_manage_itkp` allows, for every action."""

    def has_view_permission(self, request, obj=None) -> bool:
        return rules.can_manage_itkp(request.user)

    def has_add_permission(self, request, *args) -> bool:  # an inline's takes the parent object too
        return rules.can_manage_itkp(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return rules.can_manage_itkp(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return rules.can_manage_itkp(request.user)


class IndikatorItkpInline(ItkpSettingsPermissions, admin.TabularInline):
    model = IndikatorItkp
    fields = ("urutan", "kode", "nama", "komponen", "poin_maks", "sumber")
    show_change_link = True  # the bands of a computed indicator are edited on its own page
    extra = 0


class PredikatItkpInline(ItkpSettingsPermissions, admin.TabularInline):
    model = PredikatItkp
    fields = ("nama", "skor_min")
    extra = 0


@admin.register(MetodologiItkp)
class MetodologiItkpAdmin(ItkpSettingsPermissions, admin.ModelAdmin):
    list_display = ("nama", polos(MetodologiItkp, "tahun_berlaku"), "jumlah_indikator", "total_poin_maks")
    search_fields = ("nama",)
    inlines = (IndikatorItkpInline, PredikatItkpInline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_jumlah_indikator=Count("indikator"), _total_poin_maks=Sum("indikator__poin_maks"))
        )

    @admin.display(description=_("indikator"), ordering="_jumlah_indikator")
    def jumlah_indikator(self, obj: MetodologiItkp) -> int:
        return obj._jumlah_indikator

    @admin.display(description=_("total poin maksimal"), ordering="_total_poin_maks")
    def total_poin_maks(self, obj: MetodologiItkp):
        # Should be 100; shown so that an edit that breaks the total is visible at once.
        return obj._total_poin_maks


class BandSkorItkpInline(ItkpSettingsPermissions, admin.TabularInline):
    model = BandSkorItkp
    fields = ("persen_min", "poin")
    extra = 0
    verbose_name_plural = _("band skor (tanpa band: poin = persen / 100 × poin maksimal)")


@admin.register(IndikatorItkp)
class IndikatorItkpAdmin(ItkpSettingsPermissions, admin.ModelAdmin):
    list_display = ("nama", "metodologi", "komponen", "poin_maks", "sumber", "urutan")
    list_filter = ("metodologi", "sumber", "komponen")
    search_fields = ("kode", "nama", "komponen")
    list_select_related = ("metodologi",)
    inlines = (BandSkorItkpInline,)


class IndikatorListFilter(admin.RelatedFieldListFilter):
    """Indicators labelled with their methodology, read in one query."""

    def field_choices(self, field, request, model_admin):
        return [(item.pk, str(item)) for item in IndikatorItkp.objects.select_related("metodologi")]


@admin.register(NilaiManualItkp)
class NilaiManualItkpAdmin(ItkpSettingsPermissions, admin.ModelAdmin):
    list_display = (
        "indikator_nama",
        "metodologi",
        polos(NilaiManualItkp, "tahun"),
        "poin",
        "persen",
        "poin_maks",
    )
    list_filter = ("tahun", "indikator__metodologi", ("indikator", IndikatorListFilter))
    search_fields = ("indikator__nama", "indikator__kode", "keterangan")
    list_select_related = ("indikator__metodologi",)
    fieldsets = (
        (
            None,
            {
                "fields": ("indikator", "tahun", "poin", "persen", "keterangan"),
                "description": _(
                    "Indikator yang diisi admin: isikan poin (0 sampai poin maksimal). Indikator yang dihitung: "
                    "kosongkan poin; isikan persen pengganti hanya bila persen lengkapnya sudah diketahui. "
                    "Indikator yang belum diisi dihitung 0 dalam proyeksi."
                ),
            },
        ),
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indikator":
            # Each choice is labelled with its methodology: one query instead of one per choice.
            kwargs["queryset"] = IndikatorItkp.objects.select_related("metodologi")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("indikator"), ordering="indikator__nama")
    def indikator_nama(self, obj: NilaiManualItkp) -> str:
        return obj.indikator.nama

    @admin.display(description=_("metodologi"), ordering="indikator__metodologi__tahun_berlaku")
    def metodologi(self, obj: NilaiManualItkp) -> str:
        return obj.indikator.metodologi.nama

    @admin.display(description=_("poin maksimal"))
    def poin_maks(self, obj: NilaiManualItkp):
        return obj.indikator.poin_maks
