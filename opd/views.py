"""OPD pages: where each role lands, the overview of all OPDs, one OPD's home page, a person's API tokens,
health."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opd import selectors, tokens
from opd.access import get_object_for_user
from opd.forms import TokenForm
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
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """A person's own API tokens; a POST makes one, shown on this answer only (never stored readable)."""
    form = TokenForm(request.POST or None)
    baru = None
    if request.method == "POST" and form.is_valid():
        baru = tokens.token_create(
            pengguna=request.user, nama=form.cleaned_data["nama"], hari=form.cleaned_data["hari"]
        )
        form = TokenForm()
    context = {"form": form, "baru": baru, "tokens": tokens.tokens_of(request.user)}
    return render(request, "opd/token_list.html", context)


@require_POST
@login_required
def token_cabut(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the person's own tokens (another person's: 404)."""
    token = tokens.token_revoke(token=tokens.own_token(pengguna=request.user, pk=pk))
    messages.success(request, _("Token %(awalan)s… dicabut.") % {"awalan": token.awalan})
    return redirect("token_list")


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
