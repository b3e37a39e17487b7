"""The payments (realisasi) generator: dates within the contract, amounts within pagu, fitting proof.

Monthly services are billed every month or quarter; other work in one to four instalments. Each
payment has the proof its amount calls for, a supplier that does not make two PL records look
like a split package, and a recording date that follows the record's habit.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal

from pengadaan.demo.pagu import BATAS_PL, JUTA, PL, ribu
from pengadaan.demo.rencana import DemoPlan, PencatatanPlan
from pengadaan.models import JenisPencatatan, JenisRealisasi, Pencatatan, Penyedia, Realisasi, Status

AWALAN_BUKTI = {
    JenisRealisasi.BUKTI_PEMBELIAN: "BP",
    JenisRealisasi.KUITANSI: "KW",
    JenisRealisasi.SURAT_PESANAN: "SP",
    JenisRealisasi.SPK: "SPK",
    JenisRealisasi.SURAT_PERJANJIAN: "PRJ",
    JenisRealisasi.LAINNYA: "DOK",
}


def pembayaran_plan(plan: DemoPlan, rencana: PencatatanPlan) -> None:
    """Plan the payments of a Berjalan or Selesai record: total within pagu, dates within the contract."""
    p = rencana.pencatatan
    if p.status not in (Status.BERJALAN, Status.SELESAI):
        return
    rng = plan.rng
    akhir = min(date(p.tahun_anggaran, 12, 31), plan.today)
    if p.status == Status.SELESAI:
        akhir = min(akhir, p.tgl_selesai_paket + timedelta(days=20))
    awal = min(p.tgl_mulai_paket + timedelta(days=3), akhir)
    if rencana.bulanan:
        tanggal, bagian = _jadwal_bulanan(rng, p, awal, akhir)
    else:
        tanggal, bagian = _jadwal_bertahap(rng, p, awal, akhir)
    total = ribu(p.pagu * bagian)
    nilai = _bagi(rng, total, len(tanggal))
    penyedia = _penyedia_untuk(plan, p)
    for tgl, jumlah in zip(tanggal, nilai, strict=True):
        realisasi_plan(plan, rencana, tgl, jumlah, penyedia=penyedia)
    pdn_umk_set(plan, p, total, penyedia)


def _jadwal_bulanan(rng: random.Random, p: Pencatatan, awal: date, akhir: date) -> tuple[list[date], Decimal]:
    """Billed every month (at most 10 entries) or every quarter: (payment dates, share of pagu paid)."""
    langkah = rng.choice((1, 3, 3))
    tanggal: list[date] = []
    bulan = date(awal.year, awal.month, 1)
    while len(tanggal) < 10:
        for _ in range(langkah - 1):
            bulan = (bulan + timedelta(days=32)).replace(day=1)
        tgl = min(bulan + timedelta(days=rng.randint(24, 30)), akhir)
        if tgl < awal or (tanggal and tgl <= tanggal[-1]) or bulan.year != awal.year:
            break
        tanggal.append(tgl)
        bulan = (bulan + timedelta(days=32)).replace(day=1)
    tanggal = tanggal or [akhir]
    # Still running: paid in proportion to the months billed; done: nearly all of it.
    bagian = Decimal(str(rng.uniform(0.85, 1.0))) * len(tanggal) * langkah / 12
    bagian = min(bagian, Decimal("1")) if p.status == Status.BERJALAN else Decimal(str(rng.uniform(0.88, 1.0)))
    return tanggal, bagian


def _jadwal_bertahap(rng: random.Random, p: Pencatatan, awal: date, akhir: date) -> tuple[list[date], Decimal]:
    """One to four instalments, the last at the end when done: (payment dates, share of pagu paid)."""
    n = rng.choices((1, 2, 3, 4), weights=(45, 30, 15, 10))[0]
    tanggal = sorted(awal + timedelta(days=rng.randint(0, (akhir - awal).days)) for _ in range(n))
    if p.status == Status.SELESAI:
        tanggal[-1] = akhir
    bagian = Decimal(str(rng.uniform(0.88, 1.0) if p.status == Status.SELESAI else rng.uniform(0.25, 0.75)))
    return tanggal, bagian


def _bagi(rng: random.Random, total: Decimal, n: int) -> list[Decimal]:
    """Split `total` into `n` uneven payments rounded to hundreds; the last takes the remainder, so they sum exactly."""
    bobot = [rng.uniform(0.5, 1.5) for _ in range(n)]
    nilai = [(total * Decimal(str(b / sum(bobot))) // 100) * 100 for b in bobot]
    nilai[-1] = total - sum(nilai[:-1])
    return nilai


def _penyedia_untuk(plan: DemoPlan, p: Pencatatan) -> Penyedia | None:
    """A supplier that does not make two PL records of one OPD look like a split package (DESIGN §7.1)."""
    rng = plan.rng
    if p.jenis == JenisPencatatan.SWAKELOLA:
        if not p.pelaksana_swakelola:
            return None
        return next(x for x in plan.pelaksana[p.tipe_swakelola] if x.nama == p.pelaksana_swakelola)
    langganan = plan.profil[p.opd_id].langganan
    calon = langganan + rng.sample(plan.pemasok, len(plan.pemasok))
    if p.mtd_pemilihan != PL:
        return calon[rng.randrange(8)]
    for s in calon:
        kunci = (p.opd_id, p.tahun_anggaran, p.kategori_pengadaan, s.npwp)
        if plan.pl_per_pemasok[kunci] + p.pagu <= BATAS_PL[p.kategori_pengadaan]:
            plan.pl_per_pemasok[kunci] += p.pagu
            return s
    return None


def realisasi_plan(
    plan: DemoPlan,
    rencana: PencatatanPlan,
    tgl: date,
    nilai: Decimal,
    *,
    penyedia: Penyedia | None,
    jenis: str | None = None,
) -> Realisasi:
    """Plan one payment; when it was first recorded follows the record's habit (as it went, or in a batch)."""
    p = rencana.pencatatan
    if jenis is None:
        jenis = _jenis_bukti(plan.rng, nilai, swakelola=p.jenis == JenisPencatatan.SWAKELOLA)
    kunci = (p.opd_id, p.tahun_anggaran, AWALAN_BUKTI[jenis])
    plan.no_bukti[kunci] += 1
    dicatat = _tgl_dicatat(plan, rencana, tgl)
    realisasi = Realisasi(
        pencatatan=p,
        jenis_realisasi=jenis,
        no_realisasi=f"{AWALAN_BUKTI[jenis]}-{p.tahun_anggaran}/{plan.no_bukti[kunci]:03d}",
        tgl_realisasi=tgl,
        nilai_realisasi=nilai,
        ket_realisasi=f"Pembayaran {len(rencana.realisasi) + 1}",
        penyedia=penyedia,
        tgl_dicatat=dicatat,
        dibuat_oleh=p.dibuat_oleh,
    )
    rencana.realisasi.append(realisasi)
    return realisasi


