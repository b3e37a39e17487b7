"""The demo's two places (DESIGN §12): what SPSE published, what the app matched, and where they disagree.

The demo pemda records in both places. Of the records with an SPSE code, about a third came only from
SPSE (an import loaded them; the app never saw them before); the others were entered in the app and
matched, so they keep SPSE's last published values beside their own (`nilai_spse`), normally equal.
A few matched records per year differ the way real ones do (pagu raised in the app after matching, a
status changed in the app, a payment not yet in SPSE), in Disdik, Dinkes and two other OPDs; and this
year Disdik and Dinkes have pairs an import could not be sure of, waiting for the OPD to decide.
Records without an SPSE code stay as they are: they are the "belum di SPSE" list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from opd.models import Opd
from pengadaan.demo.katalog import JL, B, beli
from pengadaan.demo.pagu import PL, ribu
from pengadaan.demo.pencatatan import pencatatan_plan
from pengadaan.demo.rencana import DemoPlan, PencatatanPlan
from pengadaan.demo.rup import paket_plan
from pengadaan.imports.padanan import nilai_spse
from pengadaan.models import PadananSpse, PaketRup, Pencatatan, Status, Sumber

BAGIAN_HANYA_SPSE = 1 / 3  # of the records in SPSE, the share loaded from SPSE without an app record
SEN = Decimal("0.01")

NAMA_PADANAN_PAGU_DISDIK = "Pengadaan Alat Peraga Pembelajaran Matematika SD Negeri"
NAMA_PADANAN_PAGU_DINKES = "Pengadaan Reagen Laboratorium Puskesmas"
NAMA_PADANAN_DUA_CALON = "Pemeliharaan Perangkat Komputer Laboratorium SMP Negeri"
# planned only when none of the OPD's own matched records of this year could be made to differ
NAMA_PAGU_NAIK = {
    "Disdik": "Pengadaan Perlengkapan Ujian Sekolah SD Negeri",
    "Dinkes": "Pengadaan Bahan Penyuluhan Gizi Posyandu",
}


def rekonsiliasi_plan(plan: DemoPlan, disdik: Opd, dinkes: Opd) -> None:
    """Say where each planned record with an SPSE code came from, make a few differ, and plan the pairs.

    Runs after every other planner: it only draws from the plan's `rng` after them, so the rows they
    planned stay the same.
    """
    _sumber_plan(plan)
    for tahun in (plan.tahun_lalu, plan.tahun_ini):
        _perbedaan_plan(plan, tahun, disdik, dinkes)
    _padanan_plan(plan, disdik, dinkes)


def _di_spse(p: Pencatatan) -> bool:
    return p.kd_nontender_pct is not None or p.kd_swakelola_pct is not None


def _nilai_spse(p: Pencatatan) -> dict:
    """SPSE's values of `p` as an import keeps them: pagu with its two decimals, status and PPK."""
    return nilai_spse({"pagu": p.pagu.quantize(SEN), "status": p.status, "nip_ppk": p.nip_ppk, "nama_ppk": p.nama_ppk})


def _sumber_plan(plan: DemoPlan) -> None:
    """About a third of the records in SPSE were loaded from it; the rest were entered here and matched.

    Either way the record keeps what SPSE published (its own values) and its payments are in SPSE. The
    deliberate red-flag examples were entered in the app: they are never drawn as SPSE's.
    """
    for r in plan.rencana:
        p = r.pencatatan
        if not _di_spse(p):
            continue
        p.nilai_spse = _nilai_spse(p)
        if not r.contoh and plan.rng.random() < BAGIAN_HANYA_SPSE:
            p.sumber = Sumber.IMPOR
        for x in r.realisasi:
            x.sumber, x.di_spse = p.sumber, True


# --- matched records that differ from SPSE -----------------------------------------------------------


def _dibayar(r: PencatatanPlan) -> Decimal:
    return sum((x.nilai_realisasi for x in r.realisasi), Decimal(0))


def _bisa_pagu_naik(r: PencatatanPlan) -> bool:
    # SPSE's older, lower pagu must still cover what was paid: SPSE refuses realisasi above pagu
    return _dibayar(r) * Decimal("1.06") <= r.pencatatan.pagu


def _pagu_naik(plan: DemoPlan, r: PencatatanPlan) -> None:
    """The app's pagu was raised after matching (by 6–20%): SPSE still has the old one."""
    pagu, dibayar = r.pencatatan.pagu, _dibayar(r)
    naik = plan.rng.uniform(1.06, min(1.2, float(pagu / dibayar)) if dibayar else 1.2)
    lama = max(ribu(pagu / Decimal(str(naik))), dibayar)
    r.pencatatan.nilai_spse["pagu"] = str(lama.quantize(SEN))


