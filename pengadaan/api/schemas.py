"""What each endpoint answers, in LKPP's own field names (DESIGN §4; `pengadaan.imports.contracts` lists them
as LKPP publishes them), and how a row of ours becomes one.

Money, percentages and the median lag are decimal strings ("1450200.00", "45.25"), never floats: a JSON
number would lose cents above 2^53 in many readers. Dates are ISO 8601.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from opd.models import Opd
from pengadaan.choices import JenisPencatatan
from pengadaan.dashboards.selectors import DashboardRow
from pengadaan.models import PadananSpse, PaketRup, Pencatatan, Realisasi
from spse_tracker.formats import money


class HalamanOut(Schema):
    jumlah: int = Field(description="Jumlah seluruh baris yang cocok.")
    halaman: int
    per_halaman: int


class OpdOut(Schema):
    kd_satker: str = Field(description="Kode satker SiRUP.")
    kd_satker_str: str
    kd_satker_spse: str | None = Field(description="Kode satker di data pencatatan SPSE.")
    nama_satker: str
    singkatan: str
    jenis_satker: str
    aktif: bool


class HalamanOpd(HalamanOut):
    hasil: list[OpdOut]


def opd_out(opd: Opd) -> dict:
    return {
        "kd_satker": opd.kd_satker,
        "kd_satker_str": opd.kd_satker_str,
        "kd_satker_spse": opd.kd_satker_spse,
        "nama_satker": opd.nama_satker,
        "singkatan": opd.singkatan,
        "jenis_satker": opd.jenis,
        "aktif": opd.aktif,
    }


class RupOut(Schema):
    kd_rup: int
    tahun_anggaran: int
    kd_satker: str
    nama_paket: str
    pagu: Decimal
    tipe_paket: str = Field(description="Penyedia atau Swakelola.")
    metode_pengadaan: str
    jenis_pengadaan: str
    tipe_swakelola: int | None
    sumber_dana: str
    tgl_awal_pemilihan: dt.date | None = Field(
        description="Bulan rencana pemilihan (penyedia) atau awal pelaksanaan (swakelola), sebagai tanggal 1."
    )
    status_umumkan_rup: str
    status_aktif_rup: bool
    status_delete_rup: bool
    nip_ppk: str
    nama_ppk: str


class HalamanRup(HalamanOut):
    hasil: list[RupOut]


def rup_out(paket: PaketRup) -> dict:
    return {
        "kd_rup": paket.kd_rup,
        "tahun_anggaran": paket.tahun_anggaran,
        "kd_satker": paket.opd.kd_satker,
        "nama_paket": paket.nama_paket,
        "pagu": paket.pagu,
        "tipe_paket": paket.tipe_paket,
        "metode_pengadaan": paket.metode_pengadaan,
        "jenis_pengadaan": paket.jenis_pengadaan,
        "tipe_swakelola": paket.tipe_swakelola,
        "sumber_dana": paket.sumber_dana,
        "tgl_awal_pemilihan": paket.tgl_awal_pemilihan,
        "status_umumkan_rup": paket.status_umumkan_rup,
        "status_aktif_rup": paket.status_aktif_rup,
        "status_delete_rup": paket.status_delete_rup,
        "nip_ppk": paket.nip_ppk,
        "nama_ppk": paket.nama_ppk,
    }


class RealisasiOut(Schema):
    jenis_realisasi: str
    no_realisasi: str
    tgl_realisasi: dt.date
    nilai_realisasi: Decimal
    dok_realisasi: str
    ket_realisasi: str
    nama_penyedia: str | None = Field(description="Non tender: penyedia. Kosong (null) untuk swakelola.")
    npwp_penyedia: str | None
    nama_pelaksana: str | None = Field(description="Swakelola: pelaksana. Kosong (null) untuk non tender.")
    npwp_pelaksana: str | None
    tgl_dicatat: dt.date = Field(description="Kapan pembayaran ini pertama kali dicatat.")
    di_spse: bool


def realisasi_out(payment: Realisasi, jenis: str) -> dict:
    nama = payment.penyedia.nama if payment.penyedia else ""
    npwp = (payment.penyedia.npwp or "") if payment.penyedia else ""
    swakelola = jenis == JenisPencatatan.SWAKELOLA
    return {
        "jenis_realisasi": payment.jenis_realisasi,
        "no_realisasi": payment.no_realisasi,
        "tgl_realisasi": payment.tgl_realisasi,
        "nilai_realisasi": payment.nilai_realisasi,
        "dok_realisasi": payment.dok_realisasi,
        "ket_realisasi": payment.ket_realisasi,
        "nama_penyedia": None if swakelola else nama,
        "npwp_penyedia": None if swakelola else npwp,
        "nama_pelaksana": nama if swakelola else None,
        "npwp_pelaksana": npwp if swakelola else None,
        "tgl_dicatat": payment.tgl_dicatat,
        "di_spse": payment.di_spse,
    }


class PencatatanRingkasOut(Schema):
    id: int = Field(description="Kode pencatatan di aplikasi ini (untuk /api/v1/pencatatan/{id}).")
    jenis: str = Field(description="non_tender atau swakelola.")
    kd_nontender_pct: int | None
    kd_swakelola_pct: int | None
    tahun_anggaran: int
    kd_satker: str
    kd_rup: str = Field(description="Kode paket RUP yang ditautkan, dipisah ';'.")
    nama_paket: str
    pagu: Decimal
    status: str = Field(description="draft, berjalan, selesai atau batal.")
    tgl_buat_paket: dt.date


def ringkas_out(record: Pencatatan) -> dict:
    return {
        "id": record.pk,
        "jenis": record.jenis,
        "kd_nontender_pct": record.kd_nontender_pct,
        "kd_swakelola_pct": record.kd_swakelola_pct,
        "tahun_anggaran": record.tahun_anggaran,
        "kd_satker": record.opd.kd_satker,
        "kd_rup": record.kd_rup,
        "nama_paket": record.nama_paket,
        "pagu": record.pagu,
        "status": record.status,
        "tgl_buat_paket": record.tgl_buat_paket,
    }


class PencatatanOut(PencatatanRingkasOut):
    total_realisasi: Decimal = Field(description="Jumlah nilai_realisasi pembayarannya.")
    nilai_pdn_pct: Decimal | None = Field(description="Nilai PDN dalam Rupiah (bukan persen), seperti di SPSE.")
    nilai_umk_pct: Decimal | None = Field(description="Nilai UMK dalam Rupiah (bukan persen), seperti di SPSE.")
    sumber_dana: str
    uraian_pekerjaan: str
    informasi_lainnya: str
    kategori_pengadaan: str
    mtd_pemilihan: str
    bukti_pembayaran: str
    tipe_swakelola: int | None
    nama_pelaksana: str = Field(description="Pelaksana swakelola tipe II–IV.")
    alasan_pembatalan: str
    nip_ppk: str
    nama_ppk: str
    tgl_mulai_paket: dt.date | None
    tgl_selesai_paket: dt.date | None
    realisasi: list[RealisasiOut]


class HalamanPencatatan(HalamanOut):
    hasil: list[PencatatanOut]


def pencatatan_out(record: Pencatatan, payments: list[Realisasi]) -> dict:
    return {
        **ringkas_out(record),
        "total_realisasi": money(record.total_realisasi),  # SQLite sums lose their scale
        "nilai_pdn_pct": record.nilai_pdn_pct,
        "nilai_umk_pct": record.nilai_umk_pct,
        "sumber_dana": record.sumber_dana,
        "uraian_pekerjaan": record.uraian_pekerjaan,
        "informasi_lainnya": record.informasi_lainnya,
        "kategori_pengadaan": record.kategori_pengadaan,
        "mtd_pemilihan": record.mtd_pemilihan,
        "bukti_pembayaran": record.bukti_pembayaran,
        "tipe_swakelola": record.tipe_swakelola,
        "nama_pelaksana": record.pelaksana_swakelola,
        "alasan_pembatalan": record.alasan_pembatalan,
        "nip_ppk": record.nip_ppk,
        "nama_ppk": record.nama_ppk,
        "tgl_mulai_paket": record.tgl_mulai_paket,
        "tgl_selesai_paket": record.tgl_selesai_paket,
        "realisasi": [realisasi_out(p, record.jenis) for p in payments],
    }


class BarisDasbor(Schema):
    """One row of DESIGN §5's table: the same columns, names and numbers as `/dashboard/?_export=csv`."""

    kd_satker: str
    nama_satker: str
    rup_paket: int
    rup_pagu: Decimal
    tercatat_paket: int
    tercatat_pagu: Decimal
    persen_tercatat: Decimal | None
    pencatatan_aktif: int
    pencatatan_selesai: int
    pencatatan_draft: int
    realisasi_nilai: Decimal
    median_lag_hari: Decimal | None
    persen_input_nov_des: Decimal | None
    red_flags: int
    tercatat_spse_paket: int
    tercatat_spse_pagu: Decimal
    persen_tercatat_spse: Decimal | None


