"""Import of users: columns `username, nama, email, nip, kd_satker, peran` (DESIGN §8).

Upsert by username. A row with an unknown OPD or role, a username that appears
twice in the file, an invalid e-mail or NIP is refused with its row number,
column and reason; the import then writes nothing (one transaction).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from opd.models import Opd, Peran, User

USER_COLUMNS = ("username", "nama", "email", "nip", "kd_satker", "peran")


def as_text(value: Any) -> str:
    """A cell as text: numbers typed as numbers lose no digits, empty means ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return as_text(value)


class NipWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float):
            # 18 digits do not fit a spreadsheet number: the last digits are already lost.
            raise ValueError(
                _("NIP tersimpan sebagai angka sehingga digit terakhirnya hilang; format kolom NIP sebagai teks.")
            )
        return as_text(value).replace(" ", "").replace(".", "")


class OpdWidget(widgets.ForeignKeyWidget):
    """Find the OPD by SiRUP code, by `kd_satker_str` or by SPSE's own code (DESIGN §8)."""

    def __init__(self) -> None:
        super().__init__(Opd, field="kd_satker")

    def clean(self, value, row=None, **kwargs):
        code = as_text(value)
        if not code:
            return None
        opd = Opd.objects.filter(Q(kd_satker=code) | Q(kd_satker_str=code) | Q(kd_satker_spse=code)).first()
        if opd is None:
            raise ValueError(_("OPD dengan kode '%(kode)s' tidak ditemukan.") % {"kode": code})
        return opd

    def render(self, value, obj=None, **kwargs):
        return value.kd_satker if value else ""


class PeranWidget(widgets.CharWidget):
    """Accept the role code (`ppk`) or its label (`PPK`, `Admin OPD / Operator`), any case."""

    def clean(self, value, row=None, **kwargs):
        text = as_text(value)
        by_name = {code: code for code in Peran.values}
        by_name.update({str(label).lower(): code for code, label in Peran.choices})
        by_name["admin opd"] = Peran.OPERATOR
        by_name["administrator"] = Peran.ADMIN
        try:
            return by_name[text.lower()]
        except KeyError:
            raise ValueError(
                _("Peran '%(peran)s' tidak dikenal; pilih salah satu: %(pilihan)s.")
                % {"peran": text, "pilihan": ", ".join(Peran.values)}
            ) from None


class UserResource(resources.ModelResource):
    username = fields.Field(attribute="username", column_name="username", widget=TextWidget())
    nama = fields.Field(attribute="nama", column_name="nama", widget=TextWidget())
    email = fields.Field(attribute="email", column_name="email", widget=TextWidget())
    nip = fields.Field(attribute="nip", column_name="nip", widget=NipWidget())
    kd_satker = fields.Field(attribute="opd", column_name="kd_satker", widget=OpdWidget())
    peran = fields.Field(attribute="peran", column_name="peran", widget=PeranWidget())

    class Meta:
        model = User
        fields = USER_COLUMNS
        import_id_fields = ("username",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user
        self._seen: dict[str, int] = {}

    def get_queryset(self):
        # Upserts only ever touch users the importing person may see (the one access helper).
        qs = super().get_queryset()
        return qs.visible_to(self.user) if self.user is not None else qs

    def before_import(self, dataset, **kwargs):
        self._seen = {}
        missing = [c for c in USER_COLUMNS if c not in (dataset.headers or [])]
        if missing:
            raise ValidationError(
                _("Kolom wajib tidak ada: %(kolom)s. Kolom yang diharapkan: %(semua)s.")
                % {"kolom": ", ".join(missing), "semua": ", ".join(USER_COLUMNS)}
            )

    def before_import_row(self, row, **kwargs):
        username = as_text(row.get("username"))
        if not username:
            raise ValidationError({"username": _("Username wajib diisi.")})
        row_number = kwargs.get("row_number", 0)
        if username in self._seen:
            raise ValidationError(
                {
                    "username": _("Username '%(u)s' sudah muncul di baris %(baris)d berkas ini.")
                    % {"u": username, "baris": self._seen[username] + 1}
                }
            )
        self._seen[username] = row_number
        row["username"] = username

    def after_init_instance(self, instance, new, row, **kwargs):
        if new:
            # Imported people set their own password through "Lupa kata sandi".
            instance.set_unusable_password()

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as exc:
            # Report errors under the file's column names, not the model's attribute names.
            raise ValidationError(
                {("kd_satker" if key == "opd" else key): msgs for key, msgs in exc.message_dict.items()}
            ) from exc
