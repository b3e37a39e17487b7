"""Columns of the record list export: LKPP's field names, in LKPP's order where LKPP has one."""

from __future__ import annotations

from decimal import Decimal

from pengadaan.exports import Column

CENTS = Decimal("0.01")


def money(value: Decimal | None) -> Decimal | None:
    """Rupiah with two decimals everywhere (SQLite returns sums without their scale)."""
    return None if value is None else Decimal(value).quantize(CENTS)


PENCATATAN_COLUMNS = (
    Column("kd_satker", lambda p: p.opd.kd_satker),
    Column("nama_satker", lambda p: p.opd.nama_satker),
    Column("jenis_pencatatan", lambda p: p.get_jenis_display()),
    Column("tahun_anggaran", lambda p: p.tahun_anggaran),
    Column("kd_rup", lambda p: p.kd_rup),
    Column("kd_nontender_pct", lambda p: p.kd_nontender_pct),
    Column("kd_swakelola_pct", lambda p: p.kd_swakelola_pct),
    Column("nama_paket", lambda p: p.nama_paket),
    Column("pagu", lambda p: money(p.pagu)),
    Column("total_realisasi", lambda p: money(p.total_realisasi)),
    Column("nilai_pdn_pct", lambda p: money(p.nilai_pdn_pct)),
    Column("nilai_umk_pct", lambda p: money(p.nilai_umk_pct)),
    Column("sumber_dana", lambda p: p.sumber_dana),
    Column("kategori_pengadaan", lambda p: p.kategori_pengadaan),
    Column("mtd_pemilihan", lambda p: p.mtd_pemilihan),
    Column("bukti_pembayaran", lambda p: p.bukti_pembayaran),
    Column("tipe_swakelola", lambda p: p.tipe_swakelola),
    Column("status", lambda p: p.get_status_display()),
    Column("alasan_pembatalan", lambda p: p.alasan_pembatalan),
    Column("nip_ppk", lambda p: p.nip_ppk),
    Column("nama_ppk", lambda p: p.nama_ppk),
    Column("tgl_buat_paket", lambda p: p.tgl_buat_paket),
    Column("tgl_mulai_paket", lambda p: p.tgl_mulai_paket),
    Column("tgl_selesai_paket", lambda p: p.tgl_selesai_paket),
)
