"""Reconciliation with SPSE (DESIGN §12): per OPD (its own people) and for the city (pengawas), the pairs
an import could not be sure of, and three lists, each downloadable as CSV or XLSX."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opd.access import get_object_for_user
from opd.models import Opd
from pengadaan import rules, selectors
from pengadaan.exports import FORMATS
from pengadaan.exports.rekonsiliasi import rekonsiliasi_response
from pengadaan.imports import padanan
from pengadaan.models import PadananSpse
from pengadaan.views.params import tahun_param, tahun_pilihan

SHOWN = 50  # each list shows its first rows; the download has them all
LISTS = ("belum_spse", "hanya_spse", "berbeda")


def _page(request: HttpRequest, *, opd: Opd | None) -> HttpResponse:
    user, tahun = request.user, tahun_param(request)
    opd_id = opd.pk if opd else None
    lists = {
        "belum_spse": selectors.belum_di_spse(user=user, tahun=tahun, opd_id=opd_id),
        "hanya_spse": selectors.hanya_di_spse(user=user, tahun=tahun, opd_id=opd_id),
        "berbeda": selectors.berbeda_dari_spse(user=user, tahun=tahun, opd_id=opd_id),
    }
    daftar, fmt = request.GET.get("daftar"), request.GET.get("_export")
    if daftar in LISTS and fmt in FORMATS:
        nama = opd.kd_satker if opd else "kota"
        return rekonsiliasi_response(daftar=daftar, tahun=tahun, nama=nama, rows=lists[daftar], fmt=fmt)
    shown = {name: list(rows[:SHOWN]) for name, rows in lists.items()}
    counts = {name: (len(rows) if isinstance(rows, list) else rows.count()) for name, rows in lists.items()}
    today = timezone.localdate()
    for record in shown["belum_spse"]:
        record.umur_hari = (today - record.tgl_buat_paket).days
    pairs = list(selectors.padanan_menunggu(user=user, tahun=tahun, opd_id=opd_id))
    for pair in pairs:
        pair.may_decide = rules.can_decide_padanan(user, pair.lokal)
    context = {
        "opd": opd,
        "tahun": tahun,
        "years": tahun_pilihan(user, tahun),
        "sections": [{"name": name, "rows": shown[name], "count": counts[name]} for name in LISTS],
        "counts": counts,
        "shown": SHOWN,
        "pairs": pairs,
        "base_url": reverse("opd_rekonsiliasi", args=[opd.pk]) if opd else reverse("rekonsiliasi"),
    }
    return render(request, "pengadaan/rekonsiliasi.html", context)


@login_required
def rekonsiliasi(request: HttpRequest) -> HttpResponse:
    """The city's reconciliation (pengawas, admin); an OPD's people are sent to their own."""
    user = request.user
    if not rules.can_see_all_opd(user):
        if user.opd_id:
            own = reverse("opd_rekonsiliasi", args=[user.opd_id])
            tahun = tahun_param(request, default=None)
            return redirect(own if tahun is None else f"{own}?tahun={tahun}")
        raise PermissionDenied
    return _page(request, opd=None)


@login_required
def opd_rekonsiliasi(request: HttpRequest, pk: int) -> HttpResponse:
    """One OPD's reconciliation: its own people and every supervisor; other OPDs answer 404."""
    return _page(request, opd=get_object_for_user(Opd.objects, request.user, pk=pk))


def _decide(request: HttpRequest, pk: int, *, confirm: bool) -> HttpResponse:
    pair = get_object_for_user(PadananSpse.objects.select_related("lokal"), request.user, pk=pk)
    if not rules.can_decide_padanan(request.user, pair.lokal):
        raise PermissionDenied
    try:
        if confirm:
            record = padanan.konfirmasi(user=request.user, padanan=pair)
            messages.success(
                request,
                _("Pencatatan “%(nama)s” kini satu dengan pencatatan SPSE %(kode)s.")
                % {"nama": record.nama_paket, "kode": record.kd_pct},
            )
        else:
            padanan.tolak(user=request.user, padanan=pair)
            messages.success(request, _("Dicatat: kedua pencatatan berbeda dan tetap terpisah."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(f"{reverse('opd_rekonsiliasi', args=[pair.lokal.opd_id])}?tahun={pair.lokal.tahun_anggaran}")


@require_POST
@login_required
def padanan_konfirmasi(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: the OPD says its record and SPSE's are one package; they become one record."""
    return _decide(request, pk, confirm=True)


@require_POST
@login_required
def padanan_tolak(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: the OPD says the two records are different packages; both stay."""
    return _decide(request, pk, confirm=False)
