"""Django admin for OPDs and users, scoped by the one access helper."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from opd.models import Opd, User

admin.site.site_header = _("SPSE Tracker — Administrasi")
admin.site.site_title = _("SPSE Tracker")
admin.site.index_title = _("Administrasi")
# Roles live in User.peran, not in auth groups: hiding groups avoids a second, conflicting way to grant rights.
admin.site.unregister(Group)


class ScopedAdminMixin:
    """Every admin changelist, change page and export goes through `visible_to(request.user)`."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


class ImporButtonMixin:
    """An "Impor" button on the changelist, leading to the bulk import of this kind of data."""

    change_list_template = "admin/impor_change_list.html"
    impor_kinds: tuple[tuple[str, str], ...] = ()

    def changelist_view(self, request, extra_context=None):
        extra = {"impor_kinds": self.impor_kinds if request.user.has_perm("pengadaan.impor_data") else ()}
        return super().changelist_view(request, {**(extra_context or {}), **extra})


@admin.register(Opd)
class OpdAdmin(ImporButtonMixin, ScopedAdminMixin, admin.ModelAdmin):
    impor_kinds = (("satker", _("Impor satker")),)
    list_display = ("nama_satker", "singkatan", "kd_satker", "kd_satker_str", "kd_satker_spse", "jenis", "aktif")
    list_filter = ("jenis", "aktif")
    search_fields = ("nama_satker", "singkatan", "kd_satker", "kd_satker_str", "kd_satker_spse")
    list_editable = ("aktif",)


@admin.register(User)
class UserAdmin(ImporButtonMixin, ScopedAdminMixin, DjangoUserAdmin):
    impor_kinds = (("users", _("Impor pengguna")),)
    list_display = ("username", "nama", "peran", "opd", "email", "is_active", "last_login")
    list_filter = ("peran", "is_active", "opd")
    list_select_related = ("opd",)
    search_fields = ("username", "nama", "email", "nip", "opd__nama_satker", "opd__singkatan")
    autocomplete_fields = ("opd",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Data pegawai"), {"fields": ("nama", "nip", "email")}),
        (_("Peran dan OPD"), {"fields": ("peran", "opd", "is_active")}),
        (_("Waktu"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("Data pegawai"), {"fields": ("nama", "nip", "email")}),
        (_("Peran dan OPD"), {"fields": ("peran", "opd")}),
    )
    readonly_fields = ("last_login", "date_joined")
