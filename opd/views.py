"""OPD pages: where each role lands, the overview of all OPDs, one OPD's home page, health."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from opd import selectors
from opd.access import get_object_for_user
from opd.models import Opd


@login_required
def beranda(request: HttpRequest) -> HttpResponse:
    """Send each person to where their role works."""
    user = request.user
    if user.is_opd_role:
        # "Tugas saya" (pengadaan's page, named by its URL only: opd never imports pengadaan)
        return redirect(reverse("tugas_saya"))
    if user.is_pengawas:
        return redirect("dashboard")
    return render(request, "opd/beranda_admin.html")


@login_required
def opd_list(request: HttpRequest) -> HttpResponse:
    return render(request, "opd/opd_list.html", {"opd_list": selectors.opd_overview(user=request.user)})


@login_required
def opd_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opd = get_object_for_user(Opd.objects, request.user, pk=pk)
    people = selectors.opd_people(opd=opd, user=request.user)
    # whether the person may record here is the procurement app's rule: the template asks it (`may_record_in`)
    context = {"opd": opd, "people": people}
    return render(request, "opd/opd_detail.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
