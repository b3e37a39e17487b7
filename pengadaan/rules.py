"""Who may do what to a pencatatan (DESIGN §2). Services enforce these; views use them to show buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pengadaan.models.choices import EDITABLE_STATUSES, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opd.models import Opd, User
    from pengadaan.models import Pencatatan

# (from, to) -> who: "editor" (any OPD role of the record's OPD) or "ppk" (its PPK only)
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Status.BERJALAN): "editor",
    (Status.BERJALAN, Status.SELESAI): "ppk",
    (Status.DRAFT, Status.BATAL): "ppk",
    (Status.BERJALAN, Status.BATAL): "ppk",
    (Status.SELESAI, Status.BATAL): "ppk",
    (Status.SELESAI, Status.BERJALAN): "ppk",  # reopen
    (Status.BATAL, Status.BERJALAN): "ppk",  # reopen
}


def can_record_in(user: User, opd: Opd) -> bool:
    """Create records for `opd`: its own OPD roles, and the administrator."""
    return user.is_authenticated and user.may_record_for(opd)


def can_edit(user: User, pencatatan: Pencatatan) -> bool:
    """Change a record, its payments and proof: only while Draft or Berjalan."""
    return pencatatan.status in EDITABLE_STATUSES and can_record_in(user, pencatatan.opd)


def can_delete(user: User, pencatatan: Pencatatan) -> bool:
    """Only a Draft (never reported to SPSE) may be deleted; anything later is cancelled instead."""
    return pencatatan.status == Status.DRAFT and can_record_in(user, pencatatan.opd)


def _acts_as_ppk(user: User, pencatatan: Pencatatan) -> bool:
    return user.is_authenticated and (user.is_admin_role or (user.peran == "ppk" and user.opd_id == pencatatan.opd_id))


def can_transition(user: User, pencatatan: Pencatatan, target: str) -> bool:
    who = TRANSITIONS.get((pencatatan.status, target))
    if who is None:
        return False
    if who == "ppk":
        return _acts_as_ppk(user, pencatatan)
    return can_record_in(user, pencatatan.opd)


def allowed_transitions(user: User, pencatatan: Pencatatan) -> list[str]:
    return [to for (frm, to) in TRANSITIONS if frm == pencatatan.status and can_transition(user, pencatatan, to)]


def can_review_tanda_bahaya(user: User | AnonymousUser) -> bool:
    """Only the pengawas and the administrator mark red flags reviewed (DESIGN §7)."""
    return bool(user.is_authenticated and user.is_active and (user.is_pengawas or user.is_admin_role))
