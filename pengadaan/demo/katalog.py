"""The catalogue of RUP package names the demo draws from: common to every OPD, per OPD, and per kecamatan.

Names are what Kota Tangerang OPDs really plan; `bulanan` marks the ones paid every month, whose
records run the whole year.
"""

from __future__ import annotations

from dataclasses import dataclass

from opd.models import Opd
from pengadaan.models import JenisPengadaan

B, K, KS, JL = (
    JenisPengadaan.BARANG,
    JenisPengadaan.KONSTRUKSI,
    JenisPengadaan.KONSULTANSI,
    JenisPengadaan.JASA_LAINNYA,
)


@dataclass(frozen=True)
class Item:
    """One catalogue entry: a package name and how it is procured."""

    nama: str
    jenis: str = ""  # JenisPengadaan for penyedia packages, "" for swakelola
    tipe_swakelola: int | None = None
    bulanan: bool = False  # paid every month (services, meals, fuel)


def beli(nama: str, jenis: str, bulanan: bool = False) -> Item:
    """A package bought from a supplier (tipe paket Penyedia)."""
    return Item(nama, jenis, None, bulanan)


def swakelola(nama: str, tipe: int = 1) -> Item:
    """A package the government carries out itself or with a partner (tipe swakelola 1–4)."""
    return Item(nama, "", tipe)


