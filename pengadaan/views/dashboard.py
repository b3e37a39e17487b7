"""Dashboards (DESIGN §5–§7): the supervisor's view of every OPD and each OPD's own view."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from opd.access import get_object_for_user
from opd.models import Opd
from pengadaan import itkp, metrics, redflags, selectors
from pengadaan.exports import Column, export_response

SORTABLE = set(metrics.COLUMNS)
TOP_FLAGS = 10
# Which flags a supervisor should see first: possible fraud and money errors before lateness.
FLAG_PRIORITY = {1: 0, 2: 1, 3: 2, 6: 3, 8: 4, 9: 5, 5: 6, 7: 7, 4: 8}
OVERDUE_RULE = 7  # DESIGN §7 rule 7: Berjalan long after the contract end
OPD_FLAGS_SHOWN = 50


def _tahun(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("tahun", ""))
    except ValueError:
        return timezone.localdate().year


def _years(user, tahun: int) -> list[int]:
    return sorted({*selectors.years_of(user=user), tahun, timezone.localdate().year}, reverse=True)


def _sorted(rows: list[metrics.Baris], column: str, descending: bool) -> list[metrics.Baris]:
    present = [r for r in rows if r.value(column) is not None]
    missing = [r for r in rows if r.value(column) is None]  # empty values always last
    return sorted(present, key=lambda r: r.value(column), reverse=descending) + missing


def _charts(*, tahun: int, user, opd_id: int | None = None) -> dict:
    entries = metrics.entri_per_bulan(tahun=tahun, user=user, opd_id=opd_id)
    curve = metrics.kurva_tercatat(tahun=tahun, user=user, opd_id=opd_id)
    return {
        "tabel": [(m.strftime("%m/%Y"), n) for m, n in entries],
        "bulan": [m.strftime("%m/%Y") for m, _n in entries],
        "entri": [n for _m, n in entries],
        "kurva_bulan": [f"{m:02d}/{tahun}" for m, _d, _t in curve],
        "tercatat": [float(d) if d is not None else None for _m, d, _t in curve],
        "target": [float(t) if t is not None else None for _m, _d, t in curve],
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The supervisor dashboard (pengawas, admin); an OPD's people are sent to their own."""
    user = request.user
    if not user.sees_all_opd:
        if user.opd_id:
            return redirect("opd_dashboard", pk=user.opd_id)
        raise PermissionDenied
    tahun = _tahun(request)
    flags = redflags.open_flags(tahun=tahun, user=user)
    rows, kota = metrics.tabel(tahun=tahun, user=user, red_flags=Counter(flag.opd_id for flag in flags))
    export = request.GET.get("_export")
    if export in ("csv", "xlsx"):
        columns = [Column(name, lambda row, name=name: row.value(name)) for name in metrics.COLUMNS]
        return export_response(filename=f"dasbor-pencatatan-{tahun}", columns=columns, rows=[*rows, kota], fmt=export)
    urut = request.GET.get("urut", "persen_tercatat")
    urut = urut if urut in SORTABLE else "persen_tercatat"
    arah = "asc" if request.GET.get("arah") == "asc" else "desc"
    by_opd = {row.opd.pk: row.opd for row in rows}
    context = {
        "tahun": tahun,
        "years": _years(user, tahun),
        "rows": _sorted(rows, urut, arah == "desc"),
        "kota": kota,
        "urut": urut,
        "arah": arah,
        "grafik": _charts(tahun=tahun, user=user),
        "proyeksi": itkp.proyeksi_itkp(tahun=tahun, persen_tercatat=kota.persen_tercatat),
        "flags": [
            (flag, by_opd.get(flag.opd_id))
            for flag in sorted(flags, key=lambda f: FLAG_PRIORITY.get(f.rule, 9))[:TOP_FLAGS]
        ],
        "jumlah_flags": len(flags),
        "kolom": list(metrics.COLUMN_LABELS.items()),
    }
    return render(request, "pengadaan/dashboard.html", context)


@login_required
def opd_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """One OPD's dashboard: its own people and every supervisor; other OPDs answer 404."""
    opd = get_object_for_user(Opd.objects, request.user, pk=pk)
    tahun = _tahun(request)
    flags = redflags.open_flags(tahun=tahun, user=request.user, opd_id=opd.pk)
    rows, _kota = metrics.tabel(tahun=tahun, user=request.user, opd_ids=[opd.pk], red_flags={opd.pk: len(flags)})
    context = {
        "opd": opd,
        "tahun": tahun,
        "years": _years(request.user, tahun),
        "row": rows[0],
        "belum": list(metrics.rup_belum_dicatat(tahun=tahun, user=request.user, opd_id=opd.pk)),
        # a large OPD can have tens of thousands of flags: the page shows the first ones, the red flag list all
        "terlambat": [f for f in flags if f.rule == OVERDUE_RULE][:OPD_FLAGS_SHOWN],
        "flags": sorted((f for f in flags if f.rule != OVERDUE_RULE), key=lambda f: FLAG_PRIORITY.get(f.rule, 9))[
            :OPD_FLAGS_SHOWN
        ],
        "jumlah_flags": len(flags),
        "grafik": _charts(tahun=tahun, user=request.user, opd_id=opd.pk),
        "kolom": list(metrics.COLUMN_LABELS.items()),
    }
    return render(request, "pengadaan/opd_dashboard.html", context)
