"""Tanda bahaya, the red flags of DESIGN §7: the list of flags with their review status, and the pengawas's review."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opd.access import get_object_for_user
from opd.models import Opd
from pengadaan import rules, selectors, services
from pengadaan.choices import TAHUN_WAJAR
from pengadaan.dashboards import ringkasan, tanda_bahaya
from pengadaan.dashboards import selectors as dashboards
from pengadaan.models import Pencatatan
from pengadaan.views.params import tahun_param

if TYPE_CHECKING:
    from pengadaan.models import TinjauanTandaBahaya

PAGE_SIZE = 50
STATUSES = ("open", "reviewed", "all")


@dataclass(frozen=True)
class FlagRow:
    """One flag as the list shows it."""

    flag: tanda_bahaya.Flag
    opd: Opd
    pencatatan: list[Pencatatan]
    review: TinjauanTandaBahaya | None


@dataclass(frozen=True)
class GroupRow:
    """One rule in the summary: its title, how many flags, and how many per OPD."""

    rule: int
    judul: str
    jumlah: int
    per_opd: list[tuple[Opd, int]]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def tanda_bahaya_list(request: HttpRequest) -> HttpResponse:
    """GET ?tahun=&opd=&rule=&status=open|reviewed|all. OPD roles see their OPD's flags only; another OPD is 404."""
    user = request.user
    tahun = tahun_param(request, within=TAHUN_WAJAR)
    opd_id = _int(request.GET.get("opd"))
    if opd_id is not None:
        opd_id = get_object_for_user(Opd.objects, user, pk=opd_id).pk
    rule = _int(request.GET.get("rule"))
    rule = rule if rule in tanda_bahaya.TITLES else None
    status = request.GET.get("status") if request.GET.get("status") in STATUSES else "open"

    opd_ids = [opd_id] if opd_id is not None else list(Opd.objects.visible_to(user).values_list("pk", flat=True))
    # the stored flags (their numbers are not read); out of date, shown with their time while the worker recomputes
    basi_sejak = ringkasan.ensure_stored(tahun=tahun, opd_ids=opd_ids).since
    flags = ringkasan.stored_flags(tahun=tahun, opd_ids=opd_ids, status=status, rule=rule)
    page = Paginator(flags, PAGE_SIZE).get_page(request.GET.get("page"))
    groups = dashboards.flag_groups(tahun=tahun, opd_ids=opd_ids, status=status, rule=rule)
    # Names and reviews for this page (OPD names for the summary too): four queries, whatever the number of flags.
    opds = Opd.objects.visible_to(user).in_bulk({f.opd_id for f in page} | {o for g in groups for o, _n in g.per_opd})
    records = (
        Pencatatan.objects.visible_to(user)
        .only("pk", "nama_paket", "opd_id")
        .in_bulk({pk for f in page for pk in f.pencatatan_ids})
    )
    reviews = {
        review.kode: review
        for review in tanda_bahaya.reviews_for(tahun=tahun, user=user).filter(kode__in=[f.kode for f in page])
    }
    rows = [
        FlagRow(
            flag=ringkasan.as_flag(f),
            opd=opds[f.opd_id],
            pencatatan=[records[pk] for pk in f.pencatatan_ids if pk in records],
            review=reviews.get(f.kode),
        )
        for f in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    ringkasan_aturan = [
        GroupRow(
            rule=g.rule,
            judul=tanda_bahaya.TITLES[g.rule],
            jumlah=g.jumlah,
            per_opd=[(opds[o], n) for o, n in g.per_opd if o in opds],
        )
        for g in groups
    ]
    return render(
        request,
        "pengadaan/tanda_bahaya_list.html",
        {
            "rows": rows,
            "groups": ringkasan_aturan,
            "page": page,
            "tahun": tahun,
            "years": sorted({*selectors.years_of(user=user), tahun}, reverse=True),
            "opd_id": opd_id,
            "opd_choices": Opd.objects.visible_to(user).only("pk", "nama_satker")
            if rules.can_see_all_opd(user)
            else [],
            "rule": rule,
            "rule_choices": [(n, str(judul)) for n, judul in tanda_bahaya.TITLES.items()],
            "status": status,
            "status_choices": [("open", _("Belum ditinjau")), ("reviewed", _("Sudah ditinjau")), ("all", _("Semua"))],
            "can_review": rules.can_review_tanda_bahaya(user),
            "page_query": query.urlencode(),
            "basi_sejak": basi_sejak,
        },
    )


@require_POST
@login_required
def tanda_bahaya_review(request: HttpRequest) -> HttpResponse:
    """POST kode, tahun, catatan (and optionally next): mark a flag reviewed, then go back to the list."""
    user = request.user
    if not rules.can_review_tanda_bahaya(user):
        raise PermissionDenied
    tahun = tahun_param(request, post=True, within=TAHUN_WAJAR, default=None)
    kode = request.POST.get("kode", "")
    if tahun is None or tanda_bahaya.flag_by_kode(tahun=tahun, user=user, kode=kode) is None:
        raise Http404
    try:
        services.tinjau_tanda_bahaya(user=user, tahun=tahun, kode=kode, catatan=request.POST.get("catatan", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Tanda bahaya ditandai sudah ditinjau."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = f"{reverse('tanda_bahaya_list')}?tahun={tahun}"
    return redirect(target)