def _bisa_status_berubah(r: PencatatanPlan) -> bool:
    return r.pencatatan.status == Status.SELESAI


def _status_berubah(plan: DemoPlan, r: PencatatanPlan) -> None:
    """Marked Selesai in the app; SPSE still shows the package running."""
    r.pencatatan.nilai_spse["status"] = Status.BERJALAN


def _bisa_pembayaran_belum(r: PencatatanPlan) -> bool:
    return len(r.realisasi) >= 2  # SPSE has the earlier ones


def _pembayaran_belum(plan: DemoPlan, r: PencatatanPlan) -> None:
    """The latest payment was entered in the app and is not in SPSE yet."""
    max(r.realisasi, key=lambda x: x.tgl_realisasi).di_spse = False


Perbedaan = tuple[Callable[[PencatatanPlan], bool], Callable[[DemoPlan, PencatatanPlan], None]]
PAGU_NAIK: Perbedaan = (_bisa_pagu_naik, _pagu_naik)
STATUS_BERUBAH: Perbedaan = (_bisa_status_berubah, _status_berubah)
PEMBAYARAN_BELUM: Perbedaan = (_bisa_pembayaran_belum, _pembayaran_belum)


def _perbedaan_plan(plan: DemoPlan, tahun: int, disdik: Opd, dinkes: Opd) -> None:
    """Make a few matched records of `tahun` differ from SPSE: two in Disdik and in Dinkes, one in two other
    OPDs. Each takes the first difference, in the order listed, that one of the OPD's records allows; where
    Disdik or Dinkes has no such record this year (early in the year), a record of its own shows one."""
    rng = plan.rng
    per_opd: dict[int, list[PencatatanPlan]] = defaultdict(list)
    for r in plan.rencana:
        p = r.pencatatan
        cocok = p.sumber == Sumber.APLIKASI and _di_spse(p) and not r.contoh
        if cocok and p.tahun_anggaran == tahun and p.status in (Status.BERJALAN, Status.SELESAI):
            per_opd[p.opd_id].append(r)
    lain = sorted(per_opd.keys() - {disdik.pk, dinkes.pk})
    lain = rng.sample(lain, min(2, len(lain)))
    tugas = [
        (disdik.pk, (PAGU_NAIK, STATUS_BERUBAH, PEMBAYARAN_BELUM)),
        (disdik.pk, (PEMBAYARAN_BELUM, STATUS_BERUBAH, PAGU_NAIK)),
        (dinkes.pk, (STATUS_BERUBAH, PAGU_NAIK, PEMBAYARAN_BELUM)),
        (dinkes.pk, (PEMBAYARAN_BELUM, PAGU_NAIK, STATUS_BERUBAH)),
        *zip(lain, ((STATUS_BERUBAH, PEMBAYARAN_BELUM), (PAGU_NAIK, PEMBAYARAN_BELUM)), strict=False),
    ]
    dipakai: set[int] = set()
    for opd_id, urutan in tugas:
        for bisa, ubah in urutan:
            calon = [r for r in per_opd[opd_id] if bisa(r) and id(r) not in dipakai]
            if calon:
                r = rng.choice(calon)
                ubah(plan, r)
                dipakai.add(id(r))
                plan.berbeda.append(r)
                break
    for opd in dict.fromkeys((disdik, dinkes)) if tahun == plan.tahun_ini else ():
        if not any(r.pencatatan.opd_id == opd.pk and r.pencatatan.tahun_anggaran == tahun for r in plan.berbeda):
            plan.berbeda.append(_pagu_naik_baru(plan, opd, tahun))


def _pagu_naik_baru(plan: DemoPlan, opd: Opd, tahun: int) -> PencatatanPlan:
    """A record entered in the app, matched with SPSE, then its pagu raised; nothing paid yet."""
    paket = _paket(plan, opd, tahun, NAMA_PAGU_NAIK.get(opd.singkatan, NAMA_PAGU_NAIK["Disdik"]), B)
    r = _catat(plan, opd, tahun, paket, paket.pagu, dibuat=30)
    r.pencatatan.kd_nontender_pct = next(plan.kd_nontender[tahun])
    r.pencatatan.nilai_spse = _nilai_spse(r.pencatatan)
    _pagu_naik(plan, r)
    return r


# --- pairs an import could not be sure of ----------------------------------------------------------------


