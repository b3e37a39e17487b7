"""The demo's plan in memory: every row to write, and the counters and per-OPD habits used to draw them.

The generator modules (`rup`, `pencatatan`, `realisasi`, `tanda_bahaya`, `rekonsiliasi`) add to one `DemoPlan`;
only `seed` writes it. Every random choice comes from the plan's single seeded `rng`, in a fixed
order, which is why the same seed always gives the same rows.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import count

from opd.models import Opd, User
from pengadaan.demo.katalog import Item
from pengadaan.demo.pejabat import Ppk, pengguna_demo, ppk_opd
from pengadaan.demo.penyedia import penyedia_groups
from pengadaan.models import PadananSpse, PaketRup, Pencatatan, Penyedia, Realisasi

# The demo users' OPDs record at a typical rate, not an extreme one, so what they see is ordinary.
LAJU_OPD_DEMO = (("Disdik", 0.85), ("Dinkes", 0.75))


@dataclass
class PencatatanPlan:
    """A record to write, with the RUP packages it links and its payments."""

    pencatatan: Pencatatan
    paket: list[PaketRup]
    bulanan: bool = False
    menumpuk: bool = False  # recorded in the year-end batch rather than as it went
    realisasi: list[Realisasi] = field(default_factory=list)
    contoh: bool = False  # a deliberate example (a red flag, a pair): the later random draws leave it alone


@dataclass
class ProfilOpd:
    """How one OPD behaves in the demo: who signs, whom it buys from, how diligently it records."""

    ppk: Ppk
    langganan: list[Penyedia]  # the suppliers it usually buys from
    laju: float  # share of its eligible packages it records


class DemoPlan:
    """Everything planned so far, plus the state later draws depend on (code counters, PL totals)."""

    def __init__(self, *, today: date, rng: random.Random, opds: list[Opd], penyedia: list[Penyedia]) -> None:
        self.today = today
        self.rng = rng
        self.tahun_lalu, self.tahun_ini = today.year - 1, today.year
        self.paket: list[PaketRup] = []
        self.rencana: list[PencatatanPlan] = []
        self.padanan: list[PadananSpse] = []  # pairs an import could not be sure of (DESIGN §12)
        self.berbeda: list[PencatatanPlan] = []  # matched records made to differ from SPSE
        self.item_paket: dict[tuple[int, int], Item] = {}  # (tahun, kd_rup) → catalogue item
        self.kd_rup = {self.tahun_lalu: count(51_230_000, 7), self.tahun_ini: count(57_810_000, 7)}
        # SPSE codes carry the year, so that a reseed in a later year never collides with kept rows.
        self.kd_nontender = {t: count(30_000_000 + t % 100 * 100_000 + 17, 3) for t in self.kd_rup}
        self.kd_swakelola = {t: count(40_000_000 + t % 100 * 100_000 + 51, 3) for t in self.kd_rup}
        self.no_bukti: dict[tuple[int, int, str], int] = defaultdict(int)  # (opd, tahun, awalan) → last number
        # (opd, tahun, kategori, npwp) → PL pagu given to a supplier, to keep it under the PL ceiling.
        self.pl_per_pemasok: dict[tuple[int, int, str, str | None], Decimal] = defaultdict(Decimal)
        self.tanda, self.pemasok, self.pelaksana = penyedia_groups(penyedia)
        self.users: dict[str, User] = pengguna_demo()
        self.profil: dict[int, ProfilOpd] = {opd.pk: self._profil_baru(opd) for opd in opds}
        for singkatan, laju in LAJU_OPD_DEMO:
            for opd in opds:
                if opd.singkatan == singkatan:
                    self.profil[opd.pk].laju = laju

    def _profil_baru(self, opd: Opd) -> ProfilOpd:
        rng = self.rng
        ppk = ppk_opd(opd, self.users, rng)
        langganan = rng.sample(self.pemasok, 8)
        # How diligently the OPD records: some near 100%, some under half (the dashboard's spread).
        r = rng.random()
        laju = rng.uniform(0.38, 0.55) if r < 0.12 else rng.uniform(0.94, 1.0) if r < 0.37 else rng.uniform(0.72, 0.92)
        return ProfilOpd(ppk, langganan, laju)
