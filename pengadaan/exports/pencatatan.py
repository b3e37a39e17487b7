"""Columns of the record list export: LKPP's field names, in LKPP's order where LKPP has one.

A column LKPP publishes for pencatatan takes its name and field from the kind's contract
(pengadaan.imports.contracts); the others (the OPD's SiRUP code and name, the kind, the total
paid, the status as one word) are the list's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pengadaan.exports.base import Column
from pengadaan.imports.contracts import NONTENDER, SWAKELOLA
from spse_tracker.formats import money_or_none


def _field(name: str, *, is_money: bool) -> Callable[[Any], Any]:
    if is_money:
        return lambda p: money_or_none(getattr(p, name))
    return lambda p: getattr(p, name)


def lkpp(*names: str) -> tuple[Column, ...]:
    """Pencatatan columns as LKPP names them (non tender or swakelola), each read from its contract's field."""
    contract_columns = {c.name: c for contract in (NONTENDER, SWAKELOLA) for c in contract.columns}
    return tuple(
        Column(name, _field(contract_columns[name].field, is_money=contract_columns[name].is_money)) for name in names
    )


PENCATATAN_COLUMNS = (
    Column("kd_satker", lambda p: p.opd.kd_satker),  # SiRUP's code for both kinds (LKPP's pencatatan has SPSE's)
    Column("nama_satker", lambda p: p.opd.nama_satker),
    Column("jenis_pencatatan", lambda p: p.get_jenis_display()),
    *lkpp("tahun_anggaran", "kd_rup", "kd_nontender_pct", "kd_swakelola_pct", "nama_paket", "pagu"),
    Column("total_realisasi", lambda p: money_or_none(p.total_realisasi)),
    *lkpp(
        "nilai_pdn_pct",
        "nilai_umk_pct",
        "sumber_dana",
        "kategori_pengadaan",
        "mtd_pemilihan",
        "bukti_pembayaran",
        "tipe_swakelola",
    ),
    Column("status", lambda p: p.get_status_display()),  # LKPP splits it in two columns of SPSE's wording
    *lkpp("alasan_pembatalan", "nip_ppk", "nama_ppk", "tgl_buat_paket", "tgl_mulai_paket", "tgl_selesai_paket"),
)
