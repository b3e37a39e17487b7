"""An OPD's RUP packages with whether each is already recorded."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from opd.access import get_object_for_user
from opd.models import Opd
from pengadaan import rules, selectors


@login_required
def rup_list(request: HttpRequest, opd_pk: int) -> HttpResponse:
    opd = get_object_for_user(Opd.objects, request.user, pk=opd_pk)
    years = selectors.years_of(user=request.user) or [timezone.localdate().year]
    try:
        tahun = int(request.GET.get("tahun", years[0]))
    except ValueError:
        tahun = years[0]
    packages = list(selectors.rup_packages(user=request.user, opd=opd, tahun=tahun))
    belum = [p for p in packages if not p.sudah_dicatat]
    return render(
        request,
        "pengadaan/rup_list.html",
        {
            "opd": opd,
            "tahun": tahun,
            "years": years,
            "packages": packages,
            "jumlah_belum": len(belum),
            "can_record": rules.can_record_in(request.user, opd),
        },
    )
