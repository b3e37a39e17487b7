"""Dashboards (DESIGN §5–§7): the supervisor's view of every OPD and each OPD's own view."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from opd.access import get_object_for_user
from opd.models import Opd
from pengadaan import itkp, rules, selectors
from pengadaan.choices import TAHUN_WAJAR
from pengadaan.dashboards import ringkasan, tanda_bahaya
from pengadaan.dashboards import selectors as dashboards
from pengadaan.exports.dashboard import dashboard_response
from pengadaan.models import Pencatatan
from pengadaan.views.params import tahun_param, tahun_pilihan

SORTABLE = set(dashboards.COLUMNS)
TOP_FLAGS = 10
OVERDUE_RULE = 7  # DESIGN §7 rule 7: Berjalan long after the contract end
OPD_SHOWN = 25  # a large OPD has thousands of flags and packages: the page shows the first, the lists all
PERHATIAN_SHOWN = 5  # "Perlu perhatian": the few OPDs at the bottom of each measure
# What fits a 1366-px screen; the other §5 columns are one link away (?kolom=semua) and in the exports.
PRIMARY_COLUMNS = (
    "nama_satker",
    "rup_paket",
    "tercatat_paket",
    "rup_pagu",
    "persen_tercatat",
    "persen_tercatat_spse",
    "median_lag_hari",
    "persen_input_nov_des",
    "red_flags",
)


def _sorted(rows: list[dashboards.DashboardRow], column: str, descending: bool) -> list[dashboards.DashboardRow]:
    present = [r for r in rows if r.value(column) is not None]
    missing = [r for r in rows if r.value(column) is None]  # empty values always last
    return sorted(present, key=lambda r: r.value(column), reverse=descending) + missing


def _charts(numbers: dashboards.Dashboard, tahun: int) -> dict:
    return {
        "tabel": [(date_format(m, "M Y"), n) for m, n in numbers.entri],
        "bulan": [date_format(m, "M Y") for m, _n in numbers.entri],
        "entri": [n for _m, n in numbers.entri],
        "kurva_bulan": [f"{m:02d}/{tahun}" for m, _d, _t in numbers.kurva],
        "tercatat": [float(d) if d is not None else None for _m, d, _t in numbers.kurva],
        "target": [float(t) if t is not None else None for _m, _d, t in numbers.kurva],
    }


# A column first sorts the OPDs that need attention to the top (issue 14): the lowest completion, the
# longest lag, the most November–December input, the most flags; names and codes alphabetically.
NAIK_DULU = {"kd_satker", "nama_satker", "persen_tercatat", "persen_tercatat_spse"}


def _arah_awal(column: str) -> str:
    return "asc" if column in NAIK_DULU else "desc"


def _arah_klik(column: str, urut: str, arah: str) -> str:
    """Where a click on a column's header goes: its first direction, or the other one when it is the sort."""
    if column != urut:
        return _arah_awal(column)
    return "asc" if arah == "desc" else "desc"


def _columns(request: HttpRequest) -> tuple[bool, list[tuple[str, str]]]:
    """(all columns?, the (name, label) pairs shown): the primary ones unless ?kolom=semua."""
    semua = request.GET.get("kolom") == "semua"
    shown = dashboards.COLUMNS if semua else PRIMARY_COLUMNS
    return semua, [(name, dashboards.COLUMN_LABELS[name]) for name in shown]


@dataclass(frozen=True)
class Perhatian:
    """One "Perlu perhatian" list: the OPDs that do worst on one measure."""

    judul: str
    kolom: str
    rows: list[dashboards.DashboardRow]


