"""Django admin for OPDs and users, scoped by the one access helper."""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from opd import tokens
from opd.models import Opd, TokenApi, User

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
    """An "Impor" button on the changelist, leading to the bulk import of this kind of data.

    Whether the person may import is `pengadaan.rules.can_import`, which `opd` may not import: the
    changelist template asks it (`user|may:"import"`).
    """

    change_list_template = "admin/impor_change_list.html"
    impor_kinds: tuple[tuple[str, str], ...] = ()

    def changelist_view(self, request, extra_context=None):
        extra = {"impor_kinds": self.impor_kinds}
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

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # History names people by their user row, and simple-history empties history_user when the row goes:
        # deleting someone the history names would erase who did what, and clear records' PPK/PPTK links
        # without a history entry. Such people are protected here (the delete pages refuse and say why);
        # they are deactivated instead.
        named = _named_in_history([obj.pk for obj in objs])
        protected = [
            *protected,
            *(
                _("%(user)s tercatat di riwayat; nonaktifkan akunnya (hapus centang Aktif), jangan dihapus.")
                % {"user": obj}
                for obj in objs
                if obj.pk in named
            ),
        ]
        return deleted, model_count, perms_needed, protected


@admin.register(TokenApi)
class TokenApiAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Tokens are made by their owner (the Token API page or `manage.py buat_token`), never here: the admin
    sees them and revokes them. The hash is never shown."""

    list_display = ("awalan", "nama", "pengguna", "dibuat_pada", "kedaluwarsa", "terakhir_dipakai", "dicabut")
    list_filter = ("dicabut", "kedaluwarsa")
    list_select_related = ("pengguna",)
    search_fields = ("awalan", "nama", "pengguna__username", "pengguna__nama")
    fields = ("pengguna", "nama", "awalan", "dibuat_pada", "kedaluwarsa", "terakhir_dipakai", "dicabut")
    readonly_fields = ("pengguna", "awalan", "dibuat_pada", "terakhir_dipakai", "dicabut")
    actions = ["cabut_token"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Cabut token"))
    def cabut_token(self, request, queryset) -> None:
        for token in queryset.filter(dicabut__isnull=True):
            tokens.token_revoke(token=token)
        self.message_user(request, _("Token yang dipilih telah dicabut."))


def _named_in_history(user_ids: list[int]) -> set[int]:
    """The ids among `user_ids` that a history row names, as its author or in a field it copies."""
    named: set[int] = set()
    for model in apps.get_models():
        if not hasattr(model._meta, "simple_history_manager_attribute"):
            continue
        history = model.history.model
        for field in history._meta.concrete_fields:
            if field.is_relation and field.related_model is User:
                named |= set(
                    history.objects.filter(**{f"{field.attname}__in": user_ids}).values_list(field.attname, flat=True)
                )
    return named