def baris_out(row: DashboardRow, columns: tuple[str, ...]) -> dict:
    return {name: row.value(name) for name in columns}


class DasborOut(Schema):
    tahun: int
    kolom: list[str] = Field(description="Urutan kolom, sama dengan ekspor CSV/XLSX dasbor.")
    baris: list[BarisDasbor] = Field(description="Satu baris per OPD yang boleh Anda lihat.")
    kota: BarisDasbor | None = Field(description="Baris kota (semua OPD); hanya untuk pengawas dan administrator.")
    sedang_diperbarui: bool = Field(
        False, description="true: sebagian angka belum memuat perubahan terakhir; worker sedang menghitung ulang."
    )
    angka_per: dt.datetime | None = Field(
        None, description="Bila sedang_diperbarui: kapan angka tertua yang ditampilkan dihitung."
    )


class TandaBahayaOut(Schema):
    kode: str = Field(description="Identitas tetap tanda bahaya (untuk tinjauan).")
    rule: int = Field(description="Nomor aturan 1–9 (DESIGN §7).")
    judul: str
    alasan: str
    kd_satker: str
    pencatatan_ids: list[int] = Field(description="Pencatatan yang ditandai (id untuk /api/v1/pencatatan/{id}).")


class HalamanTandaBahaya(HalamanOut):
    tahun: int
    hasil: list[TandaBahayaOut]


