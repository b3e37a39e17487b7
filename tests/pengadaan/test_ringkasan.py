"""Stored dashboard numbers (pengadaan.dashboards.ringkasan): read when current, recomputed by the worker.

Every kind of write — services, the admin's plain saves, deletes, bulk imports, a supplier's NPWP —
must make its summary out of date, so that the worker's next run (`segarkan_ringkasan`, which
recomputes only what is out of date) shows the new numbers; a day change too. New thresholds or
summary format are applied by the reader at once. Reads of out-of-date summaries: test_basi.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from pengadaan import services
from pengadaan.dashboards import compute, ringkasan, tanda_bahaya
from pengadaan.dashboards import selectors as dashboards
from pengadaan.imports import pipeline
from pengadaan.models import PaketRup, RingkasanOpd, Status
from tests.factories import OpdFactory, PaketRupFactory, PencatatanFactory, PenyediaFactory, RealisasiFactory
from tests.pengadaan.test_imports import NT_HEADER, nt_row, xlsx

TAHUN = 2026
JUTA = Decimal("1000000")


def shown_row(user, opd, tahun=TAHUN) -> dashboards.DashboardRow:
    """The row a page shows now."""
    rows, _kota = dashboards.tabel(tahun=tahun, user=user, opd_ids=[opd.pk])
    return rows[0]


def row_of(user, opd, tahun=TAHUN) -> dashboards.DashboardRow:
    """The row a page shows once the worker has run, as it does after every write (it recomputes only the
    summaries that writes made out of date: a write that did not mark its summary leaves the old numbers)."""
    ringkasan.segarkan_ringkasan.call()
    return shown_row(user, opd, tahun)


def summary(opd, tahun=TAHUN) -> RingkasanOpd:
    return RingkasanOpd.objects.get(opd=opd, tahun=tahun)


def test_a_current_summary_is_read_not_recomputed(pengawas, opd_a, django_assert_num_queries):
    PencatatanFactory(opd=opd_a, pagu=10 * JUTA)
    first = row_of(pengawas, opd_a)
    computed_at = summary(opd_a).dihitung_pada
    with django_assert_num_queries(3):  # OPDs, the stored summary, reviewed flags
        again = shown_row(pengawas, opd_a)
    assert (first.pencatatan_aktif, again.pencatatan_aktif) == (1, 1)
    assert summary(opd_a).dihitung_pada == computed_at


def test_service_writes_make_the_next_read_current(ppk_a, opd_a):
    paket = PaketRupFactory(opd=opd_a, tahun_anggaran=TAHUN, pagu=40 * JUTA)
    assert row_of(ppk_a, opd_a).tercatat_paket == 0

    record = services.pencatatan_create(
        user=ppk_a,
        opd=opd_a,
        jenis="non_tender",
        tahun_anggaran=TAHUN,
        data={"nama_paket": "Belanja ATK", "mtd_pemilihan": "Pengadaan Langsung", "kategori_pengadaan": "Barang"},
        paket=[paket],
    )
    row = row_of(ppk_a, opd_a)
    assert (row.tercatat_paket, row.tercatat_pagu, row.pencatatan_draft) == (1, 40 * JUTA, 1)

    services.pencatatan_set_status(user=ppk_a, pencatatan=record, status=Status.BERJALAN)
    services.realisasi_add(
        user=ppk_a,
        pencatatan=record,
        data={
            "no_realisasi": "KW-1",
            "tgl_realisasi": dt.date(2026, 3, 1),
            "nilai_realisasi": 15 * JUTA,
            "jenis_realisasi": "kuitansi",
        },
        nama_penyedia="CV Uji",
    )
    row = row_of(ppk_a, opd_a)
    assert (row.pencatatan_draft, row.realisasi_nilai, row.jumlah_realisasi) == (0, 15 * JUTA, 1)

    services.pencatatan_set_status(user=ppk_a, pencatatan=record, status=Status.BATAL, alasan="Dobel input")
    row = row_of(ppk_a, opd_a)
    assert (row.pencatatan_aktif, row.tercatat_paket, row.realisasi_nilai) == (0, 0, Decimal("0"))


def test_plain_saves_and_deletes_count_too(pengawas, opd_a, opd_b):
    """What the Django admin does: save() and delete() on any of the models, no service involved."""
    record = PencatatanFactory(opd=opd_a, pagu=10 * JUTA)
    payment = RealisasiFactory(pencatatan=record, nilai_realisasi=2 * JUTA)
    assert row_of(pengawas, opd_a).realisasi_nilai == 2 * JUTA

    payment.nilai_realisasi = 3 * JUTA
    payment.save()
    assert row_of(pengawas, opd_a).realisasi_nilai == 3 * JUTA

    payment.delete()
    assert row_of(pengawas, opd_a).jumlah_realisasi == 0

    record.opd = opd_b  # moved to another OPD: both OPDs change
    record.save()
    assert (row_of(pengawas, opd_a).pencatatan_aktif, row_of(pengawas, opd_b).pencatatan_aktif) == (0, 1)

    record.tahun_anggaran = 2025  # and to another year
    record.save()
    assert (row_of(pengawas, opd_b).pencatatan_aktif, row_of(pengawas, opd_b, 2025).pencatatan_aktif) == (0, 1)

    before = row_of(pengawas, opd_a)  # the record's own RUP package stayed in opd_a
    paket = PaketRupFactory(opd=opd_a, tahun_anggaran=TAHUN, pagu=7 * JUTA)
    assert row_of(pengawas, opd_a).rup_pagu == before.rup_pagu + 7 * JUTA
    PaketRup.objects.get(pk=paket.pk).delete()
    assert row_of(pengawas, opd_a).rup_paket == before.rup_paket


def test_an_npwp_change_reaches_the_flags(pengawas, opd_a):
    supplier = PenyediaFactory(npwp="012345678901234")
    for pagu in (150 * JUTA, 60 * JUTA):  # two PL records, one supplier, together above Rp200 juta
        RealisasiFactory(pencatatan=PencatatanFactory(opd=opd_a, pagu=pagu), nilai_realisasi=JUTA, penyedia=supplier)
    assert row_of(pengawas, opd_a).red_flags == 1  # rule 1
    supplier.npwp = None  # rule 1 ignores suppliers without an NPWP
    supplier.save()
    assert row_of(pengawas, opd_a).red_flags == 0


def test_an_import_makes_its_years_current(pengawas, db):
    opd = OpdFactory(kd_satker="60412", kd_satker_str="4.01.0.00.0.00.24.0000", kd_satker_spse=None)
    assert row_of(pengawas, opd, 2024).pencatatan_aktif == 0
    outcome = pipeline.run("nontender", xlsx(NT_HEADER, [nt_row(opd)]), "nt.xlsx")
    assert outcome.written
    assert row_of(pengawas, opd, 2024).pencatatan_aktif == 1


def test_a_dry_run_import_changes_nothing(pengawas, db):
    opd = OpdFactory(kd_satker="60412", kd_satker_str="4.01.0.00.0.00.24.0000", kd_satker_spse=None)
    row_of(pengawas, opd, 2024)
    before = summary(opd, 2024).generasi
    pipeline.run("nontender", xlsx(NT_HEADER, [nt_row(opd)]), "nt.xlsx", dry_run=True)
    assert summary(opd, 2024).generasi == before


def test_a_new_day_recounts_rule_7(pengawas, opd_a, settings):
    PencatatanFactory(opd=opd_a, status=Status.BERJALAN, tgl_selesai_paket=dt.date(2026, 1, 31))
    row_of(pengawas, opd_a)
    RingkasanOpd.objects.filter(opd=opd_a).update(dihitung_tanggal=dt.date(2020, 1, 1))
    row_of(pengawas, opd_a)
    assert summary(opd_a).dihitung_tanggal != dt.date(2020, 1, 1)


def test_new_thresholds_are_applied_at_once(pengawas, opd_a, settings):
    PencatatanFactory(opd=opd_a, pagu=150 * JUTA)  # a PL under the Rp200 juta ceiling
    assert row_of(pengawas, opd_a).red_flags == 0
    settings.REDFLAG_BATAS_PL_BARANG = 100_000_000
    assert shown_row(pengawas, opd_a).red_flags == 1  # rule 2 with the lower ceiling, by the reader itself


def old_format_summary(opd) -> None:
    """Make the stored summary of `opd` look as one stored before tercatat_spse_* (summary format 1):
    its data without them, its sidik the hash of the thresholds alone, as it was then."""
    stored = summary(opd)
    for key in ("tercatat_spse_paket", "tercatat_spse_pagu"):
        del stored.data[key]
    stored.sidik = hashlib.sha256(json.dumps(tanda_bahaya.thresholds(), sort_keys=True).encode()).hexdigest()
    stored.save(update_fields=["data", "sidik"])


def test_a_summary_stored_before_the_spse_columns_is_recomputed_by_its_reader(pengawas, opd_a):
    paket = PaketRupFactory(opd=opd_a, tahun_anggaran=TAHUN, pagu=40 * JUTA)
    PencatatanFactory(opd=opd_a, tahun_anggaran=TAHUN, paket=[paket], pagu=40 * JUTA, kd_nontender_pct=5550001)
    row_of(pengawas, opd_a)
    old_format_summary(opd_a)
    row = shown_row(pengawas, opd_a)  # no worker ran: the reader computes what it cannot show
    assert (row.tercatat_spse_paket, row.tercatat_spse_pagu, row.persen_tercatat_spse) == (
        1,
        Decimal("40000000.00"),
        Decimal("100.00"),
    )
    assert summary(opd_a).data["tercatat_spse_pagu"] == "40000000.00"


def test_a_summary_stored_before_the_spse_columns_is_recomputed_by_the_worker(pengawas, opd_a):
    PencatatanFactory(opd=opd_a)
    row_of(pengawas, opd_a)
    old_format_summary(opd_a)
    assert ringkasan.refresh_stale() == 1
    assert summary(opd_a).data["tercatat_spse_paket"] == 0


def test_a_write_during_a_refresh_leaves_the_summary_out_of_date(pengawas, opd_a, monkeypatch):
    """A write that commits while the worker computes: the stored numbers are one generation behind,
    and the next run computes again and sees the write."""
    PencatatanFactory(opd=opd_a)
    hitung = compute.hitung

    def hitung_while_someone_writes(**kwargs):
        numbers = hitung(**kwargs)
        PencatatanFactory(opd=opd_a)  # committed after the numbers were read
        return numbers

    monkeypatch.setattr(compute, "hitung", hitung_while_someone_writes)
    assert row_of(pengawas, opd_a).pencatatan_aktif == 1
    monkeypatch.setattr(compute, "hitung", hitung)
    stored = summary(opd_a)
    assert stored.data_generasi < stored.generasi
    assert row_of(pengawas, opd_a).pencatatan_aktif == 2


def test_refresh_stale_and_the_command(pengawas, opd_a, opd_b):
    PencatatanFactory(opd=opd_a)
    row_of(pengawas, opd_a)
    PencatatanFactory(opd=opd_a)  # out of date again
    assert ringkasan.refresh_stale() == 1
    assert summary(opd_a).data["pencatatan_aktif"] == 2
    assert ringkasan.refresh_stale() == 0

    out = io.StringIO()
    call_command("segarkan_ringkasan", "--tahun", str(TAHUN), stdout=out)
    assert "1 ringkasan OPD-tahun dihitung ulang" in out.getvalue()  # opd_b had none yet
    assert summary(opd_b).data["pencatatan_aktif"] == 0


def test_stored_flags_are_written_in_the_readers_language(pengawas, opd_a):
    PencatatanFactory(opd=opd_a, status=Status.SELESAI, pagu=24 * JUTA)
    row_of(pengawas, opd_a)
    stored = ringkasan.stored_flags(tahun=TAHUN, opd_ids=[opd_a.pk]).get()
    assert ringkasan.as_flag(stored).alasan == "Berstatus Selesai tetapi belum memiliki realisasi (pagu Rp 24.000.000)."
    with translation.override("en"):
        flag = ringkasan.as_flag(stored)
    assert flag.alasan == "Status is Completed but there are no payments yet (pagu Rp 24.000.000)."
    assert ringkasan.as_flag(stored) == tanda_bahaya.flags_for(tahun=TAHUN, user=pengawas, rules=[5])[0]


@pytest.mark.parametrize("status", ["open", "reviewed", "all"])
def test_stored_flags_by_review_status(pengawas, opd_a, status):
    reviewed = PencatatanFactory(opd=opd_a, status=Status.SELESAI)
    PencatatanFactory(opd=opd_a, pagu=250 * JUTA)
    services.tinjau_tanda_bahaya(user=pengawas, tahun=TAHUN, kode=f"R5:pencatatan:{reviewed.pk}", catatan="Dicek.")
    row = row_of(pengawas, opd_a)
    rules = [f.rule for f in ringkasan.stored_flags(tahun=TAHUN, opd_ids=[opd_a.pk], status=status)]
    assert rules == {"open": [2], "reviewed": [5], "all": [2, 5]}[status]
    assert row.red_flags == 1  # open ones only


def test_the_record_list_counts_from_current_summaries(pengawas, opd_a, opd_b, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tests.conftest import client_for

    for opd, status in ((opd_a, Status.SELESAI), (opd_a, Status.SELESAI), (opd_b, Status.SELESAI), (opd_b, "draft")):
        PencatatanFactory(opd=opd, status=status)
    client = client_for(pengawas)
    url = reverse("pencatatan_list")
    query = {"tahun_anggaran": TAHUN, "status": "selesai"}
    live = client.get(url, query)  # summaries not computed yet: counted in the database
    assert live.context["table"].paginator.count == 3
    dashboards.tabel(tahun=TAHUN, user=pengawas)  # what a dashboard view does
    with CaptureQueriesContext(connection) as queries:
        stored = client.get(url, query)
    assert stored.context["table"].paginator.count == 3
    assert not [q for q in queries.captured_queries if "COUNT(*)" in q["sql"] and "pengadaan_pencatatan" in q["sql"]]
    assert "3 pencatatan" in stored.content.decode()
    assert client.get(url, {"tahun_anggaran": TAHUN, "opd": opd_b.pk}).context["table"].paginator.count == 2
    PencatatanFactory(opd=opd_b, status=Status.SELESAI)  # opd_b's summary is out of date: counted again
    assert client.get(url, query).context["table"].paginator.count == 4
    assert client.get(url, {**query, "q": "ATK"}).context["table"].paginator.count == 4  # a search: counted


def test_a_refresh_rewrites_only_the_flags_that_changed(pengawas, opd_a):
    from pengadaan.models import TandaBahaya

    keep = PencatatanFactory(opd=opd_a, status=Status.SELESAI, pagu=24 * JUTA)  # rule 5
    change = PencatatanFactory(opd=opd_a, status=Status.SELESAI, pagu=30 * JUTA)  # rule 5
    row_of(pengawas, opd_a)
    before = dict(TandaBahaya.objects.values_list("kode", "id"))
    change.pagu = 31 * JUTA  # its reason names the pagu: that flag changes, the other does not
    change.save()
    row_of(pengawas, opd_a)
    after = dict(TandaBahaya.objects.values_list("kode", "id"))
    assert set(after) == set(before) == {f"R5:pencatatan:{keep.pk}", f"R5:pencatatan:{change.pk}"}
    assert after[f"R5:pencatatan:{keep.pk}"] == before[f"R5:pencatatan:{keep.pk}"]
    assert after[f"R5:pencatatan:{change.pk}"] != before[f"R5:pencatatan:{change.pk}"]
    assert TandaBahaya.objects.get(kode=f"R5:pencatatan:{change.pk}").data == {"pagu": "31000000.00"}


def test_a_record_moved_to_another_opd_keeps_one_flag(pengawas, opd_a, opd_b):
    from pengadaan.models import TandaBahaya

    record = PencatatanFactory(opd=opd_a, status=Status.SELESAI)  # rule 5
    row_of(pengawas, opd_a)
    record.opd = opd_b
    record.save()
    assert row_of(pengawas, opd_b).red_flags == 1  # only opd_b recomputed: no duplicate flag identity
    assert row_of(pengawas, opd_a).red_flags == 0
    assert list(TandaBahaya.objects.values_list("opd_id", flat=True)) == [opd_b.pk]


def test_rule4_names_the_five_latest_entries_alike_stored_and_computed(pengawas, opd_a):
    # The stored flag takes the entries by lag from the §5 numbers; flags_for counts them itself. Seven
    # payments, six late: lags 50, 50, 50, 60, 50, 50 and 10 days, one per record, entered in that order.
    # The five latest: 60 (the fourth record), then of the five at 50 days the first four entered.
    paid = dt.date(2026, 3, 1)
    records = []
    for days in (50, 50, 50, 60, 50, 50, 10):
        records.append(PencatatanFactory(opd=opd_a, tahun_anggaran=TAHUN, paket=[]))
        RealisasiFactory(pencatatan=records[-1], tgl_realisasi=paid, tgl_dicatat=paid + dt.timedelta(days=days))
    expected = tanda_bahaya.Flag(
        rule=4,
        kode=f"R4:opd:{opd_a.pk}:tahun:{TAHUN}",
        opd_id=opd_a.pk,
        pencatatan_ids=tuple(r.pk for r in records[:5]),
        judul="Kebiasaan terlambat mencatat",
        alasan=(
            "6 dari 7 realisasi OPD ini (85,7%) dicatat lebih dari 30 hari setelah tanggal realisasinya; "
            "tanda ini muncul bila lebih dari 50%. Paling lambat: 60, 50, 50, 50, 50 hari."
        ),
    )
    assert tanda_bahaya.flags_for(tahun=TAHUN, user=pengawas, rules=[4]) == [expected]
    row_of(pengawas, opd_a)  # stored by the worker's refresh
    stored = ringkasan.stored_flags(tahun=TAHUN, opd_ids=[opd_a.pk], rule=4).get()
    assert ringkasan.as_flag(stored) == expected
