"""Pencatatan screens: list (with export), create, detail, edit, status actions, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tables2 import RequestConfig

from opd.access import get_object_for_user
from opd.models import Opd
from pengadaan import rules, selectors, services
from pengadaan.exports import export_response
from pengadaan.exports.pencatatan import PENCATATAN_COLUMNS
from pengadaan.filters import PencatatanFilter
from pengadaan.forms import PencatatanForm, RealisasiForm, StatusForm
from pengadaan.models import JenisPencatatan, Pencatatan, Status
from pengadaan.tables import PencatatanTable
from pengadaan.views.params import tahun_param
from spse_tracker.db_router import replica_alias
from spse_tracker.formats import percent

PAGE_SIZE = 25


@login_required
def pencatatan_list(request: HttpRequest) -> HttpResponse:
    filterset = PencatatanFilter(request.GET, queryset=selectors.pencatatan_list(user=request.user), user=request.user)
    records = filterset.qs
    export = request.GET.get("_export")
    if export in ("csv", "xlsx"):
        # a long read: from the read replica when there is one (README, "Several machines")
        rows = records.using(replica_alias()).prefetch_related(None).iterator(chunk_size=2000)
        return export_response(filename="pencatatan", columns=PENCATATAN_COLUMNS, rows=rows, fmt=export)
    table = PencatatanTable(records, show_opd=rules.can_see_all_opd(request.user))
    filters = filterset.form.cleaned_data if filterset.form.is_valid() else {}
    count = selectors.pencatatan_count(user=request.user, filters=filters)
    paginate = {"per_page": PAGE_SIZE, "paginator_class": selectors.KnownCountPaginator, "count": count}
    RequestConfig(request, paginate=paginate).configure(table)
    return render(
        request,
        "pengadaan/pencatatan_list.html",
        {"filter": filterset, "table": table, "export_query": request.GET.urlencode()},
    )


@login_required
def pencatatan_create(request: HttpRequest, opd_pk: int, jenis: str) -> HttpResponse:
    opd = get_object_for_user(Opd.objects, request.user, pk=opd_pk)
    if not rules.can_record_in(request.user, opd):
        raise PermissionDenied
    jenis = JenisPencatatan(jenis)
    tahun = tahun_param(request)
    initial = {"paket_rup": request.GET.getlist("paket")}
    form = PencatatanForm(request.POST or None, opd=opd, jenis=jenis, tahun=tahun, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pencatatan = services.pencatatan_create(
                user=request.user,
                opd=opd,
                jenis=jenis,
                tahun_anggaran=tahun,
                data=form.service_data(),
                paket=list(form.cleaned_data["paket_rup"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Pencatatan tersimpan sebagai Draft. Tambahkan realisasinya di bawah."))
            return redirect(pencatatan)
    return render(
        request,
        "pengadaan/pencatatan_form.html",
        {"form": form, "opd": opd, "jenis": jenis, "tahun": tahun, "years": _year_choices(tahun)},
    )


def _year_choices(tahun: int) -> list[int]:
    this_year = timezone.localdate().year
    return sorted({this_year - 1, this_year, this_year + 1, tahun}, reverse=True)


def detail_context(request: HttpRequest, pencatatan: Pencatatan, realisasi_form=None) -> dict:
    user = request.user
    editable = rules.can_edit(user, pencatatan)
    return {
        "pencatatan": pencatatan,
        "realisasi": selectors.realisasi_of(pencatatan),
        "realisasi_form": realisasi_form or (RealisasiForm(pencatatan=pencatatan) if editable else None),
        "can_edit": editable,
        "can_delete": rules.can_delete(user, pencatatan),
        "transitions": [(s, Status(s).label) for s in rules.allowed_transitions(user, pencatatan)],
        "riwayat": selectors.pencatatan_history(pencatatan),
        "catatan_data": selectors.catatan_data_of(pencatatan),
        "sisa_pagu": pencatatan.pagu - pencatatan.total_realisasi,
        "persen_realisasi": (round(pencatatan.total_realisasi * 100 / pencatatan.pagu, 1) if pencatatan.pagu else None),
    }


@login_required
def pencatatan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pencatatan = selectors.pencatatan_detail(user=request.user, pk=pk)
    return render(request, "pengadaan/pencatatan_detail.html", detail_context(request, pencatatan))


@login_required
def pencatatan_update(request: HttpRequest, pk: int) -> HttpResponse:
    pencatatan = selectors.pencatatan_detail(user=request.user, pk=pk)
    if not rules.can_edit(request.user, pencatatan):
        raise PermissionDenied
    form = PencatatanForm(
        request.POST or None,
        instance=pencatatan,
        opd=pencatatan.opd,
        jenis=pencatatan.jenis,
        tahun=pencatatan.tahun_anggaran,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.pencatatan_update(
                user=request.user,
                pencatatan=pencatatan,
                versi=form.cleaned_data["versi"] or 0,
                data=form.service_data(),
                paket=list(form.cleaned_data["paket_rup"]),
            )
        except services.ConcurrentEditError as exc:
            conflict = exc
            # Keep what this person typed, but let a second, deliberate save go through.
            form.data = form.data.copy()
            form.data["versi"] = exc.current.versi
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Perubahan tersimpan."))
            return redirect(pencatatan)
    return render(
        request,
        "pengadaan/pencatatan_form.html",
        {
            "form": form,
            "opd": pencatatan.opd,
            "jenis": JenisPencatatan(pencatatan.jenis),
            "tahun": pencatatan.tahun_anggaran,
            "pencatatan": pencatatan,
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


@require_GET
@login_required
def pencatatan_selesai(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks before finishing a record: what was paid of its pagu, how many payments, and whether SPSE has it
    yet (ITKP counts SPSE's records, not ours). The answer is a POST to `pencatatan_status`; nothing is
    written here."""
    pencatatan = get_object_for_user(Pencatatan.objects.select_related("opd"), request.user, pk=pk)
    if not rules.can_transition(request.user, pencatatan, Status.SELESAI):
        raise PermissionDenied
    ringkasan = selectors.pencatatan_delete_summary(pencatatan)
    return render(
        request,
        "pengadaan/pencatatan_confirm_selesai.html",
        {
            "pencatatan": pencatatan,
            "ringkasan": ringkasan,
            "persen_dibayar": percent(ringkasan.total_realisasi, pencatatan.pagu),
            "sisa_pagu": pencatatan.pagu - ringkasan.total_realisasi,
        },
    )