class BelumDiSpseOut(PencatatanRingkasOut):
    umur_hari: int = Field(description="Hari sejak dicatat (tgl_buat_paket).")


class PerbedaanOut(Schema):
    kolom: str
    aplikasi: str
    spse: str


class BerbedaOut(PencatatanRingkasOut):
    perbedaan: list[PerbedaanOut]


def perbedaan_out(record: Pencatatan) -> dict:
    return {
        **ringkas_out(record),
        "perbedaan": [
            {"kolom": str(d.kolom), "aplikasi": str(d.aplikasi), "spse": str(d.spse)} for d in record.perbedaan
        ],
    }


class PadananOut(Schema):
    id: int
    alasan: str
    kode_spse: int
    lokal: PencatatanRingkasOut
    spse: PencatatanRingkasOut


def padanan_out(pair: PadananSpse) -> dict:
    return {
        "id": pair.pk,
        "alasan": pair.alasan,
        "kode_spse": pair.kode_spse,
        "lokal": ringkas_out(pair.lokal),
        "spse": ringkas_out(pair.spse),
    }


class RekonsiliasiOut(Schema):
    tahun: int
    belum_di_spse: list[BelumDiSpseOut] = Field(description="Di aplikasi, belum di SPSE; terlama dahulu.")
    hanya_di_spse: list[PencatatanRingkasOut] = Field(description="Diterbitkan SPSE, tidak dikenal aplikasi.")
    berbeda_dari_spse: list[BerbedaOut] = Field(description="Cocok dengan SPSE tetapi pagu/status/PPK/total berbeda.")
    padanan_menunggu: list[PadananOut] = Field(description="Pasangan yang menunggu keputusan OPD.")


class Pesan(Schema):
    detail: str


class PesanKesalahan(Schema):
    detail: str
    kesalahan: list[dict[str, str]] = []