def _perhatian(rows: list[dashboards.DashboardRow]) -> list[Perhatian]:
    """The lowest completion (in the app and in SPSE), the latest recording, the most open flags."""

    def worst(column: str, *, lowest: bool) -> list[dashboards.DashboardRow]:
        present = [r for r in rows if r.value(column) is not None and (lowest or r.value(column) > 0)]
        ordered = sorted(present, key=lambda r: (r.value(column) if lowest else -r.value(column), str(r.opd)))
        return ordered[:PERHATIAN_SHOWN]

    return [
        Perhatian(_("Persen tercatat terendah"), "persen_tercatat", worst("persen_tercatat", lowest=True)),
        Perhatian(_("Tercatat di SPSE terendah"), "persen_tercatat_spse", worst("persen_tercatat_spse", lowest=True)),
        Perhatian(_("Pencatatan paling lambat"), "median_lag_hari", worst("median_lag_hari", lowest=False)),
        Perhatian(_("Tanda bahaya terbanyak"), "red_flags", worst("red_flags", lowest=False)),
    ]


def _flag_url(flag: tanda_bahaya.Flag, tahun: int) -> str:
    """A flag on one record links to that record; any other to the list filtered to its rule and OPD."""
    if len(flag.pencatatan_ids) == 1:
        return reverse("pencatatan_detail", args=[flag.pencatatan_ids[0]])
    query = urlencode({"tahun": tahun, "opd": flag.opd_id, "rule": flag.rule})
    return f"{reverse('tanda_bahaya_list')}?{query}"


def _kunci_tabel(numbers: dashboards.Dashboard, tahun: int, *view: object) -> str:
    """The cache key of the rendered "Perlu perhatian" lists and per-OPD table: the versions of the
    summaries their numbers come from (`ringkasan.generation_key`: a write or a recompute makes a new
    key), what is read on every request beside them (each OPD's names, its open flag count: reviews do
    not raise the generasi), the language, and `view` (the sort, the columns shown)."""
    opds = tuple((r.opd.pk, r.opd.nama_satker, r.opd.singkatan, r.opd.kd_satker, r.red_flags) for r in numbers.rows)
    extra = (get_language(), opds, numbers.kota.red_flags, *view)
    return ringkasan.generation_key("html-dasbor", tahun=tahun, generasi=numbers.generasi, extra=extra)


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
    arah = request.GET.get("arah") if request.GET.get("arah") in ("asc", "desc") else _arah_awal(urut)
    by_opd = {row.opd.pk: row.opd for row in rows}
    top = ringkasan.stored_flags(tahun=tahun, opd_ids=list(by_opd)).order_by("urutan", "id")[:TOP_FLAGS]
    flags = [ringkasan.as_flag(flag) for flag in top]
    semua, kolom = _columns(request)
    context = {
        "tahun": tahun,
        "years": tahun_pilihan(user, tahun),
        "rows": _sorted(rows, urut, arah == "desc"),
        "kota": kota,
        "urut": urut,
        "arah": arah,
        "grafik": _charts(numbers, tahun),
        "proyeksi": itkp.proyeksi_itkp(tahun=tahun, persen_tercatat_spse=kota.persen_tercatat_spse),
        "flags": [(f, by_opd.get(f.opd_id), _flag_url(f, tahun)) for f in flags],
        "jumlah_flags": kota.red_flags,
        "kolom": kolom,
        "kepala": [(name, label, _arah_klik(name, urut, arah)) for name, label in kolom],
        "label": dashboards.COLUMN_LABELS,
        "kolom_semua": semua,
        "perhatian": _perhatian(rows),
        "ada_rup": kota.rup_paket > 0,
        "basi_sejak": numbers.basi_sejak,
        "kunci_tabel": _kunci_tabel(numbers, tahun, urut, arah, semua),
        "cache_detik": ringkasan.CACHE_SECONDS,
    }
    return render(request, "pengadaan/dashboard.html", context)


LINKS_SHOWN = 10  # a possible package split can name hundreds of records


@dataclass(frozen=True)
class FlagRow:
    flag: tanda_bahaya.Flag
    links: list[tuple[str, str]]  # (package name, the record's URL)
    lainnya: int  # records not linked


