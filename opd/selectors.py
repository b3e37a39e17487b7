"""Reads for OPD pages: querysets for views, always through `visible_to`."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from opd.models import Opd, Peran, User


def opd_overview(*, user: User) -> QuerySet[Opd]:
    """OPDs `user` may see, each with the number of its active people per role (one query)."""
    counts = {
        f"jumlah_{peran}": Count("pengguna", filter=Q(pengguna__peran=peran, pengguna__is_active=True))
        for peran in (Peran.OPERATOR, Peran.PPTK, Peran.PPK)
    }
    return Opd.objects.visible_to(user).annotate(**counts).order_by("-aktif", "nama_satker")


def opd_people(*, opd: Opd, user: User) -> QuerySet[User]:
    """The active people of one OPD, PPK first, then PPTK, then operators."""
    rank = Case(
        When(peran=Peran.PPK, then=Value(0)),
        When(peran=Peran.PPTK, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        User.objects.visible_to(user)
        .filter(opd=opd, is_active=True)
        .annotate(urutan=rank)
        .order_by("urutan", "nama", "username")
    )
