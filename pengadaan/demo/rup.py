"""The RUP plan: each OPD's 12–20 packages a year, with SiRUP's mix of methods and pagu.

Mostly Pengadaan Langsung under its ceiling, a share of swakelola, many small packages and few
large ones, and a few packages withdrawn or deleted from SiRUP (which no longer count).
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from opd.models import Opd
from pengadaan.demo.katalog import KS, Item, katalog_opd
from pengadaan.demo.pagu import BATAS_PL, JUTA, PL, ribu
from pengadaan.demo.rencana import DemoPlan
from pengadaan.models import PaketRup, TipePaket

METODE = (PL, "E-Purchasing", "Tender", "Dikecualikan", "Penunjukan Langsung", "Darurat")
BOBOT_METODE = (56, 16, 9, 10, 6, 3)
# Packages start early in the year more often than late.
BOBOT_BULAN = (14, 12, 12, 10, 9, 8, 8, 7, 6, 6, 5, 3)


def rup_opd_plan(plan: DemoPlan, opd: Opd, tahun: int) -> list[PaketRup]:
    """Plan the OPD's RUP packages of `tahun`, none starting after this month."""
    rng = plan.rng
    pool_sw, pool_py = katalog_opd(opd)
    n = rng.randint(12, 20)
    n_sw = min(len(pool_sw), max(2, round(n * rng.uniform(0.18, 0.32))))
    items = rng.sample(pool_sw, n_sw) + rng.sample(pool_py, min(len(pool_py), n - n_sw))
    bulan_maks = 12 if tahun < plan.tahun_ini else plan.today.month
    hasil = []
    for item in items:
        bulan = 1 if item.bulanan else rng.choices(range(1, 13), weights=BOBOT_BULAN)[0]
        metode, pagu = _metode_dan_pagu(plan, item)
        paket = paket_plan(plan, opd, tahun, item, metode=metode, pagu=pagu, bulan=min(bulan, bulan_maks))
        if rng.random() < 0.03:  # a few withdrawn or deleted packages, which no longer count
            paket.status_aktif_rup = False
            paket.status_delete_rup = rng.random() < 0.5
        hasil.append(paket)
    return hasil


def _metode_dan_pagu(plan: DemoPlan, item: Item) -> tuple[str, Decimal]:
    """The selection method and pagu of a package: a PL stays under its ceiling, a tender is large."""
    if item.tipe_swakelola:
        return "", _pagu(plan, 10 * JUTA, 300 * JUTA)
    metode = plan.rng.choices(METODE, weights=BOBOT_METODE)[0]
    if metode == "Tender" and item.jenis == KS:
        metode = "Seleksi"
    if metode == PL:
        pagu = _pagu(plan, 5 * JUTA, BATAS_PL[item.jenis] * Decimal("0.95"))
    elif metode in ("Tender", "Seleksi"):
        pagu = _pagu(plan, 200 * JUTA, 400 * JUTA)
    else:
        pagu = _pagu(plan, 5 * JUTA, 400 * JUTA)
    return metode, pagu


def _pagu(plan: DemoPlan, lo: Decimal, hi: Decimal) -> Decimal:
    # Log-uniform: many small packages, few large ones, as in real RUP data.
    return ribu(math.exp(plan.rng.uniform(math.log(lo), math.log(hi))))


def paket_plan(plan: DemoPlan, opd: Opd, tahun: int, item: Item, *, metode: str, pagu: Decimal, bulan: int) -> PaketRup:
    """Plan one announced, active RUP package of `item`, named with the OPD's PPK."""
    ppk = plan.profil[opd.pk].ppk
    paket = PaketRup(
        opd=opd,
        kd_rup=next(plan.kd_rup[tahun]) + plan.rng.randint(0, 6),
        tahun_anggaran=tahun,
        nama_paket=item.nama,
        pagu=pagu,
        tipe_paket=TipePaket.SWAKELOLA if item.tipe_swakelola else TipePaket.PENYEDIA,
        metode_pengadaan="" if item.tipe_swakelola else metode,
        jenis_pengadaan=item.jenis,
        tipe_swakelola=item.tipe_swakelola,
        sumber_dana="APBD",
        tgl_awal_pemilihan=date(tahun, bulan, 1),
        status_umumkan_rup="Terumumkan",
        status_aktif_rup=True,
        status_delete_rup=False,
        nip_ppk=ppk.nip,
        nama_ppk=ppk.nama,
    )
    plan.paket.append(paket)
    plan.item_paket[(tahun, paket.kd_rup)] = item
    return paket
