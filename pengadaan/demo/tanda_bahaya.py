"""The deliberate red-flag examples: at least one record per rule of DESIGN §7, in Disdik and Dinkes.

The demo users work there, so each rule has a case they can open. The records are dated backwards
from a reference day near today, and their names are public so that tests and demos can point at them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from opd.models import Opd
from pengadaan.demo.katalog import B, K, beli
from pengadaan.demo.pagu import PL
from pengadaan.demo.pencatatan import pencatatan_plan
from pengadaan.demo.realisasi import pdn_umk_set, realisasi_plan
from pengadaan.demo.rencana import DemoPlan, PencatatanPlan
from pengadaan.demo.rup import paket_plan
from pengadaan.models import JenisRealisasi, PaketRup, Status

NAMA_PEMECAHAN_PAKET = "Pengadaan Meja dan Kursi Siswa SD Negeri"
NAMA_PL_DI_ATAS_BATAS = "Pengadaan Peralatan Laboratorium IPA SMP Negeri"
NAMA_REALISASI_MELEBIHI_PAGU = "Rehabilitasi Ringan Toilet SD Negeri Cipondoh 3"
NAMA_SELESAI_TANPA_REALISASI = "Belanja Makan dan Minum Rapat Kerja Kepala Sekolah"
NAMA_INPUT_GANDA = "Pengadaan Bahan Medis Habis Pakai Puskesmas Karawaci"
NAMA_TERLAMBAT_SELESAI = "Rehabilitasi Pagar Sekolah SD Negeri Periuk 2"
NAMA_PDN_SERATUS = "Pengadaan Alat Kesehatan Posyandu"
NAMA_PDN_MELEBIHI = "Pengadaan Vaccine Carrier dan Cold Box"
NAMA_BUKTI_TIDAK_SESUAI = "Pengadaan Buku Panduan Guru Kurikulum Merdeka"

rp = Decimal  # rp(185_000_000) reads as the amount it is


def tanda_bahaya_plan(plan: DemoPlan, disdik: Opd, dinkes: Opd) -> None:
    """Plan one or more records per red-flag rule, in Disdik and Dinkes, dated relative to today."""
    # In the first months of a year there is not enough of it: use last year then.
    tahun = plan.tahun_ini if plan.today >= date(plan.tahun_ini, 5, 1) else plan.tahun_lalu
    acuan = min(plan.today, date(tahun, 12, 15))
    contoh = _Contoh(plan, tahun, acuan, bulan=max(1, acuan.month - 4))
    # The order is part of the seed: each case draws from the plan's rng in turn.
    _pemecahan_paket(contoh, disdik)
    _pl_di_atas_batas(contoh, disdik)
    _realisasi_melebihi_pagu(contoh, disdik)
    _selesai_tanpa_realisasi(contoh, disdik)
    _terlambat_selesai(contoh, disdik)
    _bukti_tidak_sesuai(contoh, disdik)
    _input_ganda(contoh, dinkes)
    _pdn_tidak_wajar(contoh, dinkes)


@dataclass(frozen=True)
class _Contoh:
    """What every red-flag case shares: the plan, one fiscal year, and the day its dates count back from."""

    plan: DemoPlan
    tahun: int
    acuan: date
    bulan: int  # month the cases' RUP packages start

    def hari(self, n: int) -> date:
        """`n` days before the reference day."""
        return self.acuan - timedelta(days=n)

    def paket(self, opd: Opd, nama: str, jenis: str, pagu: Decimal) -> PaketRup:
        """A PL RUP package for the case."""
        return paket_plan(self.plan, opd, self.tahun, beli(nama, jenis), metode=PL, pagu=pagu, bulan=self.bulan)

    def catat(self, opd: Opd, pkt: PaketRup, status: str, mulai: int, selesai: int, dibuat: int) -> PencatatanPlan:
        """A record of `pkt` whose contract ran and which was entered so many days before the reference day."""
        r = pencatatan_plan(
            self.plan,
            opd,
            self.tahun,
            [pkt],
            status=status,
            mulai=self.hari(mulai),
            selesai=self.hari(selesai),
            menumpuk=False,
        )
        r.pencatatan.tgl_buat_paket = self.hari(dibuat)
        r.contoh = True
        return r


def _pemecahan_paket(c: _Contoh, disdik: Opd) -> None:
    """Rule 1, package splitting: two PL Barang records, one supplier, each under Rp200 juta, together above it."""
    meja = c.plan.tanda["CV Karya Meubel Mandiri"]
    for tahap, pagu, n in (("Tahap I", rp(185_000_000), 100), ("Tahap II", rp(176_500_000), 80)):
        r = c.catat(
            disdik, c.paket(disdik, f"{NAMA_PEMECAHAN_PAKET} {tahap}", B, pagu), Status.SELESAI, n, n - 40, n - 5
        )
        realisasi_plan(
            c.plan, r, c.hari(n - 42), pagu * rp("0.97"), penyedia=meja, jenis=JenisRealisasi.SURAT_PERJANJIAN
        )
        pdn_umk_set(c.plan, r.pencatatan, pagu * rp("0.97"), meja)


def _pl_di_atas_batas(c: _Contoh, disdik: Opd) -> None:
    """Rule 2, PL above its ceiling (Barang, Rp250 juta)."""
    r = c.catat(disdik, c.paket(disdik, NAMA_PL_DI_ATAS_BATAS, B, rp(250_000_000)), Status.SELESAI, 110, 60, 100)
    realisasi_plan(c.plan, r, c.hari(55), rp(248_750_000), penyedia=c.plan.tanda["PT Sains Edukasi Nusantara"])


def _realisasi_melebihi_pagu(c: _Contoh, disdik: Opd) -> None:
    """Rule 3, total realisasi above pagu; its second payment is also recorded late (rule 4)."""
    r = c.catat(disdik, c.paket(disdik, NAMA_REALISASI_MELEBIHI_PAGU, K, rp(48_500_000)), Status.SELESAI, 90, 50, 85)
    toilet = c.plan.tanda["CV Bangun Sarana Pendidikan"]
    realisasi_plan(c.plan, r, c.hari(70), rp(30_000_000), penyedia=toilet, jenis=JenisRealisasi.KUITANSI)
    late = realisasi_plan(c.plan, r, c.hari(48), rp(21_250_000), penyedia=toilet, jenis=JenisRealisasi.KUITANSI)
    late.tgl_dicatat = c.hari(5)


def _selesai_tanpa_realisasi(c: _Contoh, disdik: Opd) -> None:
    """Rule 5, Selesai without any realisasi."""
    c.catat(disdik, c.paket(disdik, NAMA_SELESAI_TANPA_REALISASI, B, rp(24_000_000)), Status.SELESAI, 75, 70, 60)


def _terlambat_selesai(c: _Contoh, disdik: Opd) -> None:
    """Rule 7, overdue: Berjalan 45 days after the contract ended."""
    r = c.catat(disdik, c.paket(disdik, NAMA_TERLAMBAT_SELESAI, K, rp(132_000_000)), Status.BERJALAN, 120, 45, 110)
    toilet = c.plan.tanda["CV Bangun Sarana Pendidikan"]
    realisasi_plan(c.plan, r, c.hari(90), rp(39_600_000), penyedia=toilet, jenis=JenisRealisasi.SPK)


def _bukti_tidak_sesuai(c: _Contoh, disdik: Opd) -> None:
    """Rule 9, proof unfit for the amount: a bukti pembelian above Rp10 juta and a kuitansi above Rp50 juta."""
    buku = c.plan.tanda["Toko Buku Cahaya Ilmu"]
    r = c.catat(disdik, c.paket(disdik, NAMA_BUKTI_TIDAK_SESUAI, B, rp(95_000_000)), Status.SELESAI, 80, 40, 75)
    realisasi_plan(c.plan, r, c.hari(60), rp(12_750_000), penyedia=buku, jenis=JenisRealisasi.BUKTI_PEMBELIAN)
    realisasi_plan(c.plan, r, c.hari(38), rp(65_000_000), penyedia=buku, jenis=JenisRealisasi.KUITANSI)
    pdn_umk_set(c.plan, r.pencatatan, rp(77_750_000), buku)


def _input_ganda(c: _Contoh, dinkes: Opd) -> None:
    """Rule 6, double input: two active records of one RUP package with the same pagu."""
    bmhp = c.paket(dinkes, NAMA_INPUT_GANDA, B, rp(87_500_000))
    r = c.catat(dinkes, bmhp, Status.BERJALAN, 60, 0, 55)
    realisasi_plan(c.plan, r, c.hari(30), rp(40_000_000), penyedia=c.plan.tanda["CV Medika Sehat Abadi"])
    c.catat(dinkes, bmhp, Status.BERJALAN, 60, 0, 20)


def _pdn_tidak_wajar(c: _Contoh, dinkes: Opd) -> None:
    """Rule 8, PDN implausible: exactly 100 (a percentage in a Rupiah field), and above total realisasi."""
    r = c.catat(dinkes, c.paket(dinkes, NAMA_PDN_SERATUS, B, rp(64_300_000)), Status.SELESAI, 70, 35, 65)
    realisasi_plan(c.plan, r, c.hari(33), rp(63_900_000), penyedia=c.plan.tanda["PT Alkesindo Prima"])
    r.pencatatan.nilai_pdn_pct, r.pencatatan.nilai_umk_pct = rp(100), rp(100)
    r = c.catat(dinkes, c.paket(dinkes, NAMA_PDN_MELEBIHI, B, rp(58_000_000)), Status.BERJALAN, 50, 0, 45)
    realisasi_plan(c.plan, r, c.hari(25), rp(20_000_000), penyedia=c.plan.tanda["CV Dingin Medika"])
    r.pencatatan.nilai_pdn_pct, r.pencatatan.nilai_umk_pct = rp(58_000_000), rp(20_000_000)
