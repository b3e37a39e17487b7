"""Payments of a record, inline with htmx (full-page fallback without JavaScript), and proof files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opd.access import get_object_for_user
from pengadaan import rules, selectors, services
from pengadaan.forms import BuktiForm, RealisasiForm
from pengadaan.models import BuktiRealisasi, Pencatatan, Realisasi
from pengadaan.views.pencatatan import detail_context


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _section(request: HttpRequest, pencatatan_pk: int, form: RealisasiForm | None = None, status: int = 200):
    """The payments section (htmx) or the whole record page (plain form post)."""
    pencatatan = selectors.pencatatan_detail(user=request.user, pk=pencatatan_pk)
    context = detail_context(request, pencatatan, realisasi_form=form)
    template = "pengadaan/partials/realisasi_section.html" if _is_htmx(request) else "pengadaan/pencatatan_detail.html"
    return render(request, template, context, status=status)


def _done(request: HttpRequest, pencatatan_pk: int, message: str) -> HttpResponse:
    messages.success(request, message)
    if _is_htmx(request):
        return _section(request, pencatatan_pk)
    return redirect("pencatatan_detail", pk=pencatatan_pk)


@require_POST
@login_required
def realisasi_add(request: HttpRequest, pk: int) -> HttpResponse:
    pencatatan = get_object_for_user(Pencatatan.objects.select_related("opd"), request.user, pk=pk)
    if not rules.can_edit(request.user, pencatatan):
        raise PermissionDenied
    form = RealisasiForm(request.POST, request.FILES, pencatatan=pencatatan)
    if form.is_valid():
        try:
            with transaction.atomic():
                realisasi = services.realisasi_add(
                    user=request.user,
                    pencatatan=pencatatan,
                    data=form.service_data(),
                    nama_penyedia=form.cleaned_data["nama_penyedia"],
                    npwp_penyedia=form.cleaned_data["npwp_penyedia"],
                )
                if form.cleaned_data.get("berkas"):
                    services.bukti_add(user=request.user, realisasi=realisasi, upload=form.cleaned_data["berkas"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, pk, _("Realisasi %(no)s tersimpan.") % {"no": realisasi.no_realisasi})
    return _section(request, pk, form, status=422 if _is_htmx(request) else 200)


@login_required
def realisasi_update(request: HttpRequest, pk: int) -> HttpResponse:
    realisasi = get_object_for_user(
        Realisasi.objects.select_related("pencatatan__opd", "penyedia"), request.user, pk=pk
    )
    pencatatan = realisasi.pencatatan
    if not rules.can_edit(request.user, pencatatan):
        raise PermissionDenied
    # ids of its own: the edit row opens on the record page beside the add form, whose labels would
    # otherwise point at this form's fields
    form = RealisasiForm(
        request.POST or None, instance=realisasi, pencatatan=pencatatan, auto_id=f"id_realisasi{realisasi.pk}_%s"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.realisasi_update(
                user=request.user,
                realisasi=realisasi,
                data=form.service_data(),
                nama_penyedia=form.cleaned_data["nama_penyedia"],
                npwp_penyedia=form.cleaned_data["npwp_penyedia"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, pencatatan.pk, _("Realisasi %(no)s diperbarui.") % {"no": form.instance.no_realisasi})
    context = {"form": form, "realisasi": realisasi, "pencatatan": pencatatan}
    if not _is_htmx(request):
        return render(request, "pengadaan/realisasi_form.html", context)
    if request.method == "GET":
        return render(request, "pengadaan/partials/realisasi_edit.html", context)
    # Refused: the form comes back with its errors in place of itself (its table row), not in place of the
    # whole section that a saved change answers with (the form's hx-target).
    response = render(request, "pengadaan/partials/realisasi_edit.html", context, status=422)
    response["HX-Retarget"] = f"#realisasi-{realisasi.pk}"
    response["HX-Reswap"] = "outerHTML"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def realisasi_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first, naming the payment and its proof files; POST deletes."""
    realisasi = get_object_for_user(
        Realisasi.objects.select_related("pencatatan__opd", "penyedia"), request.user, pk=pk
    )
    if not rules.can_edit(request.user, realisasi.pencatatan):
        raise PermissionDenied
    if request.method == "GET":
        return render(
            request,
            "pengadaan/realisasi_confirm_delete.html",
            {"realisasi": realisasi, "pencatatan": realisasi.pencatatan, "bukti": list(realisasi.bukti.all())},
        )
    services.realisasi_delete(user=request.user, realisasi=realisasi)
    return _done(request, realisasi.pencatatan_id, _("Realisasi %(no)s dihapus.") % {"no": realisasi.no_realisasi})


@require_POST
@login_required
def bukti_add(request: HttpRequest, pk: int) -> HttpResponse:
    realisasi = get_object_for_user(Realisasi.objects.select_related("pencatatan__opd"), request.user, pk=pk)
    if not rules.can_edit(request.user, realisasi.pencatatan):
        raise PermissionDenied
    form = BuktiForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.bukti_add(user=request.user, realisasi=realisasi, upload=form.cleaned_data["berkas"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Bukti tersimpan."))
    else:
        messages.error(request, _("Pilih berkas bukti yang akan diunggah."))
    if _is_htmx(request):
        return _section(request, realisasi.pencatatan_id)
    return redirect("pencatatan_detail", pk=realisasi.pencatatan_id)


@login_required
def bukti_download(request: HttpRequest, pk: int) -> FileResponse:
    """Only people who may see the record may download its proof (404 for everyone else)."""
    bukti = get_object_for_user(BuktiRealisasi.objects.all(), request.user, pk=pk)
    response = FileResponse(
        bukti.berkas.open("rb"), as_attachment=False, filename=bukti.nama_asli, content_type=bukti.tipe_konten
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def bukti_delete(request: HttpRequest, pk: int) -> HttpResponse:
    bukti = get_object_for_user(
        BuktiRealisasi.objects.select_related("realisasi__pencatatan__opd"), request.user, pk=pk
    )
    pencatatan = bukti.realisasi.pencatatan
    if not rules.can_edit(request.user, pencatatan):
        raise PermissionDenied
    services.bukti_delete(user=request.user, bukti=bukti)
    return _done(request, pencatatan.pk, _("Bukti %(nama)s dihapus.") % {"nama": bukti.nama_asli})