@require_POST
@login_required
def pencatatan_status(request: HttpRequest, pk: int) -> HttpResponse:
    pencatatan = get_object_for_user(Pencatatan.objects.select_related("opd"), request.user, pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Permintaan perubahan status tidak sah."))
        return redirect(pencatatan)
    target = form.cleaned_data["status"]
    if not rules.can_transition(request.user, pencatatan, target):
        raise PermissionDenied
    try:
        services.pencatatan_set_status(
            user=request.user, pencatatan=pencatatan, status=target, alasan=form.cleaned_data["alasan"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Status menjadi %(status)s.") % {"status": Status(target).label})
    return redirect(pencatatan)


@require_http_methods(["GET", "POST"])
@login_required
def pencatatan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first, naming what goes with the draft (its payments and proof files); POST deletes."""
    pencatatan = get_object_for_user(Pencatatan.objects.select_related("opd"), request.user, pk=pk)
    if not rules.can_delete(request.user, pencatatan):
        raise PermissionDenied
    if request.method == "GET":
        return render(
            request,
            "pengadaan/pencatatan_confirm_delete.html",
            {"pencatatan": pencatatan, "ikut_terhapus": selectors.pencatatan_delete_summary(pencatatan)},
        )
    services.pencatatan_delete(user=request.user, pencatatan=pencatatan)
    messages.success(request, _("Draft “%(nama)s” dihapus.") % {"nama": pencatatan.nama_paket})
    return redirect("pencatatan_list")
