"""Bulk import screens (administrators): upload, check with progress, preview errors, confirm, downloads."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, user_passes_test
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opd.access import get_object_for_user
from pengadaan import rules
from pengadaan.exports import export_response, lkpp, workbooks
from pengadaan.imports import jobs
from pengadaan.imports.contracts import CONTRACTS
from pengadaan.imports.files import ImportFileError, max_upload_bytes
from pengadaan.models import ImportJob


def _may_import(user) -> bool:
    # 403 (not a redirect to the login page) for a signed-in person without the import permission
    if not rules.can_import(user):
        raise PermissionDenied
    return True


impor_required = user_passes_test(_may_import)
ERRORS_PER_PAGE = 50


class ImporForm(forms.Form):
    jenis = forms.ChoiceField(label=gettext_lazy("Jenis data"), choices=ImportJob.Jenis.choices)
    berkas = forms.FileField(
        label=gettext_lazy("Berkas"),
        help_text=gettext_lazy("XLSX (lembar pertama), CSV (UTF-8, pemisah , atau ;) atau JSON dari ISB/INAPROC."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.json"}),
    )
    tahun = forms.IntegerField(
        label=gettext_lazy("Tahun anggaran"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=gettext_lazy("Isi bila berkas tidak memuat kolom tahun_anggaran; baris tahun lain ditolak."),
    )
    hanya_valid = forms.BooleanField(
        label=gettext_lazy("Tulis baris yang benar saja"),
        required=False,
        help_text=gettext_lazy("Tanpa centang, tidak ada yang ditulis bila satu baris pun salah."),
    )


@login_required
@impor_required
def impor_list(request: HttpRequest) -> HttpResponse:
    form = ImporForm(request.POST or None, request.FILES or None, initial={"jenis": request.GET.get("jenis")})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["berkas"]
        if upload.size > max_upload_bytes():
            form.add_error(
                "berkas", _("Berkas lebih besar dari batas %(mb)d MB.") % {"mb": max_upload_bytes() // 2**20}
            )
        else:
            try:
                job = jobs.create_job(
                    user=request.user,
                    kind=form.cleaned_data["jenis"],
                    filename=upload.name,
                    data=upload.read(),
                    tahun=form.cleaned_data["tahun"],
                    valid_only=form.cleaned_data["hanya_valid"],
                )
            except ImportFileError as exc:
                form.add_error("berkas", str(exc))
            else:
                return redirect(job)
    recent = (
        ImportJob.objects.visible_to(request.user).select_related("dibuat_oleh").defer("isi_berkas", "kesalahan")[:20]
    )
    return render(request, "pengadaan/impor_list.html", {"form": form, "jobs": recent, "contracts": CONTRACTS})


def _job(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_for_user(ImportJob.objects.defer("isi_berkas"), request.user, pk=pk)


@login_required
@impor_required
def impor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = jobs.check_stalled(_job(request, pk))
    page = Paginator(job.kesalahan, ERRORS_PER_PAGE).get_page(request.GET.get("halaman"))
    template = (
        "pengadaan/partials/impor_status.html"
        if request.headers.get("HX-Request") == "true"
        else "pengadaan/impor_detail.html"
    )
    return render(request, template, {"job": job, "errors_page": page})


@require_POST
@login_required
@impor_required
def impor_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    valid_only = request.POST.get("hanya_valid") == "1"
    if job.status != ImportJob.Status.SIAP:
        messages.error(request, _("Impor ini tidak sedang menunggu konfirmasi."))
    elif job.jumlah_kesalahan and not valid_only:
        messages.error(request, _("Masih ada baris yang salah: perbaiki berkasnya, atau tulis baris yang benar saja."))
    else:
        jobs.confirm_job(job, valid_only=valid_only)
    return redirect(job)


@login_required
@impor_required
def impor_errors(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_for_user(ImportJob.objects.all(), request.user, pk=pk)
    if not job.kesalahan:
        raise Http404
    return workbooks.errors_response(job)


@login_required
@impor_required
def impor_export(request: HttpRequest, kind: str) -> HttpResponse:
    """Today's data of `kind` in LKPP's columns (CSV or XLSX), scoped like every export."""
    fmt = request.GET.get("format", "xlsx")
    if kind not in CONTRACTS or fmt not in ("csv", "xlsx"):
        raise Http404
    return export_response(
        filename=f"lkpp-{kind}",
        columns=lkpp.columns_for(kind),
        rows=lkpp.rows_for(kind, request.user),
        fmt=fmt,
    )


@login_required
@impor_required
def impor_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in CONTRACTS:
        raise Http404
    return workbooks.template_response(kind)
