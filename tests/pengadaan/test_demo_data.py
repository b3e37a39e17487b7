"""The procurement data `manage.py seed_demo` loads (DESIGN §4, §5, §7, §10)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from opd.models import Opd, User
from pengadaan import demo, selectors
from pengadaan.choices import ACTIVE_STATUSES
from pengadaan.models import (
    JenisPencatatan,
    JenisRealisasi,
    PadananSpse,
    PaketRup,
    Pencatatan,
    PencatatanRup,
    Penyedia,
    Realisasi,
    Status,
    Sumber,
    TipePaket,
)

PL_CEILING = {
    "Barang": Decimal(200_000_000),
    "Jasa Lainnya": Decimal(200_000_000),
    "Pekerjaan Konstruksi": Decimal(400_000_000),
    "Jasa Konsultansi": Decimal(100_000_000),
}


@pytest.fixture
def seed_output(db, settings) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _years() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year - 1, today.year


def _counts() -> dict[str, object]:
    return {
        "paket_rup": PaketRup.objects.count(),
        "pencatatan": Pencatatan.objects.count(),
        "pencatatan_rup": PencatatanRup.objects.count(),
        "realisasi": Realisasi.objects.count(),
        "penyedia": Penyedia.objects.count(),
        "pencatatan_history": Pencatatan.history.count(),
        "realisasi_history": Realisasi.history.count(),
        "pagu": PaketRup.objects.aggregate(s=Sum("pagu"))["s"],
        "nilai": Realisasi.objects.aggregate(s=Sum("nilai_realisasi"))["s"],
        "status": dict(Pencatatan.objects.values_list("status").annotate(n=Count("pk")).order_by("status")),
        "sumber": dict(Pencatatan.objects.values_list("sumber").annotate(n=Count("pk")).order_by("sumber")),
        "realisasi_di_spse": Realisasi.objects.filter(di_spse=True).count(),
        "padanan": dict(PadananSpse.objects.values_list("alasan").annotate(n=Count("pk")).order_by("alasan")),
        "padanan_history": PadananSpse.history.count(),
        "rekonsiliasi": _reconciliation(User.objects.get(username="pengawas")),
    }


def _reconciliation(user: User, *, tahun: int | None = None, opd_id: int | None = None) -> dict[str, int]:
    """The reconciliation page's three lists and its pairs, counted through its selectors (both demo
    years unless `tahun` is given)."""
    counts = dict.fromkeys(("belum_di_spse", "hanya_di_spse", "berbeda_dari_spse", "padanan"), 0)
    for year in [tahun] if tahun else _years():
        counts["belum_di_spse"] += selectors.belum_di_spse(user=user, tahun=year, opd_id=opd_id).count()
        counts["hanya_di_spse"] += selectors.hanya_di_spse(user=user, tahun=year, opd_id=opd_id).count()
        counts["berbeda_dari_spse"] += len(selectors.berbeda_dari_spse(user=user, tahun=year, opd_id=opd_id))
        counts["padanan"] += selectors.padanan_menunggu(user=user, tahun=year, opd_id=opd_id).count()
    return counts


def _check_every_status_and_both_kinds() -> None:
    assert set(Pencatatan.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(Pencatatan.objects.values_list("jenis", flat=True)) == set(JenisPencatatan.values)
    batal = Pencatatan.objects.filter(status=Status.BATAL)
    assert batal.filter(alasan_pembatalan="").count() == 0
    assert batal.filter(alasan_pembatalan=demo.ALASAN_GANDA).exists()
    assert Pencatatan.objects.filter(kd_rup__contains=";").exists()
    assert Pencatatan.objects.missing_from_spse().exists()
    assert Pencatatan.objects.filter(Q(kd_nontender_pct__isnull=False) | Q(kd_swakelola_pct__isnull=False)).exists()


def _check_links_of_own_opd_year_and_kind() -> None:
    kind = {JenisPencatatan.NON_TENDER: TipePaket.PENYEDIA, JenisPencatatan.SWAKELOLA: TipePaket.SWAKELOLA}
    wrong = []
    codes: dict[int, list[int]] = defaultdict(list)
    for link in PencatatanRup.objects.select_related("pencatatan", "paket"):
        p, paket = link.pencatatan, link.paket
        codes[p.pk].append(paket.kd_rup)
        if (
            paket.opd_id != p.opd_id
            or paket.tahun_anggaran != p.tahun_anggaran
            or paket.tipe_paket != kind[p.jenis]
            or (p.jenis == JenisPencatatan.NON_TENDER and not paket.is_non_tender)
        ):
            wrong.append(p.pk)
    assert wrong == []
    kd_rup = dict(Pencatatan.objects.values_list("pk", "kd_rup"))
    assert {pk: ";".join(str(c) for c in sorted(found)) for pk, found in codes.items()} == kd_rup


def _check_realisasi_within_pagu_except_the_red_flag() -> None:
    over = Pencatatan.objects.annotate(total=Sum("realisasi__nilai_realisasi")).filter(total__gt=F("pagu"))
    assert list(over.values_list("nama_paket", "opd__singkatan")) == [(demo.NAMA_REALISASI_MELEBIHI_PAGU, "Disdik")]


def _check_nothing_dated_after_today() -> None:
    today = timezone.localdate()
    latest = [
        *PaketRup.objects.aggregate(Max("tgl_awal_pemilihan")).values(),
        *Pencatatan.objects.aggregate(Max("tgl_buat_paket"), Max("tgl_mulai_paket"), Max("tgl_selesai_paket")).values(),
        *Realisasi.objects.aggregate(Max("tgl_realisasi"), Max("tgl_dicatat")).values(),
    ]
    assert [d for d in latest if d > today] == []


def _check_year_end_pile_up() -> None:
    last_year, _ = _years()
    entries = Realisasi.objects.filter(pencatatan__tahun_anggaran=last_year)
    nov_dec = entries.filter(tgl_dicatat__year=last_year, tgl_dicatat__month__in=[11, 12]).count()
    assert nov_dec * 100 > entries.count() * 40
    assert entries.filter(tgl_dicatat__lt=F("tgl_realisasi")).exists()  # a few entered before the payment


def test_seed_demo_gives_every_opd_rup_packages_in_both_years(seed_output):
    opd_ids = set(Opd.objects.values_list("pk", flat=True))
    assert len(opd_ids) == 43
    for year in _years():
        packages = PaketRup.objects.filter(tahun_anggaran=year)
        per_opd = dict(packages.values_list("opd").annotate(n=Count("pk")).order_by())
        assert set(per_opd) == opd_ids
        assert min(per_opd.values()) >= 12
        assert set(packages.counting().for_pencatatan().values_list("opd", flat=True)) == opd_ids
        assert packages.filter(metode_pengadaan__in=["Tender", "E-Purchasing"]).exists()
        assert packages.filter(Q(status_aktif_rup=False) | Q(status_delete_rup=True)).exists()
    expected = (
        f"Data pengadaan: {PaketRup.objects.count()} paket RUP, {Pencatatan.objects.count()} pencatatan "
        f"({PencatatanRup.objects.count()} tautan RUP), {Realisasi.objects.count()} realisasi, "
        f"{Penyedia.objects.count()} penyedia"
    )
    assert expected in seed_output.splitlines()
    assert Penyedia.objects.count() == 80


def test_seed_demo_records_are_varied_consistent_and_late(seed_output):
    # One seed, several checks: seeding dominates the run time of this module.
    _check_every_status_and_both_kinds()
    _check_links_of_own_opd_year_and_kind()
    _check_realisasi_within_pagu_except_the_red_flag()
    _check_nothing_dated_after_today()
    _check_year_end_pile_up()


def test_seed_demo_has_a_case_of_every_red_flag(seed_output):
    today = timezone.localdate()
    active = Pencatatan.objects.filter(status__in=ACTIVE_STATUSES)
    totals = dict(active.annotate(t=Sum("realisasi__nilai_realisasi")).values_list("pk", "t"))
    # 1. Package splitting: ≥2 PL records of one OPD and year, one supplier and category, each under the ceiling.
    groups: dict[tuple, list[Pencatatan]] = defaultdict(list)
    pl = active.filter(mtd_pemilihan="Pengadaan Langsung").prefetch_related("realisasi__penyedia")
    for p in pl:
        for npwp in {r.penyedia.npwp for r in p.realisasi.all() if r.penyedia}:
            groups[(p.opd_id, p.tahun_anggaran, p.kategori_pengadaan, npwp)].append(p)
    split = []
    for key, records in groups.items():
        under = [p for p in records if p.pagu < PL_CEILING[key[2]]]
        if len(under) >= 2 and sum(p.pagu for p in under) > PL_CEILING[key[2]]:
            split.append(sorted(p.nama_paket for p in under))
    assert split == [[f"{demo.NAMA_PEMECAHAN_PAKET} Tahap I", f"{demo.NAMA_PEMECAHAN_PAKET} Tahap II"]]
    # 2. PL above its ceiling.
    above = [p.nama_paket for p in pl if p.pagu >= PL_CEILING[p.kategori_pengadaan]]
    assert above == [demo.NAMA_PL_DI_ATAS_BATAS]
    # 4. Recorded more than 30 days after payment.
    assert Realisasi.objects.filter(tgl_dicatat__gt=F("tgl_realisasi") + timedelta(days=30)).exists()
    # 5. Selesai without any realisasi.
    no_payment = Pencatatan.objects.filter(status=Status.SELESAI, realisasi__isnull=True)
    assert list(no_payment.values_list("nama_paket", flat=True)) == [demo.NAMA_SELESAI_TANPA_REALISASI]
    # 6. Double input: two active records of one OPD with the same kd_rup and pagu.
    double = active.values("opd__singkatan", "kd_rup", "pagu").annotate(n=Count("pk")).filter(n__gte=2)
    assert [(d["opd__singkatan"], d["n"]) for d in double] == [("Dinkes", 2)]
    # 7. Overdue: Berjalan more than 30 days after the contract end.
    overdue = active.filter(status=Status.BERJALAN, tgl_selesai_paket__lt=today - timedelta(days=30))
    assert overdue.filter(nama_paket=demo.NAMA_TERLAMBAT_SELESAI).count() == 1
    # 8. PDN exactly 100 on a record paid over Rp100.000, and PDN above total realisasi.
    hundred = active.filter(nilai_pdn_pct=100)
    assert [(p.nama_paket, totals[p.pk] > 100_000) for p in hundred] == [(demo.NAMA_PDN_SERATUS, True)]
    pdn_above = [p.nama_paket for p in active.filter(nilai_pdn_pct__gt=0) if p.nilai_pdn_pct > (totals[p.pk] or 0)]
    assert pdn_above == [demo.NAMA_PDN_MELEBIHI]
    # 9. Proof unfit for the amount.
    unfit = Realisasi.objects.filter(
        Q(jenis_realisasi=JenisRealisasi.BUKTI_PEMBELIAN, nilai_realisasi__gt=10_000_000)
        | Q(jenis_realisasi=JenisRealisasi.KUITANSI, nilai_realisasi__gt=50_000_000)
    )
    assert sorted(unfit.values_list("jenis_realisasi", "pencatatan__nama_paket")) == [
        (JenisRealisasi.BUKTI_PEMBELIAN, demo.NAMA_BUKTI_TIDAK_SESUAI),
        (JenisRealisasi.KUITANSI, demo.NAMA_BUKTI_TIDAK_SESUAI),
    ]


def test_seed_demo_is_idempotent(seed_output, settings):
    before = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == before


def test_seed_demo_records_in_both_places_like_a_pemda(seed_output):
    in_spse = Pencatatan.objects.in_spse()
    # about a third of the records in SPSE came only from SPSE, with their payments; the others were matched
    imported = in_spse.filter(sumber=Sumber.IMPOR)
    assert 0.25 < imported.count() / in_spse.count() < 0.42
    assert Realisasi.objects.filter(pencatatan__in=imported).exclude(sumber=Sumber.IMPOR, di_spse=True).count() == 0
    # every record in SPSE keeps what SPSE last published: pagu with two decimals, status and PPK
    snapshots = list(in_spse.values_list("nilai_spse", "pagu", "status", "nip_ppk", "nama_ppk"))
    assert {tuple(sorted(spse)) for spse, *_ in snapshots} == {("nama_ppk", "nip_ppk", "pagu", "status")}
    assert {spse["pagu"] == f"{Decimal(spse['pagu']):.2f}" for spse, *_ in snapshots} == {True}
    same = [
        spse == {"pagu": f"{pagu:.2f}", "status": st, "nip_ppk": nip, "nama_ppk": nama}
        for spse, pagu, st, nip, nama in snapshots
    ]
    assert same.count(False) < 15  # normally equal: only the few deliberate differences
    # the matched records' payments are in SPSE but for a few entered in the app since
    matched_payments = Realisasi.objects.filter(pencatatan__in=in_spse.filter(sumber=Sumber.APLIKASI))
    assert 0 < matched_payments.filter(di_spse=False).count() < 10
    assert matched_payments.exclude(sumber=Sumber.APLIKASI).count() == 0
    # records not in SPSE are as the app entered them
    local = Pencatatan.objects.exclude(pk__in=in_spse)
    assert local.exclude(sumber=Sumber.APLIKASI, nilai_spse__isnull=True).count() == 0
    assert Realisasi.objects.filter(pencatatan__in=local).exclude(sumber=Sumber.APLIKASI, di_spse=False).count() == 0
    # the summary printed is what the reconciliation pages list, over both demo years
    counts = _reconciliation(User.objects.get(username="pengawas"))
    expected = (
        f"Rekonsiliasi SPSE: {counts['belum_di_spse']} belum di SPSE, {counts['hanya_di_spse']} hanya di SPSE, "
        f"{counts['berbeda_dari_spse']} berbeda dari SPSE, {counts['padanan']} pasangan perlu dikonfirmasi"
    )
    assert expected in seed_output.splitlines()


def test_seed_demo_shows_disdik_its_reconciliation_this_year(seed_output):
    _, this_year = _years()
    operator = User.objects.get(username="operator.disdik")
    counts = _reconciliation(operator, tahun=this_year, opd_id=operator.opd_id)
    assert min(counts.values()) >= 1, counts
    # a few matched records differ from SPSE, in several OPDs, each year
    pengawas = User.objects.get(username="pengawas")
    for year in _years():
        differing = selectors.berbeda_dari_spse(user=pengawas, tahun=year)
        assert 2 <= len(differing) <= 8  # Disdik and Dinkes have one even early in the year
        assert {"Disdik", "Dinkes"} <= {p.opd.singkatan for p in differing}
    # the pending pairs: an SPSE record with a pagu more than 10% off, and a package entered twice in the app
    pairs = selectors.padanan_menunggu(user=pengawas, tahun=this_year)
    found = sorted((p.lokal.opd.singkatan, p.alasan, p.lokal.nama_paket) for p in pairs)
    assert found == [
        ("Dinkes", PadananSpse.Alasan.PAGU_BERBEDA, demo.NAMA_PADANAN_PAGU_DINKES),
        ("Disdik", PadananSpse.Alasan.DUA_CALON, demo.NAMA_PADANAN_DUA_CALON),
        ("Disdik", PadananSpse.Alasan.DUA_CALON, demo.NAMA_PADANAN_DUA_CALON),
        ("Disdik", PadananSpse.Alasan.PAGU_BERBEDA, demo.NAMA_PADANAN_PAGU_DISDIK),
    ]
    for pair in pairs:
        lokal, spse = pair.lokal, pair.spse
        assert (lokal.kd_pct, lokal.sumber, spse.sumber, spse.kd_pct) == (
            None,
            Sumber.APLIKASI,
            Sumber.IMPOR,
            pair.kode_spse,
        )
        assert (lokal.kd_rup, lokal.opd_id, lokal.jenis) == (spse.kd_rup, spse.opd_id, spse.jenis)
        if pair.alasan == PadananSpse.Alasan.PAGU_BERBEDA:
            assert abs(lokal.pagu - spse.pagu) > spse.pagu / 10
