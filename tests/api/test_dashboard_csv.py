"""/api/v1/dashboard gives the numbers of the §5 CSV export (`/dashboard/?tahun=T&_export=csv`), cell by cell."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from pengadaan.dashboards import ringkasan
from pengadaan.models import Status
from tests.api.conftest import api_get, token_of
from tests.conftest import client_for
from tests.factories import PaketRupFactory, PencatatanFactory, RealisasiFactory

TAHUN = 2026


def _csv_rows(user) -> list[dict[str, str]]:
    response = client_for(user).get("/dashboard/", {"tahun": TAHUN, "_export": "csv"})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _as_csv(value) -> str:
    """A JSON value as the CSV writes the same number: empty for null, plain digits otherwise."""
    return "" if value is None else str(value)


def test_dashboard_numbers_equal_the_csv_export(pengawas, opd_a, opd_b):
    paket_a = [PaketRupFactory(opd=opd_a, pagu=Decimal("30000000.00")) for _ in range(3)]
    PaketRupFactory(opd=opd_b, pagu=Decimal("10000000.00"))
    selesai = PencatatanFactory(
        opd=opd_a, paket=[paket_a[0]], status=Status.SELESAI, pagu=Decimal("30000000.00"), kd_nontender_pct=501
    )
    RealisasiFactory(
        pencatatan=selesai,
        nilai_realisasi=Decimal("12345678.91"),
        tgl_realisasi=dt.date(TAHUN, 3, 1),
        tgl_dicatat=dt.date(TAHUN, 11, 4),
    )
    RealisasiFactory(pencatatan=selesai, nilai_realisasi=Decimal("100.09"), tgl_realisasi=dt.date(TAHUN, 3, 5))
    PencatatanFactory(opd=opd_a, paket=[paket_a[1]], status=Status.DRAFT, pagu=Decimal("30000000.00"))
    PencatatanFactory(opd=opd_b, status=Status.BATAL, alasan_pembatalan="ganda")

    api = api_get(token_of(pengawas), "/api/v1/dashboard", tahun=TAHUN).json()
    exported = _csv_rows(pengawas)

    assert api["kolom"] == list(exported[0])
    from_api = [*api["baris"], api["kota"]]
    assert [[_as_csv(row[c]) for c in api["kolom"]] for row in from_api] == [
        [row[c] for c in api["kolom"]] for row in exported
    ]
    # and worked out by hand for OPD A: 3 packages of Rp30 juta, 2 linked by active records, 1 of them in SPSE
    row_a = next(r for r in api["baris"] if r["kd_satker"] == opd_a.kd_satker)
    assert (row_a["rup_paket"], row_a["rup_pagu"]) == (3, "90000000.00")
    assert (row_a["tercatat_paket"], row_a["tercatat_pagu"], row_a["persen_tercatat"]) == (2, "60000000.00", "66.67")
    assert (row_a["tercatat_spse_paket"], row_a["persen_tercatat_spse"]) == (1, "33.33")
    assert (row_a["pencatatan_aktif"], row_a["pencatatan_selesai"], row_a["pencatatan_draft"]) == (2, 1, 1)
    assert row_a["realisasi_nilai"] == "12345779.00"  # 12,345,678.91 + 100.09
    # lags: 1 March → 4 November is 248 days, 5 March → 12 May (the factory's tgl_dicatat) 68; one in November
    assert (row_a["median_lag_hari"], row_a["persen_input_nov_des"]) == ("158.0", "50.00")
    row_b = next(r for r in api["baris"] if r["kd_satker"] == opd_b.kd_satker)
    # B: its own package and the Batal record's, none recorded by an active record
    assert (row_b["rup_paket"], row_b["tercatat_paket"], row_b["pencatatan_aktif"]) == (2, 0, 0)


def test_an_opd_role_gets_its_own_row_only(operator_a, opd_a, opd_b):
    PaketRupFactory(opd=opd_b)
    api = api_get(token_of(operator_a), "/api/v1/dashboard", tahun=TAHUN).json()
    assert [row["kd_satker"] for row in api["baris"]] == [opd_a.kd_satker]
    assert api["kota"] is None


def test_out_of_date_numbers_say_so_like_the_page(pengawas, opd_a):
    """Issue 16: the API answers from the stored numbers at once, and says when a write made them out of date
    (the page's "sedang diperbarui"); after the worker ran, the new numbers and no mark."""
    paket = PaketRupFactory(opd=opd_a, tahun_anggaran=2026, pagu=Decimal("40000000"))
    PencatatanFactory(opd=opd_a, tahun_anggaran=2026, paket=[paket], pagu=Decimal("10000000"))
    token = token_of(pengawas)
    first = api_get(token, "/api/v1/dashboard", tahun=2026).json()
    assert (first["sedang_diperbarui"], first["angka_per"], first["kota"]["tercatat_pagu"]) == (
        False,
        None,
        "40000000.00",
    )
    PencatatanFactory(opd=opd_a, tahun_anggaran=2026, pagu=Decimal("5000000"))  # with its own 5-juta package
    stale = api_get(token, "/api/v1/dashboard", tahun=2026).json()
    assert (stale["sedang_diperbarui"], stale["kota"]["tercatat_pagu"]) == (True, "40000000.00")
    assert stale["angka_per"] is not None
    ringkasan.segarkan_ringkasan.call(tahun=2026)  # what the worker runs
    fresh = api_get(token, "/api/v1/dashboard", tahun=2026).json()
    assert (fresh["sedang_diperbarui"], fresh["angka_per"], fresh["kota"]["tercatat_pagu"]) == (
        False,
        None,
        "45000000.00",
    )
