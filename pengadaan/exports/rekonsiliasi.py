"""The three lists of the reconciliation with SPSE (DESIGN §12) as files: one per list, LKPP's field names
where LKPP has one."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.utils import timezone

from pengadaan.exports.base import Column, export_response
from spse_tracker.formats import money_or_none

_COMMON = (
    Column("kd_satker", lambda p: p.opd.kd_satker),
    Column("nama_satker", lambda p: p.opd.nama_satker),
    Column("jenis_pencatatan", lambda p: p.get_jenis_display()),
    Column("kd_rup", lambda p: p.kd_rup),
    Column("nama_paket", lambda p: p.nama_paket),
    Column("pagu", lambda p: money_or_none(p.pagu)),
    Column("status", lambda p: p.get_status_display()),
    Column("tgl_buat_paket", lambda p: p.tgl_buat_paket),
)


def _umur(today: dt.date):
    return lambda p: (today - p.tgl_buat_paket).days


def columns(daftar: str) -> tuple[Column, ...]:
    if daftar == "belum_spse":
        return (*_COMMON, Column("umur_hari", _umur(timezone.localdate())))
    if daftar == "hanya_spse":
        return (*_COMMON, Column("kd_pencatatan_spse", lambda p: p.kd_pct))
    return (
        *_COMMON,
        Column("kd_pencatatan_spse", lambda p: p.kd_pct),
        Column(
            "perbedaan_aplikasi_vs_spse",
            lambda p: "; ".join(f"{d.kolom}: {d.aplikasi} / {d.spse}" for d in p.perbedaan),
        ),
    )


def rekonsiliasi_response(*, daftar: str, tahun: int, nama: str, rows, fmt: str) -> HttpResponse:
    return export_response(
        filename=f"rekonsiliasi-{daftar}-{nama}-{tahun}", columns=columns(daftar), rows=rows, fmt=fmt
    )
