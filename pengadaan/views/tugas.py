"""“Tugas saya”: the home page of an OPD's people (operator, PPTK, PPK), what they have to do next."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pengadaan import rules, selectors
from pengadaan.choices import TAHUN_WAJAR
from pengadaan.views.params import tahun_param, tahun_pilihan

SHOWN = 5  # the first of each list; "lihat semua" opens the full page


@login_required
def tugas_saya(request: HttpRequest) -> HttpResponse:
    """GET ?tahun=: the to-do lists of the person's own OPD. Pengawas and admin have no OPD of their own:
    they are sent to their home (`beranda`: the city dashboard, the administrator's page)."""
    user = request.user
    if not rules.can_record_in_own_opd(user):
        if user.is_opd_role:  # an OPD role without an OPD (the database forbids it): nothing to show
            raise PermissionDenied
        return redirect("beranda")
    opd = user.opd
    tahun = tahun_param(request, within=TAHUN_WAJAR)
    tugas = selectors.tugas_saya(user=user, opd=opd, tahun=tahun, limit=SHOWN)
    years = tahun_pilihan(user, tahun)
    return render(
        request,
        "pengadaan/tugas_saya.html",
        {"opd": opd, "tahun": tahun, "years": years, "tugas": tugas, "shown": SHOWN},
    )
