"""User import: accounts by username, with their role and OPD, within what the importer may see."""

from __future__ import annotations

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from opd.models import CITY_ROLES, OPD_ROLES, Peran, User, nip_validator
from pengadaan.imports import contracts
from pengadaan.imports.kinds.base import BATCH, Context, Handler, assign, chunked
from pengadaan.imports.rows import ROW_LEVEL, Row, mark_duplicates

PERAN = {code: code for code in Peran.values} | {str(label).lower(): code for code, label in Peran.choices}
PERAN |= {"admin opd": Peran.OPERATOR, "administrator": Peran.ADMIN}
ROLE_MESSAGE = User._meta.constraints[0].violation_error_message


class UserHandler(Handler):
    contract = contracts.USERS
    opd_lookup = "any"
    FIELDS = (*contracts.USERS.fields, "is_staff", "is_superuser")  # the last two follow peran

    def resolve(self, rows: list[Row], ctx: Context) -> None:
        mark_duplicates(rows, ("username",), label=_("Nama pengguna"), seen=self.seen)
        good = [r for r in rows if r.ok]
        scope = User.objects.visible_to(ctx.user) if ctx.user is not None else User.objects.all()
        existing = {u.username: u for u in chunked(scope, "username", {r.data["username"] for r in good})}
        clash = set(chunked(User.objects.all(), "username", {r.data["username"] for r in good})) - set(
            existing.values()
        )
        clash_names = {u.username for u in clash}
        username_ok = UnicodeUsernameValidator()
        for row in good:
            d = row.data
            for validator, column in ((username_ok, "username"), (validate_email, "email"), (nip_validator, "nip")):
                if d.get(column):
                    try:
                        validator(d[column])
                    except ValidationError as exc:
                        row.error(column, exc.messages[0])
            peran = PERAN.get(" ".join(d["peran"].lower().split()))
            if peran is None:
                row.error(
                    "peran",
                    _("Peran '%(p)s' tidak dikenal; pilih salah satu: %(c)s.")
                    % {"p": d["peran"], "c": ", ".join(Peran.values)},
                )
            opd = None
            if d.get("kd_satker"):
                opd = ctx.opds.any(d["kd_satker"])
                if opd is None:
                    row.error("kd_satker", _("OPD dengan kode '%(k)s' tidak ditemukan.") % {"k": d["kd_satker"]})
            elif peran in OPD_ROLES:
                row.error(ROW_LEVEL, str(ROLE_MESSAGE))
            if opd is not None and peran in CITY_ROLES:
                row.error(ROW_LEVEL, str(ROLE_MESSAGE))
            if d["username"] in clash_names:
                row.error("username", _("Username sudah dipakai pengguna lain."))
            if not row.ok:
                continue
            values = {
                "nama": d["nama"],
                "email": d.get("email") or "",
                "nip": d.get("nip") or "",
                "opd": opd,
                "peran": peran,
                "is_staff": peran == Peran.ADMIN,
                "is_superuser": peran == Peran.ADMIN,
            }
            user = existing.get(d["username"])
            if user is None:
                user = User(username=d["username"])
                user.set_unusable_password()  # they set their own through "Lupa kata sandi"
                assign(user, values)
                row.action = "create"
            else:
                row.action = "update" if assign(user, values) else "unchanged"
            row.target = user

    def write(self, rows: list[Row], ctx: Context) -> None:
        User.objects.bulk_create([r.target for r in rows if r.action == "create"], batch_size=BATCH)
        User.objects.bulk_update([r.target for r in rows if r.action == "update"], self.FIELDS, batch_size=BATCH)