def _jenis_bukti(rng: random.Random, nilai: Decimal, *, swakelola: bool) -> str:
    """The proof a payment of `nilai` calls for: a receipt for small ones, an SPK or contract for large ones."""
    if swakelola:
        return JenisRealisasi.KUITANSI if nilai <= 50 * JUTA else JenisRealisasi.LAINNYA
    if nilai <= 10 * JUTA:
        return rng.choice((JenisRealisasi.BUKTI_PEMBELIAN, JenisRealisasi.KUITANSI))
    if nilai <= 50 * JUTA:
        return rng.choice((JenisRealisasi.KUITANSI, JenisRealisasi.KUITANSI, JenisRealisasi.SURAT_PESANAN))
    return rng.choice((JenisRealisasi.SPK, JenisRealisasi.SURAT_PERJANJIAN, JenisRealisasi.SURAT_PESANAN))


def _tgl_dicatat(plan: DemoPlan, rencana: PencatatanPlan, tgl: date) -> date:
    """When the payment was entered: days after it was paid, long-tailed; never before the record, nor after today."""
    rng, today, p = plan.rng, plan.today, rencana.pencatatan
    if rencana.menumpuk:
        dicatat = tgl + timedelta(days=rng.randint(0, 4))
    elif rng.random() < 0.02:
        dicatat = tgl - timedelta(days=rng.randint(1, 4))  # entered ahead of the payment date (DESIGN §5)
    else:
        dicatat = tgl + timedelta(days=int(rng.lognormvariate(math.log(18), 1.0)))
    dicatat = max(dicatat, p.tgl_buat_paket)
    if dicatat > today:
        dicatat = max(p.tgl_buat_paket, tgl) + timedelta(
            days=rng.randint(0, max(0, (today - max(p.tgl_buat_paket, tgl)).days))
        )
        dicatat = min(dicatat, today)
    return dicatat


def pdn_umk_set(plan: DemoPlan, p: Pencatatan, total: Decimal, penyedia: Penyedia | None) -> None:
    """Fill most records' PDN and UMK values (Rupiah, within the total paid); no UMK value when a PT supplied."""
    rng = plan.rng
    if total <= 0 or rng.random() < 0.15:
        return
    p.nilai_pdn_pct = ribu(total * Decimal(str(rng.uniform(0.5, 1.0))))
    kecil = penyedia is None or not penyedia.nama.startswith("PT ")
    p.nilai_umk_pct = ribu(total * Decimal(str(rng.uniform(0.6, 1.0)))) if kecil else Decimal("0")