UMUM = (
    beli("Belanja Alat Tulis Kantor", B),
    beli("Belanja Bahan Cetak dan Penggandaan", B),
    beli("Belanja Makan dan Minum Rapat", B, bulanan=True),
    beli("Pemeliharaan Gedung Kantor", K),
    beli("Pemeliharaan Kendaraan Dinas Operasional", JL, bulanan=True),
    beli("Jasa Kebersihan Kantor", JL, bulanan=True),
    beli("Jasa Tenaga Keamanan Kantor", JL, bulanan=True),
    beli("Pengadaan Komputer dan Laptop", B),
    beli("Pengadaan Mebeulair Kantor", B),
    beli("Belanja Pakaian Dinas Harian", B),
    beli("Sewa Gedung dan Ruang Pertemuan", JL),
    beli("Belanja Bahan Bakar Minyak Kendaraan Dinas", B, bulanan=True),
    beli("Langganan Jaringan Internet Kantor", JL, bulanan=True),
    beli("Pengadaan Air Conditioner (AC)", B),
    beli("Jasa Konsultansi Penyusunan Dokumen Perencanaan", KS),
    beli("Pemeliharaan Instalasi Listrik Gedung", K),
    beli("Belanja Perlengkapan Kantor", B),
    beli("Pemeliharaan Peralatan dan Mesin Kantor", JL),
)
UMUM_SWAKELOLA = (
    swakelola("Penyusunan Rencana Kerja (Renja)"),
    swakelola("Penyusunan Laporan Kinerja Instansi Pemerintah (LKjIP)"),
    swakelola("Penyusunan Dokumen Perencanaan dan Anggaran"),
    swakelola("Rapat Koordinasi dan Konsultasi"),
    swakelola("Monitoring dan Evaluasi Program"),
    swakelola("Bimbingan Teknis Peningkatan Kapasitas Aparatur"),
    swakelola("Pengelolaan Arsip Dinamis"),
    swakelola("Penyusunan Kajian Bersama Perguruan Tinggi", 2),
)
KHUSUS: dict[str, tuple[Item, ...]] = {
    "Disdik": (
        beli("Pengadaan Buku Bacaan Perpustakaan Sekolah", B),
        beli("Rehabilitasi Ruang Kelas SD Negeri", K),
        beli("Pengadaan Alat Peraga Pendidikan SD", B),
        beli("Jasa Konsultansi Perencanaan Rehabilitasi Sekolah", KS),
        swakelola("Pelatihan Guru Penggerak"),
        swakelola("Olimpiade Sains Nasional Tingkat Kota"),
        swakelola("Pendampingan Literasi Sekolah oleh Komunitas", 3),
    ),
    "Dinkes": (
        beli("Pengadaan Obat dan Bahan Medis Habis Pakai", B),
        beli("Pengadaan Alat Kesehatan Puskesmas", B),
        beli("Pemeliharaan Alat Kesehatan Puskesmas", JL),
        beli("Pemberian Makanan Tambahan Balita", B),
        beli("Rehabilitasi Gedung Puskesmas Pembantu", K),
        swakelola("Penguatan Posyandu oleh Kader Kesehatan", 4),
        swakelola("Survei Kesehatan Masyarakat bersama BPS", 2),
    ),
    "DPUPR": (
        beli("Pemeliharaan Rutin Jalan Lingkungan", K),
        beli("Perbaikan Saluran Drainase", K),
        beli("Jasa Konsultansi Perencanaan Jembatan", KS),
        beli("Jasa Konsultansi Pengawasan Peningkatan Jalan", KS),
        beli("Pengadaan Material Tambal Sulam Jalan", B),
        swakelola("Pemeliharaan Jalan Lingkungan Padat Karya", 4),
    ),
    "Disperkim": (
        beli("Pemasangan Penerangan Jalan Umum Lingkungan", K),
        beli("Pemeliharaan Taman Kota", JL),
        beli("Perbaikan Rumah Tidak Layak Huni", K),
        swakelola("Bedah Rumah oleh Kelompok Masyarakat", 4),
    ),
    "DLH": (
        beli("Jasa Pengangkutan Sampah", JL, bulanan=True),
        beli("Pengadaan Tempat Sampah Terpilah", B),
        beli("Uji Kualitas Air Sungai Cisadane", JL),
        swakelola("Pengelolaan Bank Sampah oleh Kelompok Masyarakat", 4),
    ),
    "Dishub": (
        beli("Pemeliharaan Alat Pemberi Isyarat Lalu Lintas", JL),
        beli("Pengadaan Rambu Lalu Lintas", B),
        beli("Pengecatan Marka Jalan", K),
    ),
    "Diskominfo": (
        beli("Sewa Bandwidth Internet", JL, bulanan=True),
        beli("Pengembangan Aplikasi Layanan Publik", KS),
        beli("Pengadaan Perangkat Jaringan", B),
    ),
    "Satpol PP": (
        beli("Pengadaan Pakaian Dinas Lapangan Satpol PP", B),
        beli("Pengadaan Perlengkapan Penertiban", B),
        swakelola("Operasi Penertiban Ketertiban Umum"),
    ),
    "BPBD": (
        beli("Pengadaan Perahu Karet dan Peralatan Evakuasi", B),
        beli("Pengadaan Logistik Bantuan Bencana", B),
        swakelola("Pelatihan Relawan Kelurahan Tangguh Bencana", 3),
    ),
    "RSUD": (
        beli("Pengadaan Linen Rumah Sakit", B),
        beli("Belanja Bahan Makanan Pasien", B, bulanan=True),
        beli("Pengadaan Reagen Laboratorium", B),
        beli("Pengadaan Gas Medis Oksigen", B, bulanan=True),
        beli("Pemeliharaan Alat Kesehatan Rumah Sakit", JL),
        beli("Jasa Laundry Linen", JL, bulanan=True),
    ),
    "Dinsos": (
        beli("Pengadaan Paket Sembako Bantuan Sosial", B),
        beli("Permakanan Lanjut Usia Terlantar", B, bulanan=True),
        swakelola("Pendampingan Penyandang Disabilitas oleh Ormas", 3),
    ),
    "Setwan": (
        beli("Sewa Kendaraan Pimpinan DPRD", JL),
        beli("Makan dan Minum Rapat Paripurna", B, bulanan=True),
        swakelola("Penyusunan Naskah Akademik Raperda bersama Perguruan Tinggi", 2),
    ),
    "Disbudpar": (
        beli("Promosi Wisata Kota Tangerang", JL),
        swakelola("Festival Budaya Cisadane", 3),
    ),
    "Dispora": (
        beli("Pengadaan Peralatan Olahraga", B),
        swakelola("Pekan Olahraga Kota", 3),
    ),
    "DKP": (
        beli("Pengadaan Bibit Tanaman Pekarangan", B),
        swakelola("Pembinaan Kelompok Wanita Tani", 4),
    ),
    "Disdukcapil": (
        beli("Pengadaan Blangko KTP Elektronik dan Tinta Printer", B),
        beli("Pemeliharaan Perangkat Perekaman Data", JL),
    ),
    "Bapenda": (
        beli("Pencetakan Surat Pemberitahuan Pajak Terutang PBB", B),
        swakelola("Pendataan Objek Pajak Daerah"),
    ),
}
KECAMATAN = (
    beli("Pemeliharaan Taman dan Ruang Terbuka Hijau Kecamatan", JL),
    beli("Perbaikan Jalan Lingkungan Kelurahan", K),
    beli("Perbaikan Saluran Lingkungan Kelurahan", K),
    swakelola("Pemberdayaan Masyarakat Kelurahan oleh Kelompok Masyarakat", 4),
    swakelola("Pelatihan Keterampilan Warga"),
    swakelola("Kerja Bakti Kebersihan Lingkungan bersama LPM", 3),
)


def katalog_opd(opd: Opd) -> tuple[list[Item], list[Item]]:
    """The items `opd` may plan: (swakelola, penyedia), its own ones first, then the common ones."""
    khusus = KECAMATAN if opd.jenis == Opd.Jenis.KECAMATAN else KHUSUS.get(opd.singkatan, ())
    pool_sw = [i for i in (*khusus, *UMUM_SWAKELOLA) if i.tipe_swakelola]
    pool_py = [i for i in (*khusus, *UMUM) if not i.tipe_swakelola]
    return pool_sw, pool_py