def _padanan_plan(plan: DemoPlan, disdik: Opd, dinkes: Opd) -> None:
    """This year's pending pairs: in Disdik and Dinkes an SPSE record whose pagu is more than 10% off the
    app's record of the same RUP package, and in Disdik a package entered twice in the app (two pairs)."""
    tahun = plan.tahun_ini
    for opd, nama, bagian in ((disdik, NAMA_PADANAN_PAGU_DISDIK, "0.8"), (dinkes, NAMA_PADANAN_PAGU_DINKES, "1.25")):
        paket = _paket(plan, opd, tahun, nama, B)
        lokal = _lokal(plan, opd, tahun, paket, paket.pagu, dibuat=35)
        # SPSE's copy carries another pagu: the contract value (Disdik), the value after an addendum (Dinkes)
        spse = _hanya_spse(plan, opd, tahun, paket, ribu(paket.pagu * Decimal(bagian)))
        _padanan(plan, lokal, spse, PadananSpse.Alasan.PAGU_BERBEDA)
    paket = _paket(plan, disdik, tahun, NAMA_PADANAN_DUA_CALON, JL)
    # the operator and the PPTK each entered it, one with the RUP pagu, one with the contract value
    pertama = _lokal(plan, disdik, tahun, paket, paket.pagu, dibuat=40)
    kedua = _lokal(plan, disdik, tahun, paket, ribu(paket.pagu * Decimal("0.95")), dibuat=30)
    spse = _hanya_spse(plan, disdik, tahun, paket, ribu(paket.pagu * Decimal("0.97")))
    for lokal in (pertama, kedua):
        _padanan(plan, lokal, spse, PadananSpse.Alasan.DUA_CALON)


def _paket(plan: DemoPlan, opd: Opd, tahun: int, nama: str, jenis: str) -> PaketRup:
    """A PL RUP package that started a month or two ago (this year's first month at the earliest)."""
    pagu = ribu(plan.rng.uniform(40, 150) * 1_000_000)
    bulan = _hari(plan, tahun, 60).month
    return paket_plan(plan, opd, tahun, beli(nama, jenis), metode=PL, pagu=pagu, bulan=bulan)


def _hari(plan: DemoPlan, tahun: int, n: int) -> date:
    """`n` days before today, but not before the year began."""
    return max(plan.today - timedelta(days=n), date(tahun, 1, 1))


def _catat(plan: DemoPlan, opd: Opd, tahun: int, paket: PaketRup, pagu: Decimal, *, dibuat: int) -> PencatatanPlan:
    """A Berjalan record of this year's `paket` with its own `pagu`, started 45 days ago, entered `dibuat`
    days ago; no SPSE code (the caller gives one), no payments."""
    r = pencatatan_plan(
        plan,
        opd,
        tahun,
        [paket],
        status=Status.BERJALAN,
        mulai=_hari(plan, tahun, 45),
        selesai=plan.today,
        menumpuk=False,
    )
    p = r.pencatatan
    p.pagu, p.tgl_buat_paket, r.contoh = pagu, max(_hari(plan, tahun, dibuat), p.tgl_mulai_paket), True
    p.kd_nontender_pct = p.kd_swakelola_pct = None
    return r


def _lokal(plan: DemoPlan, opd: Opd, tahun: int, paket: PaketRup, pagu: Decimal, *, dibuat: int) -> Pencatatan:
    """A record entered in the app, not in SPSE yet."""
    return _catat(plan, opd, tahun, paket, pagu, dibuat=dibuat).pencatatan


def _hanya_spse(plan: DemoPlan, opd: Opd, tahun: int, paket: PaketRup, pagu: Decimal) -> Pencatatan:
    """A record SPSE published and the last import loaded (three days ago), as it was published."""
    p = _catat(plan, opd, tahun, paket, pagu, dibuat=3).pencatatan
    p.kd_nontender_pct = next(plan.kd_nontender[tahun])
    p.sumber, p.nilai_spse, p.pptk = Sumber.IMPOR, _nilai_spse(p), None  # SPSE does not publish the PPTK
    return p


def _padanan(plan: DemoPlan, lokal: Pencatatan, spse: Pencatatan, alasan: str) -> None:
    plan.padanan.append(PadananSpse(lokal=lokal, spse=spse, kode_spse=spse.kd_nontender_pct, alasan=alasan))


def rekonsiliasi_jumlah(plan: DemoPlan) -> dict[str, int]:
    """How the planned records stand against SPSE: the three lists of the reconciliation page, and the pairs."""
    records = [r.pencatatan for r in plan.rencana]
    return {
        "belum_di_spse": sum(1 for p in records if p.status != Status.BATAL and not _di_spse(p)),
        "hanya_di_spse": sum(1 for p in records if p.sumber == Sumber.IMPOR and _di_spse(p)),
        "berbeda_dari_spse": len(plan.berbeda),
        "padanan": len(plan.padanan),
    }