def _with_links(user, *groups) -> list[list[FlagRow]]:
    """Each group of stored flags with links to their first records, named by package: the names of
    every group in one query, the URL pattern reversed once, not per record."""
    groups = [list(stored) for stored in groups]
    flags = [[ringkasan.as_flag(item) for item in stored] for stored in groups]
    wanted = {pk for group in flags for flag in group for pk in flag.pencatatan_ids[:LINKS_SHOWN]}
    names = dict(Pencatatan.objects.visible_to(user).filter(pk__in=wanted).values_list("pk", "nama_paket"))
    pattern = reverse("pencatatan_detail", args=[0])[:-2]  # ".../pencatatan/0/" without "0/"
    return [
        [
            FlagRow(
                flag=flag,
                links=[(names.get(pk) or f"#{pk}", f"{pattern}{pk}/") for pk in flag.pencatatan_ids[:LINKS_SHOWN]],
                lainnya=max(len(flag.pencatatan_ids) - LINKS_SHOWN, 0),
            )
            for flag in group
        ]
        for group in flags
    ]


@login_required
def opd_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """One OPD's dashboard: its own people and every supervisor; other OPDs answer 404."""
    opd = get_object_for_user(Opd.objects, request.user, pk=pk)
    tahun = tahun_param(request)
    numbers = dashboards.dashboard(tahun=tahun, user=request.user, opd_ids=[opd.pk])
    row = numbers.rows[0]
    flags = ringkasan.stored_flags(tahun=tahun, opd_ids=[opd.pk]).order_by("urutan", "id")
    terlambat, lainnya = _with_links(
        request.user, flags.filter(rule=OVERDUE_RULE)[:OPD_SHOWN], flags.exclude(rule=OVERDUE_RULE)[:OPD_SHOWN]
    )
    context = {
        "opd": opd,
        "tahun": tahun,
        "years": tahun_pilihan(request.user, tahun),
        "row": row,
        "belum": dashboards.rup_belum_dicatat_pertama(
            tahun=tahun, user=request.user, opd_id=opd.pk, limit=OPD_SHOWN, generasi=numbers.generasi
        ),
        "jumlah_belum": row.rup_paket - row.tercatat_paket,
        "terlambat": terlambat,
        "flags": lainnya,
        "jumlah_flags": row.red_flags,
        "catatan": selectors.catatan_data_opd(opd=opd, tahun=tahun),
        "grafik": _charts(numbers, tahun),
        "kolom": [(name, label) for name, label in dashboards.COLUMN_LABELS.items() if name != "kd_satker"],
        "shown": OPD_SHOWN,
        "basi_sejak": numbers.basi_sejak,
    }
    return render(request, "pengadaan/opd_dashboard.html", context)


@login_required
def ringkasan_status(request: HttpRequest) -> HttpResponse:
    """GET ?tahun=&opd=: whether the stored numbers a page shows out of date are current yet; the
    fragment `status_ringkasan.html` asks every few seconds while they are not. Once they are, the
    answer carries `HX-Refresh: true` and htmx reloads the page with them. Without `opd`, every OPD
    the person may see; another OPD than theirs is 404 for an OPD role (`get_object_for_user`).
    Asks the worker again when they are still out of date (`ringkasan.request_refresh`: at most once
    a minute per year)."""
    user = request.user
    tahun = tahun_param(request, within=TAHUN_WAJAR)
    opd = request.GET.get("opd")
    if opd:
        if not (opd.isascii() and opd.isdigit()):
            raise Http404
        opd_ids = [get_object_for_user(Opd.objects, user, pk=int(opd)).pk]
    else:
        opd_ids = list(Opd.objects.visible_to(user).values_list("pk", flat=True))
    probed = ringkasan.probe(tahun=tahun, opd_ids=opd_ids)
    if probed.shown:
        ringkasan.request_refresh(tahun=tahun)
    context = {"tahun": tahun, "status_opd": opd_ids[0] if opd else None, "basi_sejak": probed.since}
    context["segar"] = not probed.shown  # what is missing now (a new OPD) the page computes when it reloads
    response = render(request, "pengadaan/partials/status_ringkasan.html", context)
    if context["segar"]:
        response["HX-Refresh"] = "true"
    return response
