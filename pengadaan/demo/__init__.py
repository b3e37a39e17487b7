"""Demo procurement data (DESIGN §10): two fiscal years of RUP packages, pencatatan and realisasi.

The data is generated with a fixed seed, so every run gives the same rows. It looks like
what a Kota Tangerang OPD really records: mostly Pengadaan Langsung, late recording with
a year-end pile-up, completion that differs per OPD, and at least one case of each red
flag of DESIGN §7 (in Disdik and Dinkes, where the demo users are). It records in both places
(DESIGN §12): some records only in the app, some only in SPSE, most matched, a few matched ones that
differ from SPSE, and this year's pairs an import could not be sure of, waiting in Disdik and Dinkes.

Modules, from the entry point down (each imports only modules listed below it):

- `seed`: `seed_pengadaan`, the entry point: clears the two years, plans, writes in bulk.
- `tanda_bahaya`: the deliberate red-flag cases, whose names tests point at.
- `rekonsiliasi`: where each record stands against SPSE (loaded from it, or matched; a few differing), and the pairs.
- `pencatatan`: which packages are recorded, when and in what state.
- `realisasi`: the payments of each record, with proof and recording dates.
- `rup`: the RUP plan of each OPD and year.
- `rencana`: the in-memory plan and each OPD's habits (its PPK, usual suppliers, recording rate).
- `penyedia`: suppliers and swakelola executors (names, NPWPs), upserted so they survive a reseed.
- `pejabat`: the PPK and demo users named on the rows.
- `katalog`: the package names each OPD draws from.
- `pagu`: money shorthands and the PL ceilings.
"""

from __future__ import annotations

from pengadaan.demo.pencatatan import ALASAN_GANDA
from pengadaan.demo.rekonsiliasi import NAMA_PADANAN_DUA_CALON, NAMA_PADANAN_PAGU_DINKES, NAMA_PADANAN_PAGU_DISDIK
from pengadaan.demo.seed import seed_pengadaan
from pengadaan.demo.tanda_bahaya import (
    NAMA_BUKTI_TIDAK_SESUAI,
    NAMA_INPUT_GANDA,
    NAMA_PDN_MELEBIHI,
    NAMA_PDN_SERATUS,
    NAMA_PEMECAHAN_PAKET,
    NAMA_PL_DI_ATAS_BATAS,
    NAMA_REALISASI_MELEBIHI_PAGU,
    NAMA_SELESAI_TANPA_REALISASI,
    NAMA_TERLAMBAT_SELESAI,
)

__all__ = [
    "ALASAN_GANDA",
    "NAMA_BUKTI_TIDAK_SESUAI",
    "NAMA_INPUT_GANDA",
    "NAMA_PADANAN_DUA_CALON",
    "NAMA_PADANAN_PAGU_DINKES",
    "NAMA_PADANAN_PAGU_DISDIK",
    "NAMA_PDN_MELEBIHI",
    "NAMA_PDN_SERATUS",
    "NAMA_PEMECAHAN_PAKET",
    "NAMA_PL_DI_ATAS_BATAS",
    "NAMA_REALISASI_MELEBIHI_PAGU",
    "NAMA_SELESAI_TANPA_REALISASI",
    "NAMA_TERLAMBAT_SELESAI",
    "seed_pengadaan",
]
