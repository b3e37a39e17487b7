"""The §5 table as a file (DESIGN §5, §11 `/dashboard/?tahun=T&_export=csv|xlsx`): exactly its columns,
in its order, one row per OPD and the city's row last."""

from __future__ import annotations

from django.http import HttpResponse

from pengadaan.dashboards.selectors import COLUMNS, DashboardRow
from pengadaan.exports.base import Column, export_response

DASHBOARD_COLUMNS = tuple(Column(name, lambda row, name=name: row.value(name)) for name in COLUMNS)


def dashboard_response(*, tahun: int, rows: list[DashboardRow], kota: DashboardRow, fmt: str) -> HttpResponse:
    return export_response(
        filename=f"dasbor-pencatatan-{tahun}", columns=DASHBOARD_COLUMNS, rows=[*rows, kota], fmt=fmt
    )
