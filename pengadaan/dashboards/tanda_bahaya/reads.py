"""Red flags computed now, scoped to a person: one flag to check a review against (`flag_by_kode`), and
every flag of a year with a chosen reference day (`flags_for`, how the rules are tested). Pages and
e-mails read the stored flags (`pengadaan.dashboards.ringkasan.stored_flags`), one read path."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from pengadaan.dashboards.tanda_bahaya.findings import Flag, Temuan
from pengadaan.dashboards.tanda_bahaya.group_rules import LagCounts
from pengadaan.dashboards.tanda_bahaya.identity import KODE_KELOMPOK, KODE_PENCATATAN
from pengadaan.dashboards.tanda_bahaya.registry import RULES, build_flag, compute
from pengadaan.models import Pencatatan, TinjauanTandaBahaya

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opd.models import User


def _records(*, tahun: int, user: User | AnonymousUser, opd_id: int | None) -> QuerySet[Pencatatan]:
    records = Pencatatan.objects.visible_to(user).filter(tahun_anggaran=tahun)
    if opd_id is not None:
        records = records.filter(opd_id=opd_id)
    return records.order_by()


def _written(found: list[Temuan]) -> list[Flag]:
    return [
        build_flag(rule=t.rule, kode=t.kode, opd_id=t.opd_id, pencatatan_ids=t.pencatatan_ids, data=t.data)
        for t in found
    ]


def flags_for(
    *,
    tahun: int,
    user: User | AnonymousUser,
    opd_id: int | None = None,
    rules: Iterable[int] | None = None,
    today: date | None = None,
) -> list[Flag]:
    """Every red flag on the records of `tahun` that `user` may see (of one OPD when `opd_id` is given).

    Sorted by rule, OPD and records. `rules` limits the rules computed (default all nine);
    `today` is rule 7's reference day (default `timezone.localdate()`). No side effects; one
    or two queries per rule, whatever the number of records and flags.
    """
    rules = list(RULES) if rules is None else list(rules)
    unknown = set(rules) - set(RULES)
    if unknown:
        raise ValueError(f"unknown red-flag rules: {sorted(unknown)}")
    return _written(compute(_records(tahun=tahun, user=user, opd_id=opd_id), tahun=tahun, rules=rules, today=today))


def flags_for_opds(
    *, tahun: int, opd_ids: list[int], today: date | None = None, lags: LagCounts | None = None
) -> list[Temuan]:
    """Every red flag of `tahun` on the records of the OPDs `opd_ids`, reasons not yet written (for
    `pengadaan.dashboards.ringkasan`, which stores them; callers scope the OPDs). Same queries as `flags_for`,
    one fewer when `lags` gives each OPD's realisasi entries by lag (`group_rules.Year`)."""
    records = Pencatatan.objects.filter(tahun_anggaran=tahun, opd_id__in=opd_ids).order_by()
    return compute(records, tahun=tahun, rules=list(RULES), today=today, lags=lags)


def reviews_for(*, tahun: int, user: User | AnonymousUser, opd_id: int | None = None) -> QuerySet[TinjauanTandaBahaya]:
    """The reviews of `tahun` that `user` may see, with their reviewer."""
    reviews = TinjauanTandaBahaya.objects.visible_to(user).filter(tahun=tahun).select_related("ditinjau_oleh")
    if opd_id is not None:
        reviews = reviews.filter(opd_id=opd_id)
    return reviews


def flag_by_kode(*, tahun: int, user: User | AnonymousUser, kode: str, today: date | None = None) -> Flag | None:
    """The current flag `kode` of `tahun` if `user` may see it, else None.

    Recomputes only that flag's rule, for only its record (rules 2, 3, 5, 7–9) or its OPD (rules 1, 4, 6).
    """
    records = _records(tahun=tahun, user=user, opd_id=None)
    if match := KODE_PENCATATAN.match(kode):
        rule, records = int(match[1]), records.filter(pk=int(match[2]))
    elif match := KODE_KELOMPOK.match(kode):
        if int(match[3]) != tahun:
            return None
        rule, records = int(match[1]), records.filter(opd_id=int(match[2]))
    else:
        return None
    found = [t for t in compute(records, tahun=tahun, rules=[rule], today=today) if t.kode == kode]
    return _written(found)[0] if found else None
