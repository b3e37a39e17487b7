"""Our data in LKPP's own columns, per kind: what an import of the same kind reads back unchanged."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet

from opd.models import Opd, User
from pengadaan.exports import Column
from pengadaan.imports.contracts import CONTRACTS
from pengadaan.models import JenisPencatatan, PaketRup, Pencatatan, Realisasi, Status, TipePaket

STATUS_TO_SPSE = {
    Status.DRAFT: ("Aktif", "Paket Sedang Berjalan"),  # SPSE has no draft; a draft is exported as running
    Status.BERJALAN: ("Aktif", "Paket Sedang Berjalan"),
    Status.SELESAI: ("Aktif", "Paket Selesai"),
    Status.BATAL: ("Ditutup", "Paket Dibatalkan"),
}


def _text_int(value: int | None) -> str | None:
    return None if value is None else str(value)


def _pencatatan(jenis: str) -> dict[str, Callable[[Pencatatan], Any]]:
    key = "kd_nontender_pct" if jenis == JenisPencatatan.NON_TENDER else "kd_swakelola_pct"
    status_col = "status_nontender_pct" if jenis == JenisPencatatan.NON_TENDER else "status_swakelola_pct"
    getters: dict[str, Callable[[Pencatatan], Any]] = {
        key: lambda p: _text_int(p.kd_pct),
        "tahun_anggaran": lambda p: p.tahun_anggaran,
        "kd_satker": lambda p: p.opd.kd_satker_spse or p.opd.kd_satker,
        "kd_satker_str": lambda p: p.opd.kd_satker_str,
        "kd_rup": lambda p: p.kd_rup,
        "nama_paket": lambda p: p.nama_paket,
        "pagu": lambda p: p.pagu,
        "nilai_pdn_pct": lambda p: p.nilai_pdn_pct,
        "nilai_umk_pct": lambda p: p.nilai_umk_pct,
        "sumber_dana": lambda p: p.sumber_dana,
        "uraian_pekerjaan": lambda p: p.uraian_pekerjaan,
        "informasi_lainnya": lambda p: p.informasi_lainnya,
        "alasan_pembatalan": lambda p: p.alasan_pembatalan,
        "nip_ppk": lambda p: p.nip_ppk,
        "nama_ppk": lambda p: p.nama_ppk,
        "tgl_buat_paket": lambda p: p.tgl_buat_paket,
        "tgl_mulai_paket": lambda p: p.tgl_mulai_paket,
        "tgl_selesai_paket": lambda p: p.tgl_selesai_paket,
        "kategori_pengadaan": lambda p: p.kategori_pengadaan,
        "mtd_pemilihan": lambda p: p.mtd_pemilihan,
        "bukti_pembayaran": lambda p: p.bukti_pembayaran,
        "tipe_swakelola": lambda p: p.tipe_swakelola,
        "tipe_swakelola_nama": lambda p: str(p.get_tipe_swakelola_display()) if p.tipe_swakelola else "",
        "nama_pelaksana": lambda p: p.pelaksana_swakelola,
        status_col: lambda p: STATUS_TO_SPSE[p.status][0],
        f"{status_col}_ket": lambda p: STATUS_TO_SPSE[p.status][1],
    }
    return getters


def _realisasi(parent_key: str, nama: str, npwp: str) -> dict[str, Callable[[Realisasi], Any]]:
    return {
        parent_key: lambda r: _text_int(r.pencatatan.kd_pct),
        "jenis_realisasi": lambda r: r.get_jenis_realisasi_display(),
        "no_realisasi": lambda r: r.no_realisasi,
        "tgl_realisasi": lambda r: r.tgl_realisasi,
        "nilai_realisasi": lambda r: r.nilai_realisasi,
        "dok_realisasi": lambda r: r.dok_realisasi,
        "ket_realisasi": lambda r: r.ket_realisasi,
        "tahun_anggaran": lambda r: r.pencatatan.tahun_anggaran,
        nama: lambda r: r.penyedia.nama if r.penyedia else "",
        npwp: lambda r: (r.penyedia.npwp or "") if r.penyedia else "",
    }


def _rup() -> dict[str, Callable[[PaketRup], Any]]:
    return {
        "kd_rup": lambda p: str(p.kd_rup),
        "tahun_anggaran": lambda p: p.tahun_anggaran,
        "kd_satker": lambda p: p.opd.kd_satker,
        "kd_satker_str": lambda p: p.opd.kd_satker_str,
        "nama_paket": lambda p: p.nama_paket,
        "pagu": lambda p: p.pagu,
        "sumber_dana": lambda p: p.sumber_dana,
        "status_umumkan_rup": lambda p: p.status_umumkan_rup,
        "status_aktif_rup": lambda p: "true" if p.status_aktif_rup else "false",
        "status_delete_rup": lambda p: "true" if p.status_delete_rup else "false",
        "nip_ppk": lambda p: p.nip_ppk,
        "nama_ppk": lambda p: p.nama_ppk,
        "metode_pengadaan": lambda p: p.metode_pengadaan,
        "jenis_pengadaan": lambda p: p.jenis_pengadaan,
        "tgl_awal_pemilihan": lambda p: p.tgl_awal_pemilihan,
        "tipe_swakelola": lambda p: p.tipe_swakelola,
        "tgl_awal_pelaksanaan_kontrak": lambda p: p.tgl_awal_pemilihan,
    }


GETTERS: dict[str, dict[str, Callable[[Any], Any]]] = {
    "satker": {
        "kd_satker": lambda o: o.kd_satker,
        "kd_satker_str": lambda o: o.kd_satker_str,
        "nama_satker": lambda o: o.nama_satker,
        "singkatan": lambda o: o.singkatan,
        "jenis_satker": lambda o: o.get_jenis_display(),
        "kd_satker_spse": lambda o: o.kd_satker_spse,
        "status_satker": lambda o: "Aktif" if o.aktif else "Nonaktif",
    },
    "rup-penyedia": _rup(),
    "rup-swakelola": _rup(),
    "nontender": _pencatatan(JenisPencatatan.NON_TENDER),
    "swakelola": _pencatatan(JenisPencatatan.SWAKELOLA),
    "nontender-realisasi": _realisasi("kd_nontender_pct", "nama_penyedia", "npwp_penyedia"),
    "swakelola-realisasi": _realisasi("kd_swakelola_pct", "nama_pelaksana", "npwp_pelaksana"),
    "users": {
        "username": lambda u: u.username,
        "nama": lambda u: u.nama,
        "email": lambda u: u.email,
        "nip": lambda u: u.nip,
        "kd_satker": lambda u: u.opd.kd_satker if u.opd else "",
        "peran": lambda u: u.peran,
    },
}


def queryset_for(kind: str, user) -> QuerySet:
    """What `user` may export of `kind` (the one access helper), with what the columns need."""
    match kind:
        case "satker":
            return Opd.objects.visible_to(user).order_by("kd_satker")
        case "rup-penyedia" | "rup-swakelola":
            tipe = TipePaket.PENYEDIA if kind == "rup-penyedia" else TipePaket.SWAKELOLA
            return PaketRup.objects.visible_to(user).filter(tipe_paket=tipe).select_related("opd").order_by("pk")
        case "nontender" | "swakelola":
            jenis = JenisPencatatan.NON_TENDER if kind == "nontender" else JenisPencatatan.SWAKELOLA
            key = "kd_nontender_pct" if kind == "nontender" else "kd_swakelola_pct"
            # only records SPSE knows (with their SPSE code) can be read back by key
            return (
                Pencatatan.objects.visible_to(user)
                .filter(jenis=jenis, **{f"{key}__isnull": False})
                .select_related("opd")
                .order_by("pk")
            )
        case "nontender-realisasi" | "swakelola-realisasi":
            jenis = JenisPencatatan.NON_TENDER if kind.startswith("nontender") else JenisPencatatan.SWAKELOLA
            key = "kd_nontender_pct" if jenis == JenisPencatatan.NON_TENDER else "kd_swakelola_pct"
            return (
                Realisasi.objects.visible_to(user)
                .filter(pencatatan__jenis=jenis, **{f"pencatatan__{key}__isnull": False})
                .select_related("pencatatan", "penyedia")
                .order_by("pk")
            )
        case "users":
            return User.objects.visible_to(user).select_related("opd").order_by("username")
    raise ValueError(kind)


def columns_for(kind: str) -> list[Column]:
    getters = GETTERS[kind]
    return [Column(c.name, getters[c.name]) for c in CONTRACTS[kind].columns]


def rows_for(kind: str, user) -> Iterable[Any]:
    return queryset_for(kind, user).iterator(chunk_size=2000)
