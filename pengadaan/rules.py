"""Who may do what (DESIGN §2): every "may user X do Y" of the procurement app, one named predicate each.

Services enforce these (PermissionDenied), views and templates use them to answer 403 and to show
buttons, the admin and the imports ask them too. What a role *is* stays on the user (`opd.models.User`:
`sees_all_opd`, `is_opd_role`, ...), because `opd` scopes querysets with it and must not import
`pengadaan`; what a role *may do here* is decided only in this module.

Every predicate takes the user first, accepts AnonymousUser (False for it, but for the open data
`can_read_ocds` when the pemda publishes it) and never queries the database except where its docstring
says so. Templates reach the user-only predicates through the `may` filter
(`{% load may %}{% if user|may:"see_all_opd" %}`, pengadaan/templatetags/may.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings

from opd.models import OPD_ROLES, Peran
from pengadaan.choices import EDITABLE_STATUSES, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opd.models import Opd, User
    from pengadaan.models import Pencatatan

    AnyUser = User | AnonymousUser

# The Django permission behind bulk import (declared on ImportJob.Meta.permissions). The admin role holds
# it as a superuser; it is checked as a permission, not a role, so that it keeps Django's meaning.
IMPOR_PERMISSION = "pengadaan.impor_data"


def _signed_in(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _has_role(user: AnyUser, *roles: Peran) -> bool:
    return _signed_in(user) and user.peran in roles


# --- reading, supervising and the city-wide tools -----------------------------------------------------


def can_see_all_opd(user: AnyUser) -> bool:
    """Read every OPD: the supervisor dashboard, every OPD's records and dashboards, city-wide lists and
    exports (pengawas and admin). The rows themselves are scoped by `opd.access`, from the same role fact."""
    return _signed_in(user) and user.sees_all_opd


def can_read_ocds(user: AnyUser) -> bool:
    """Read the OCDS release package (DESIGN §11, §13): pengawas and admin; anyone, signed in or not, when
    the pemda publishes it (setting OCDS_PUBLIK). An OPD's people read their records in the app instead."""
    return settings.OCDS_PUBLIK or (_signed_in(user) and user.sees_all_opd)


def can_send_reminders(user: AnyUser) -> bool:
    """Preview and send the reminder e-mails of any OPD (pengawas and admin)."""
    return _has_role(user, Peran.PENGAWAS, Peran.ADMIN)


def can_review_tanda_bahaya(user: AnyUser) -> bool:
    """Mark a red flag reviewed, with a note (DESIGN §7): the pengawas and the administrator."""
    return _has_role(user, Peran.PENGAWAS, Peran.ADMIN)


def can_import(user: AnyUser) -> bool:
    """Bulk import, its jobs, error files, templates and LKPP exports: whoever holds `pengadaan.impor_data`
    (the admin role, as a superuser). May query the user's permissions for a user that is not a superuser."""
    return _signed_in(user) and user.has_perm(IMPOR_PERMISSION)


def can_see_import_page(user: AnyUser) -> bool:
    """Show the way to the import page (the menu item): the admin role, the one role holding the import
    permission. Asked of the role, not the permission, so that no page pays two permission queries for
    its menu; the import page itself asks `can_import`."""
    return _has_role(user, Peran.ADMIN)


def can_manage_itkp(user: AnyUser) -> bool:
    """Change the ITKP settings (DESIGN §6: methodologies, indicators, bands, values entered per year)."""
    return _has_role(user, Peran.ADMIN)


def can_use_django_admin(user: AnyUser) -> bool:
    """Reach the Django admin (users, OPDs, every table): the admin role, which `User.save` makes staff."""
    return _has_role(user, Peran.ADMIN)


# --- recording ---------------------------------------------------------------------------------------


def can_record_in(user: AnyUser, opd: Opd) -> bool:
    """Create records of `opd`, with their payments and proof: its own OPD roles, and the administrator."""
    return _signed_in(user) and (user.peran == Peran.ADMIN or (user.peran in OPD_ROLES and user.opd_id == opd.pk))


