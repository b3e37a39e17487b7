"""Dashboards (DESIGN §5–§7): the supervisor's view of every OPD and each OPD's own view."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from opd.access import get_object_for_user
from opd.models import Opd
from pengadaan import itkp, rules, selectors
from pengadaan.dashboards import ringkasan, tanda_bahaya
from pengadaan.dashboards import selectors as dashboards
from pengadaan.exports.dashboard import dashboard_response
from pengadaan.views.params import tahun_param

SORTABLE = set(dashboards.COLUMNS)
TOP_FLAGS = 10
OVERDUE_RULE = 7  # DESIGN §7 rule 7: Berjalan long after the contract end
OPD_SHOWN = 25  # a large OPD has thousands of flags and packages: the page shows the first, the lists all


def _years(user, tahun: int) -> list[int]:
    return sorted({*selectors.years_of(user=user), tahun, timezone.localdate().year}, reverse=True)


def _sorted(rows: list[dashboards.DashboardRow], column: str, descending: bool) -> list[dashboards.DashboardRow]:
    present = [r for r in rows if r.value(column) is not None]
    missing = [r for r in rows if r.value(column) is None]  # empty values always last
    return sorted(present, key=lambda r: r.value(column), reverse=descending) + missing


def _charts(numbers: dashboards.Dashboard, tahun: int) -> dict:
    return {
        "tabel": [(m.strftime("%m/%Y"), n) for m, n in numbers.entri],
        "bulan": [m.strftime("%m/%Y") for m, _n in numbers.entri],
        "entri": [n for _m, n in numbers.entri],
        "kurva_bulan": [f"{m:02d}/{tahun}" for m, _d, _t in numbers.kurva],
        "tercatat": [float(d) if d is not None else None for _m, d, _t in numbers.kurva],
        "target": [float(t) if t is not None else None for _m, _d, t in numbers.kurva],
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The supervisor dashboard (pengawas, admin); an OPD's people are sent to their own."""
    user = request.user
    if not rules.can_see_all_opd(user):
        if user.opd_id:  # to their own, for the year they asked for
            tahun = tahun_param(request, default=None)
            own = reverse("opd_dashboard", args=[user.opd_id])
            return redirect(own if tahun is None else f"{own}?tahun={tahun}")
        raise PermissionDenied
    tahun = tahun_param(request)
    numbers = dashboards.dashboard(tahun=tahun, user=user)
    rows, kota = numbers.rows, numbers.kota
    export = request.GET.get("_export")
    if export in ("csv", "xlsx"):
        return dashboard_response(tahun=tahun, rows=rows, kota=kota, fmt=export)
    urut = request.GET.get("urut", "persen_tercatat")
    urut = urut if urut in SORTABLE else "persen_tercatat"
    arah = "asc" if request.GET.get("arah") == "asc" else "desc"
    by_opd = {row.opd.pk: row.opd for row in rows}
    top = ringkasan.stored_flags(tahun=tahun, opd_ids=list(by_opd)).order_by("urutan", "id")[:TOP_FLAGS]
    context = {
        "tahun": tahun,
        "years": _years(user, tahun),
        "rows": _sorted(rows, urut, arah == "desc"),
        "kota": kota,
        "urut": urut,
        "arah": arah,
        "grafik": _charts(numbers, tahun),
        "proyeksi": itkp.proyeksi_itkp(tahun=tahun, persen_tercatat_spse=kota.persen_tercatat_spse),
        "flags": [(ringkasan.as_flag(flag), by_opd.get(flag.opd_id)) for flag in top],
        "jumlah_flags": kota.red_flags,
        "kolom": list(dashboards.COLUMN_LABELS.items()),
    }
    return render(request, "pengadaan/dashboard.html", context)


LINKS_SHOWN = 10  # a possible package split can name hundreds of records


@dataclass(frozen=True)
class FlagRow:
    flag: tanda_bahaya.Flag
    links: list[tuple[int, str]]  # (record pk, its URL)
    lainnya: int  # records not linked


def _with_links(stored) -> list[FlagRow]:
    """Flags with links to their first records; the URL pattern is reversed once, not per record."""
    pattern = reverse("pencatatan_detail", args=[0])[:-2]  # ".../pencatatan/0/" without "0/"
    rows = []
    for item in stored:
        flag = ringkasan.as_flag(item)
        ids = flag.pencatatan_ids
        links = [(pk, f"{pattern}{pk}/") for pk in ids[:LINKS_SHOWN]]
        rows.append(FlagRow(flag=flag, links=links, lainnya=max(len(ids) - LINKS_SHOWN, 0)))
    return rows


@login_required
def opd_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """One OPD's dashboard: its own people and every supervisor; other OPDs answer 404."""
    opd = get_object_for_user(Opd.objects, request.user, pk=pk)
    tahun = tahun_param(request)
    numbers = dashboards.dashboard(tahun=tahun, user=request.user, opd_ids=[opd.pk])
    row = numbers.rows[0]
    flags = ringkasan.stored_flags(tahun=tahun, opd_ids=[opd.pk]).order_by("urutan", "id")
    context = {
        "opd": opd,
        "tahun": tahun,
        "years": _years(request.user, tahun),
        "row": row,
        "belum": dashboards.rup_belum_dicatat_pertama(
            tahun=tahun, user=request.user, opd_id=opd.pk, limit=OPD_SHOWN, generasi=numbers.generasi
        ),
        "jumlah_belum": row.rup_paket - row.tercatat_paket,
        "terlambat": _with_links(flags.filter(rule=OVERDUE_RULE)[:OPD_SHOWN]),
        "flags": _with_links(flags.exclude(rule=OVERDUE_RULE)[:OPD_SHOWN]),
        "jumlah_flags": row.red_flags,
        "catatan": selectors.catatan_data_opd(opd=opd, tahun=tahun),
        "grafik": _charts(numbers, tahun),
        "kolom": list(dashboards.COLUMN_LABELS.items()),
        "shown": OPD_SHOWN,
    }
    return render(request, "pengadaan/opd_dashboard.html", context)