def can_record_in_own_opd(user: AnyUser) -> bool:
    """Record in the user's own OPD (the "record" buttons of the record list): an OPD role."""
    return _signed_in(user) and user.peran in OPD_ROLES and user.opd_id is not None


def can_edit(user: AnyUser, pencatatan: Pencatatan) -> bool:
    """Change a record, its payments and proof: only while Draft or Berjalan."""
    return pencatatan.status in EDITABLE_STATUSES and can_record_in(user, pencatatan.opd)


def can_decide_padanan(user: AnyUser, pencatatan: Pencatatan) -> bool:
    """Confirm or reject that a record of the app and one SPSE published are one package (DESIGN §12):
    the people of the app record's OPD and the administrator, whatever the record's status."""
    return can_record_in(user, pencatatan.opd)


def can_delete(user: AnyUser, pencatatan: Pencatatan) -> bool:
    """Only a Draft (never reported to SPSE) may be deleted; anything later is cancelled instead."""
    return pencatatan.status == Status.DRAFT and can_record_in(user, pencatatan.opd)


def can_remove_realisasi(user: AnyUser, pencatatan: Pencatatan) -> bool:
    """Remove a payment or a proof file of `pencatatan`: while it may be edited, or as part of deleting it."""
    return can_edit(user, pencatatan) or can_delete(user, pencatatan)


def can_act_as_ppk(user: AnyUser, pencatatan: Pencatatan) -> bool:
    """A PPK's actions on a record (finish, cancel, reopen): a PPK of its OPD, and the administrator."""
    return bool(
        user.is_authenticated
        and (user.peran == Peran.ADMIN or (user.peran == Peran.PPK and user.opd_id == pencatatan.opd_id))
    )


def _can_record_in_its_opd(user: AnyUser, pencatatan: Pencatatan) -> bool:
    return can_record_in(user, pencatatan.opd)


# (from, to) -> who may move a record along it (DESIGN §4 Status)
TRANSITIONS: dict[tuple[str, str], Callable[[AnyUser, Pencatatan], bool]] = {
    (Status.DRAFT, Status.BERJALAN): _can_record_in_its_opd,
    (Status.BERJALAN, Status.SELESAI): can_act_as_ppk,
    (Status.DRAFT, Status.BATAL): can_act_as_ppk,
    (Status.BERJALAN, Status.BATAL): can_act_as_ppk,
    (Status.SELESAI, Status.BATAL): can_act_as_ppk,
    (Status.SELESAI, Status.BERJALAN): can_act_as_ppk,  # reopen
    (Status.BATAL, Status.BERJALAN): can_act_as_ppk,  # reopen
}


def can_transition(user: AnyUser, pencatatan: Pencatatan, target: str) -> bool:
    """Move `pencatatan` from its status to `target`: only along TRANSITIONS, by whom it names."""
    who = TRANSITIONS.get((pencatatan.status, target))
    return who is not None and who(user, pencatatan)


def allowed_transitions(user: AnyUser, pencatatan: Pencatatan) -> list[str]:
    """The statuses `user` may move `pencatatan` to, in TRANSITIONS' order."""
    return [to for (frm, to) in TRANSITIONS if frm == pencatatan.status and can_transition(user, pencatatan, to)]


# --- who may be named on a record ----------------------------------------------------------------------


def can_be_ppk_of(person: AnyUser, opd_id: int | None) -> bool:
    """Be named the PPK who owns a record of OPD `opd_id`: a user with the PPK role in that OPD."""
    return person.is_authenticated and person.peran == Peran.PPK and person.opd_id == opd_id


def can_be_pptk_of(person: AnyUser, opd_id: int | None) -> bool:
    """Be named the PPTK of a record of OPD `opd_id`: a user with the PPTK role in that OPD."""
    return person.is_authenticated and person.peran == Peran.PPTK and person.opd_id == opd_id
