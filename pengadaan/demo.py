"""Demo procurement data (DESIGN §10): two fiscal years of RUP packages, pencatatan and realisasi.

The data is generated with a fixed seed, so every run gives the same rows. It looks like
what a Kota Tangerang OPD really records: mostly Pengadaan Langsung, late recording with
a year-end pile-up, completion that differs per OPD, and at least one case of each red
flag of DESIGN §7 (in Disdik and Dinkes, where the demo users are).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import count

from django.db import transaction
from django.db.models import Q
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from opd.models import Opd, Peran, User
from pengadaan.models import (
    NON_TENDER_METHODS,
    BuktiPembayaran,
    BuktiRealisasi,
    JenisPencatatan,
    JenisPengadaan,
    JenisRealisasi,
    MetodePemilihan,
    PaketRup,
    Pencatatan,
    PencatatanRup,
    Penyedia,
    Realisasi,
    Status,
    TipePaket,
)
from pengadaan.models.pencatatan import Sumber

SEED = 20251127
CHANGE_REASON = gettext_noop("Data demo")  # stored as is; pengadaan.riwayat shows it in the reader's language
JUTA = Decimal(1_000_000)

# Names of the deliberate red-flag records, so tests and demos can point at them.
NAMA_PEMECAHAN_PAKET = "Pengadaan Meja dan Kursi Siswa SD Negeri"
NAMA_PL_DI_ATAS_BATAS = "Pengadaan Peralatan Laboratorium IPA SMP Negeri"
NAMA_REALISASI_MELEBIHI_PAGU = "Rehabilitasi Ringan Toilet SD Negeri Cipondoh 3"
NAMA_SELESAI_TANPA_REALISASI = "Belanja Makan dan Minum Rapat Kerja Kepala Sekolah"
NAMA_INPUT_GANDA = "Pengadaan Bahan Medis Habis Pakai Puskesmas Karawaci"
NAMA_TERLAMBAT_SELESAI = "Rehabilitasi Pagar Sekolah SD Negeri Periuk 2"
NAMA_PDN_SERATUS = "Pengadaan Alat Kesehatan Posyandu"
NAMA_PDN_MELEBIHI = "Pengadaan Vaccine Carrier dan Cold Box"
NAMA_BUKTI_TIDAK_SESUAI = "Pengadaan Buku Panduan Guru Kurikulum Merdeka"

B, K, KS, JL = (
    JenisPengadaan.BARANG,
    JenisPengadaan.KONSTRUKSI,
    JenisPengadaan.KONSULTANSI,
    JenisPengadaan.JASA_LAINNYA,
)
PL = MetodePemilihan.PENGADAAN_LANGSUNG.value
# PL ceilings (Perpres 46/2025); a demo PL stays under them unless it is the red-flag case.
BATAS_PL = {B: 200 * JUTA, JL: 200 * JUTA, K: 400 * JUTA, KS: 100 * JUTA}
ALASAN_BATAL = (
    "Kegiatan ditiadakan",
    "Refocusing anggaran",
    "Salah memilih paket RUP",
    "Penyedia mengundurkan diri sebelum kontrak ditandatangani",
)
ALASAN_GANDA = "Paket tercatat ganda (double input)"


@dataclass(frozen=True)
class _Item:
    nama: str
    jenis: str = ""  # JenisPengadaan for penyedia packages, "" for swakelola
    tipe_swakelola: int | None = None
    bulanan: bool = False  # paid every month (services, meals, fuel)


def _py(nama: str, jenis: str, bulanan: bool = False) -> _Item:
    return _Item(nama, jenis, None, bulanan)


def _sw(nama: str, tipe: int = 1) -> _Item:
    return _Item(nama, "", tipe)


UMUM = (
    _py("Belanja Alat Tulis Kantor", B),
    _py("Belanja Bahan Cetak dan Penggandaan", B),
    _py("Belanja Makan dan Minum Rapat", B, bulanan=True),
    _py("Pemeliharaan Gedung Kantor", K),
    _py("Pemeliharaan Kendaraan Dinas Operasional", JL, bulanan=True),
    _py("Jasa Kebersihan Kantor", JL, bulanan=True),
    _py("Jasa Tenaga Keamanan Kantor", JL, bulanan=True),
    _py("Pengadaan Komputer dan Laptop", B),
    _py("Pengadaan Mebeulair Kantor", B),
    _py("Belanja Pakaian Dinas Harian", B),
    _py("Sewa Gedung dan Ruang Pertemuan", JL),
    _py("Belanja Bahan Bakar Minyak Kendaraan Dinas", B, bulanan=True),
    _py("Langganan Jaringan Internet Kantor", JL, bulanan=True),
    _py("Pengadaan Air Conditioner (AC)", B),
    _py("Jasa Konsultansi Penyusunan Dokumen Perencanaan", KS),
    _py("Pemeliharaan Instalasi Listrik Gedung", K),
    _py("Belanja Perlengkapan Kantor", B),
    _py("Pemeliharaan Peralatan dan Mesin Kantor", JL),
)
UMUM_SWAKELOLA = (
    _sw("Penyusunan Rencana Kerja (Renja)"),
    _sw("Penyusunan Laporan Kinerja Instansi Pemerintah (LKjIP)"),
    _sw("Penyusunan Dokumen Perencanaan dan Anggaran"),
    _sw("Rapat Koordinasi dan Konsultasi"),
    _sw("Monitoring dan Evaluasi Program"),
    _sw("Bimbingan Teknis Peningkatan Kapasitas Aparatur"),
    _sw("Pengelolaan Arsip Dinamis"),
    _sw("Penyusunan Kajian Bersama Perguruan Tinggi", 2),
)
KHUSUS: dict[str, tuple[_Item, ...]] = {
    "Disdik": (
        _py("Pengadaan Buku Bacaan Perpustakaan Sekolah", B),
        _py("Rehabilitasi Ruang Kelas SD Negeri", K),
        _py("Pengadaan Alat Peraga Pendidikan SD", B),
        _py("Jasa Konsultansi Perencanaan Rehabilitasi Sekolah", KS),
        _sw("Pelatihan Guru Penggerak"),
        _sw("Olimpiade Sains Nasional Tingkat Kota"),
        _sw("Pendampingan Literasi Sekolah oleh Komunitas", 3),
    ),
    "Dinkes": (
        _py("Pengadaan Obat dan Bahan Medis Habis Pakai", B),
        _py("Pengadaan Alat Kesehatan Puskesmas", B),
        _py("Pemeliharaan Alat Kesehatan Puskesmas", JL),
        _py("Pemberian Makanan Tambahan Balita", B),
        _py("Rehabilitasi Gedung Puskesmas Pembantu", K),
        _sw("Penguatan Posyandu oleh Kader Kesehatan", 4),
        _sw("Survei Kesehatan Masyarakat bersama BPS", 2),
    ),
    "DPUPR": (
        _py("Pemeliharaan Rutin Jalan Lingkungan", K),
        _py("Perbaikan Saluran Drainase", K),
        _py("Jasa Konsultansi Perencanaan Jembatan", KS),
        _py("Jasa Konsultansi Pengawasan Peningkatan Jalan", KS),
        _py("Pengadaan Material Tambal Sulam Jalan", B),
        _sw("Pemeliharaan Jalan Lingkungan Padat Karya", 4),
    ),
    "Disperkim": (
        _py("Pemasangan Penerangan Jalan Umum Lingkungan", K),
        _py("Pemeliharaan Taman Kota", JL),
        _py("Perbaikan Rumah Tidak Layak Huni", K),
        _sw("Bedah Rumah oleh Kelompok Masyarakat", 4),
    ),
    "DLH": (
        _py("Jasa Pengangkutan Sampah", JL, bulanan=True),
        _py("Pengadaan Tempat Sampah Terpilah", B),
        _py("Uji Kualitas Air Sungai Cisadane", JL),
        _sw("Pengelolaan Bank Sampah oleh Kelompok Masyarakat", 4),
    ),
    "Dishub": (
        _py("Pemeliharaan Alat Pemberi Isyarat Lalu Lintas", JL),
        _py("Pengadaan Rambu Lalu Lintas", B),
        _py("Pengecatan Marka Jalan", K),
    ),
    "Diskominfo": (
        _py("Sewa Bandwidth Internet", JL, bulanan=True),
        _py("Pengembangan Aplikasi Layanan Publik", KS),
        _py("Pengadaan Perangkat Jaringan", B),
    ),
    "Satpol PP": (
        _py("Pengadaan Pakaian Dinas Lapangan Satpol PP", B),
        _py("Pengadaan Perlengkapan Penertiban", B),
        _sw("Operasi Penertiban Ketertiban Umum"),
    ),
    "BPBD": (
        _py("Pengadaan Perahu Karet dan Peralatan Evakuasi", B),
        _py("Pengadaan Logistik Bantuan Bencana", B),
        _sw("Pelatihan Relawan Kelurahan Tangguh Bencana", 3),
    ),
    "RSUD": (
        _py("Pengadaan Linen Rumah Sakit", B),
        _py("Belanja Bahan Makanan Pasien", B, bulanan=True),
        _py("Pengadaan Reagen Laboratorium", B),
        _py("Pengadaan Gas Medis Oksigen", B, bulanan=True),
        _py("Pemeliharaan Alat Kesehatan Rumah Sakit", JL),
        _py("Jasa Laundry Linen", JL, bulanan=True),
    ),
    "Dinsos": (
        _py("Pengadaan Paket Sembako Bantuan Sosial", B),
        _py("Permakanan Lanjut Usia Terlantar", B, bulanan=True),
        _sw("Pendampingan Penyandang Disabilitas oleh Ormas", 3),
    ),
    "Setwan": (
        _py("Sewa Kendaraan Pimpinan DPRD", JL),
        _py("Makan dan Minum Rapat Paripurna", B, bulanan=True),
        _sw("Penyusunan Naskah Akademik Raperda bersama Perguruan Tinggi", 2),
    ),
    "Disbudpar": (
        _py("Promosi Wisata Kota Tangerang", JL),
        _sw("Festival Budaya Cisadane", 3),
    ),
    "Dispora": (
        _py("Pengadaan Peralatan Olahraga", B),
        _sw("Pekan Olahraga Kota", 3),
    ),
    "DKP": (
        _py("Pengadaan Bibit Tanaman Pekarangan", B),
        _sw("Pembinaan Kelompok Wanita Tani", 4),
    ),
    "Disdukcapil": (
        _py("Pengadaan Blangko KTP Elektronik dan Tinta Printer", B),
        _py("Pemeliharaan Perangkat Perekaman Data", JL),
    ),
    "Bapenda": (
        _py("Pencetakan Surat Pemberitahuan Pajak Terutang PBB", B),
        _sw("Pendataan Objek Pajak Daerah"),
    ),
}
KECAMATAN = (
    _py("Pemeliharaan Taman dan Ruang Terbuka Hijau Kecamatan", JL),
    _py("Perbaikan Jalan Lingkungan Kelurahan", K),
    _py("Perbaikan Saluran Lingkungan Kelurahan", K),
    _sw("Pemberdayaan Masyarakat Kelurahan oleh Kelompok Masyarakat", 4),
    _sw("Pelatihan Keterampilan Warga"),
    _sw("Kerja Bakti Kebersihan Lingkungan bersama LPM", 3),
)

NAMA_DEPAN = (
    "Agus", "Bambang", "Dewi", "Eko", "Fitri", "Hendra", "Indah", "Joko", "Kurniawati", "Lukman", "Maya", "Nurul",
    "Rahmat", "Siti", "Taufik", "Wahyu", "Yuliani", "Zainal", "Ahmad", "Sri", "Dian", "Rudi", "Asep", "Nining",
)  # fmt: skip
NAMA_BELAKANG = (
    "Santoso", "Pratama", "Hidayat", "Saputra", "Lestari", "Wibowo", "Kusuma", "Rahmawati", "Setiawan", "Nugroho",
    "Suryadi", "Permana", "Hasanah", "Firmansyah", "Maulana", "Sulaeman", "Ramdani", "Fauziah",
)  # fmt: skip
GELAR = (
    "S.T.",
    "S.E.",
    "S.Sos.",
    "S.Kom.",
    "S.H.",
    "S.Pd.",
    "S.K.M.",
    "S.AP.",
    "S.T., M.T.",
    "S.E., M.M.",
    "S.Sos., M.Si.",
)
KATA_1 = (
    "Maju", "Sinar", "Karya", "Mitra", "Cahaya", "Berkah", "Bintang", "Putra", "Mega", "Anugerah", "Sumber", "Tunas",
    "Harapan", "Bumi", "Citra", "Prima", "Surya", "Multi", "Graha", "Duta",
)  # fmt: skip
KATA_2 = (
    "Jaya", "Abadi", "Sentosa", "Mandiri", "Sejahtera", "Makmur", "Utama", "Perkasa", "Lestari", "Gemilang",
    "Nusantara", "Sukses", "Rezeki", "Teknik", "Persada", "Pratama",
)  # fmt: skip
PEMASOK_TETAP = ("CV Maju Jaya", "PT Sinar Abadi Sentosa", "Toko Berkah")
PEMASOK_TANDA = (  # suppliers of the red-flag cases only, so no ordinary record joins their patterns
    "CV Karya Meubel Mandiri",
    "PT Sains Edukasi Nusantara",
    "CV Bangun Sarana Pendidikan",
    "CV Medika Sehat Abadi",
    "PT Alkesindo Prima",
    "CV Dingin Medika",
    "Toko Buku Cahaya Ilmu",
)
PELAKSANA: dict[int, tuple[tuple[str, bool], ...]] = {  # tipe swakelola → (name, has an NPWP)
    2: (
        ("Badan Pusat Statistik Kota Tangerang", True),
        ("Politeknik Negeri Jakarta", True),
        ("Universitas Islam Negeri Syarif Hidayatullah Jakarta", True),
        ("Institut Pemerintahan Dalam Negeri", True),
    ),
    3: (
        ("Palang Merah Indonesia Kota Tangerang", True),
        ("Kwartir Cabang Gerakan Pramuka Kota Tangerang", True),
        ("Tim Penggerak PKK Kota Tangerang", False),
        ("Lembaga Pemberdayaan Masyarakat Kelurahan Sukasari", False),
        ("Komunitas Literasi Tangerang Membaca", False),
    ),
    4: (
        ("Kelompok Masyarakat Sejahtera RW 03", False),
        ("Pokmas Bina Lingkungan RW 07", False),
        ("Kelompok Wanita Tani Melati", False),
        ("Kelompok Kader Posyandu Mawar", False),
        ("Pokmas Karya Bersama RW 11", True),
    ),
}
JUMLAH_PEMASOK = 66  # with the 14 pelaksana: 80 Penyedia
AWALAN_BUKTI = {
    JenisRealisasi.BUKTI_PEMBELIAN: "BP",
    JenisRealisasi.KUITANSI: "KW",
    JenisRealisasi.SURAT_PESANAN: "SP",
    JenisRealisasi.SPK: "SPK",
    JenisRealisasi.SURAT_PERJANJIAN: "PRJ",
    JenisRealisasi.LAINNYA: "DOK",
}


@dataclass
class _Rencana:
    """A record to write, with the RUP packages it links and its payments."""

    pencatatan: Pencatatan
    paket: list[PaketRup]
    bulanan: bool = False
    menumpuk: bool = False  # recorded in the year-end batch rather than as it went
    realisasi: list[Realisasi] = field(default_factory=list)


@dataclass(frozen=True)
class _Ppk:
    nip: str
    nama: str
    user: User | None = None


def _ribu(value: float | Decimal) -> Decimal:
    """Rupiah rounded to thousands (SiRUP pagu are)."""
    return Decimal(round(value / 1000)) * 1000 if isinstance(value, float) else (value // 1000) * 1000


def _waktu(tgl: date, rng: random.Random) -> datetime:
    """A working-hours moment on `tgl`, in the project's time zone."""
    return timezone.make_aware(datetime.combine(tgl, time(rng.randint(8, 15), rng.randint(0, 59))))


class _Generator:
    """Plans the demo's rows in memory, drawing every choice from one seeded `rng`; writes nothing."""

    def __init__(self, *, today: date, rng: random.Random, opds: list[Opd], penyedia: list[Penyedia]) -> None:
        self.today = today
        self.rng = rng
        self.tahun_lalu, self.tahun_ini = today.year - 1, today.year
        self.paket: list[PaketRup] = []
        self.rencana: list[_Rencana] = []
        self.item_paket: dict[tuple[int, int], _Item] = {}  # (tahun, kd_rup) → catalogue item
        self.kd_rup = {self.tahun_lalu: count(51_230_000, 7), self.tahun_ini: count(57_810_000, 7)}
        # SPSE codes carry the year, so that a reseed in a later year never collides with kept rows.
        self.kd_nontender = {t: count(30_000_000 + t % 100 * 100_000 + 17, 3) for t in self.kd_rup}
        self.kd_swakelola = {t: count(40_000_000 + t % 100 * 100_000 + 51, 3) for t in self.kd_rup}
        self.no_bukti: dict[tuple[int, int, str], int] = defaultdict(int)
        self.pl_per_pemasok: dict[tuple[int, int, str, str | None], Decimal] = defaultdict(Decimal)
        by_name = {p.nama: p for p in penyedia}
        self.tanda = {nama: by_name[nama] for nama in PEMASOK_TANDA}
        self.pemasok = [p for p in penyedia if p.nama not in self.tanda and p.nama not in _nama_pelaksana()]
        self.pelaksana = {tipe: [by_name[nama] for nama, _ in daftar] for tipe, daftar in PELAKSANA.items()}
        users = {u.username: u for u in User.objects.filter(peran__in=[Peran.PPK, Peran.PPTK, Peran.OPERATOR])}
        self.users = users
        self.ppk: dict[int, _Ppk] = {}
        self.langganan: dict[int, list[Penyedia]] = {}
        self.laju: dict[int, float] = {}
        for opd in opds:
            demo_ppk = next((u for u in users.values() if u.peran == Peran.PPK and u.opd_id == opd.pk and u.nip), None)
            self.ppk[opd.pk] = _Ppk(demo_ppk.nip, str(demo_ppk), demo_ppk) if demo_ppk else self._ppk_baru()
            self.langganan[opd.pk] = rng.sample(self.pemasok, 8)
            # How diligently the OPD records: some near 100%, some under half (the dashboard's spread).
            r = rng.random()
            self.laju[opd.pk] = (
                rng.uniform(0.38, 0.55) if r < 0.12 else rng.uniform(0.94, 1.0) if r < 0.37 else rng.uniform(0.72, 0.92)
            )
        for singkatan, laju in (("Disdik", 0.85), ("Dinkes", 0.75)):  # the demo users' OPDs: typical, not extreme
            for opd in opds:
                if opd.singkatan == singkatan:
                    self.laju[opd.pk] = laju

    # --- people --------------------------------------------------------------------------

    def _ppk_baru(self) -> _Ppk:
        rng = self.rng
        lahir = date(rng.randint(1970, 1990), rng.randint(1, 12), rng.randint(1, 28))
        # NIP: birth date, month of appointment (TMT CPNS), sex, serial number.
        tmt = f"{lahir.year + rng.randint(23, 30)}{rng.randint(1, 12):02d}"
        nip = f"{lahir:%Y%m%d}{tmt}{rng.randint(1, 2)}{rng.randint(1, 15):03d}"
        nama = f"{rng.choice(NAMA_DEPAN)} {rng.choice(NAMA_BELAKANG)}, {rng.choice(GELAR)}"
        return _Ppk(nip, nama)

    def _user(self, opd: Opd, peran: str) -> User | None:
        return next((u for u in self.users.values() if u.peran == peran and u.opd_id == opd.pk), None)

    # --- RUP -----------------------------------------------------------------------------

    def paket_baru(self, opd: Opd, tahun: int, item: _Item, *, metode: str, pagu: Decimal, bulan: int) -> PaketRup:
        ppk = self.ppk[opd.pk]
        paket = PaketRup(
            opd=opd,
            kd_rup=next(self.kd_rup[tahun]) + self.rng.randint(0, 6),
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
        self.paket.append(paket)
        self.item_paket[(tahun, paket.kd_rup)] = item
        return paket

    def _pagu(self, lo: Decimal, hi: Decimal) -> Decimal:
        # Log-uniform: many small packages, few large ones, as in real RUP data.
        return _ribu(math.exp(self.rng.uniform(math.log(lo), math.log(hi))))

    def rup_opd(self, opd: Opd, tahun: int) -> list[PaketRup]:
        rng = self.rng
        khusus = KECAMATAN if opd.jenis == Opd.Jenis.KECAMATAN else KHUSUS.get(opd.singkatan, ())
        pool_sw = [i for i in (*khusus, *UMUM_SWAKELOLA) if i.tipe_swakelola]
        pool_py = [i for i in (*khusus, *UMUM) if not i.tipe_swakelola]
        n = rng.randint(12, 20)
        n_sw = min(len(pool_sw), max(2, round(n * rng.uniform(0.18, 0.32))))
        items = rng.sample(pool_sw, n_sw) + rng.sample(pool_py, min(len(pool_py), n - n_sw))
        bulan_maks = 12 if tahun < self.tahun_ini else self.today.month
        hasil = []
        for item in items:
            bulan = (
                1 if item.bulanan else rng.choices(range(1, 13), weights=(14, 12, 12, 10, 9, 8, 8, 7, 6, 6, 5, 3))[0]
            )
            if item.tipe_swakelola:
                metode, pagu = "", self._pagu(10 * JUTA, 300 * JUTA)
            else:
                metode = rng.choices(
                    (PL, "E-Purchasing", "Tender", "Dikecualikan", "Penunjukan Langsung", "Darurat"),
                    weights=(56, 16, 9, 10, 6, 3),
                )[0]
                if metode == "Tender" and item.jenis == KS:
                    metode = "Seleksi"
                if metode == PL:
                    pagu = self._pagu(5 * JUTA, BATAS_PL[item.jenis] * Decimal("0.95"))
                elif metode in ("Tender", "Seleksi"):
                    pagu = self._pagu(200 * JUTA, 400 * JUTA)
                else:
                    pagu = self._pagu(5 * JUTA, 400 * JUTA)
            paket = self.paket_baru(opd, tahun, item, metode=metode, pagu=pagu, bulan=min(bulan, bulan_maks))
            if rng.random() < 0.03:  # a few withdrawn or deleted packages, which no longer count
                paket.status_aktif_rup = False
                paket.status_delete_rup = rng.random() < 0.5
            hasil.append(paket)
        return hasil

    # --- pencatatan ----------------------------------------------------------------------

    def catat_opd(self, opd: Opd, tahun: int, paket: list[PaketRup]) -> None:
        """Record most of the OPD's non-tender and swakelola packages of `tahun`, some in pairs."""
        rng = self.rng
        layak = [
            p
            for p in paket
            if p.status_aktif_rup
            and not p.status_delete_rup
            and (p.tipe_paket == TipePaket.SWAKELOLA or p.metode_pengadaan.lower() in NON_TENDER_METHODS)
        ]
        layak.sort(key=lambda p: (p.tgl_awal_pemilihan, p.kd_rup))
        dipakai: set[int] = set()
        for p in layak:
            if p.kd_rup in dipakai:
                continue
            laju = self.laju[opd.pk]
            if tahun == self.tahun_ini:
                laju *= 0.5 if (self.today - p.tgl_awal_pemilihan).days < 60 else 0.95
            if rng.random() >= laju:
                continue
            grup = [p]
            if rng.random() < 0.06:
                pasangan = next((q for q in layak if q.kd_rup not in dipakai and self._bisa_digabung(p, q)), None)
                if pasangan:
                    grup.append(pasangan)
            dipakai.update(q.kd_rup for q in grup)
            rencana = self.catat(opd, tahun, grup)
            self.bayar(rencana)
            if rencana.pencatatan.status != Status.BATAL and rng.random() < 0.03:
                ganda = self.catat(opd, tahun, grup, status=Status.BATAL, alasan=ALASAN_GANDA)
                ganda.pencatatan.tgl_buat_paket = min(rencana.pencatatan.tgl_buat_paket + timedelta(days=1), self.today)

    def _bisa_digabung(self, p: PaketRup, q: PaketRup) -> bool:
        if p is q or p.tipe_paket != q.tipe_paket:
            return False
        if p.tipe_paket == TipePaket.SWAKELOLA:
            return p.tipe_swakelola == q.tipe_swakelola
        sama = p.metode_pengadaan == q.metode_pengadaan and p.jenis_pengadaan == q.jenis_pengadaan
        batas = BATAS_PL[p.jenis_pengadaan] * Decimal("0.95") if p.metode_pengadaan == PL else 400 * JUTA
        return sama and p.pagu + q.pagu < batas

    def catat(
        self,
        opd: Opd,
        tahun: int,
        paket: list[PaketRup],
        *,
        status: str | None = None,
        alasan: str = "",
        mulai: date | None = None,
        selesai: date | None = None,
        menumpuk: bool | None = None,
    ) -> _Rencana:
        """Plan one record linking `paket`: dates, status and the kind's own fields (no payments yet)."""
        rng, today = self.rng, self.today
        awal_tahun, akhir_tahun = date(tahun, 1, 1), date(tahun, 12, 31)
        batas = min(akhir_tahun, today)
        swakelola = paket[0].tipe_paket == TipePaket.SWAKELOLA
        bulanan = any(self.item_paket[(tahun, p.kd_rup)].bulanan for p in paket)
        if mulai is None:
            if bulanan:
                mulai = awal_tahun + timedelta(days=rng.randint(1, 14))
            else:
                mulai = min(p.tgl_awal_pemilihan for p in paket) + timedelta(
                    days=rng.randint(0, 20 if swakelola else 45)
                )
        if selesai is None:
            if bulanan:
                selesai = date(tahun, 12, rng.randint(15, 31))
            else:
                selesai = min(
                    mulai + timedelta(days=rng.choice((14, 21, 30, 45, 60, 90, 120)) + rng.randint(0, 10)), akhir_tahun
                )
        mulai = min(mulai, batas)
        if status is None:
            status = self._status(tahun, selesai)
        if status == Status.BATAL and not alasan:
            alasan = rng.choice(ALASAN_BATAL)

        if menumpuk is None:
            menumpuk = rng.random() < (0.48 if tahun < self.tahun_ini else 0.2)
        if status == Status.DRAFT and tahun == self.tahun_ini:
            dari = max(mulai, today - timedelta(days=60))
            buat = dari + timedelta(days=rng.randint(0, max(0, (today - dari).days)))
        elif menumpuk:
            # The year-end batch: recorded in November–December (or the last weeks of this year).
            dari = date(tahun, 11, 1) if tahun < self.tahun_ini else max(awal_tahun, today - timedelta(days=50))
            buat = max(mulai, dari + timedelta(days=rng.randint(0, max(0, (min(akhir_tahun, today) - dari).days))))
        else:
            buat = mulai + timedelta(days=int(rng.lognormvariate(math.log(6), 1.0)))
        buat = min(buat, today)

        ppk = self.ppk[opd.pk]
        pagu = sum((p.pagu for p in paket), Decimal("0"))
        pertama = paket[0]
        nama = pertama.nama_paket if len(paket) == 1 else f"{pertama.nama_paket} dan {paket[1].nama_paket}"
        pelaksana = ""
        if swakelola and pertama.tipe_swakelola and pertama.tipe_swakelola > 1:
            pelaksana = rng.choice(self.pelaksana[pertama.tipe_swakelola]).nama
        di_spse = status != Status.DRAFT and rng.random() < (0.65 if tahun < self.tahun_ini else 0.4)
        pencatatan = Pencatatan(
            opd=opd,
            jenis=JenisPencatatan.SWAKELOLA if swakelola else JenisPencatatan.NON_TENDER,
            tahun_anggaran=tahun,
            kd_rup=";".join(str(p.kd_rup) for p in sorted(paket, key=lambda p: p.kd_rup)),
            kd_nontender_pct=next(self.kd_nontender[tahun]) if di_spse and not swakelola else None,
            kd_swakelola_pct=next(self.kd_swakelola[tahun]) if di_spse and swakelola else None,
            nama_paket=nama,
            pagu=pagu,
            sumber_dana="APBD",
            uraian_pekerjaan=f"{nama} pada {opd.nama_satker} tahun anggaran {tahun}.",
            kategori_pengadaan="" if swakelola else pertama.jenis_pengadaan,
            mtd_pemilihan="" if swakelola else pertama.metode_pengadaan,
            bukti_pembayaran=""
            if swakelola
            else (BuktiPembayaran.SPK if pagu > 50 * JUTA else BuktiPembayaran.NON_SPK),
            tipe_swakelola=pertama.tipe_swakelola if swakelola else None,
            pelaksana_swakelola=pelaksana,
            status=status,
            alasan_pembatalan=alasan if status == Status.BATAL else "",
            ppk=ppk.user,
            pptk=self._user(opd, Peran.PPTK) if rng.random() < 0.5 else None,
            nip_ppk=ppk.nip,
            nama_ppk=ppk.nama,
            tgl_buat_paket=buat,
            tgl_mulai_paket=mulai,
            tgl_selesai_paket=max(min(selesai, today), mulai),
            sumber=Sumber.APLIKASI,
            dibuat_oleh=self._user(opd, Peran.OPERATOR),
        )
        rencana = _Rencana(pencatatan, list(paket), bulanan=bulanan, menumpuk=menumpuk)
        self.rencana.append(rencana)
        return rencana

    def _status(self, tahun: int, selesai: date) -> str:
        rng, today = self.rng, self.today
        r = rng.random()
        if r < 0.035:
            return Status.BATAL
        if tahun < self.tahun_ini:
            # Last year: mostly done; a few still Berjalan long after their contract ended (overdue).
            return Status.BERJALAN if r < 0.075 else Status.DRAFT if r < 0.085 else Status.SELESAI
        if selesai < today - timedelta(days=30):
            return Status.BERJALAN if r < 0.05 else Status.DRAFT if r < 0.08 else Status.SELESAI
        if selesai <= today:
            return Status.SELESAI if r < 0.6 else Status.BERJALAN
        return Status.BERJALAN if r < 0.72 else Status.DRAFT

    # --- realisasi -----------------------------------------------------------------------

    def bayar(self, rencana: _Rencana) -> None:
        """Plan the payments of a Berjalan or Selesai record: total within pagu, dates within the contract."""
        p = rencana.pencatatan
        if p.status not in (Status.BERJALAN, Status.SELESAI):
            return
        rng, today = self.rng, self.today
        akhir = min(date(p.tahun_anggaran, 12, 31), today)
        if p.status == Status.SELESAI:
            akhir = min(akhir, p.tgl_selesai_paket + timedelta(days=20))
        awal = min(p.tgl_mulai_paket + timedelta(days=3), akhir)
        if rencana.bulanan:
            # Billed every month (at most 10 entries) or every quarter.
            langkah = rng.choice((1, 3, 3))
            tanggal = []
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
            bagian = Decimal(str(rng.uniform(0.85, 1.0))) * len(tanggal) * langkah / 12
            bagian = min(bagian, Decimal("1")) if p.status == Status.BERJALAN else Decimal(str(rng.uniform(0.88, 1.0)))
        else:
            n = rng.choices((1, 2, 3, 4), weights=(45, 30, 15, 10))[0]
            tanggal = sorted(awal + timedelta(days=rng.randint(0, (akhir - awal).days)) for _ in range(n))
            if p.status == Status.SELESAI:
                tanggal[-1] = akhir
            bagian = Decimal(str(rng.uniform(0.88, 1.0) if p.status == Status.SELESAI else rng.uniform(0.25, 0.75)))
        total = _ribu(p.pagu * bagian)
        bobot = [rng.uniform(0.5, 1.5) for _ in tanggal]
        nilai = [(total * Decimal(str(b / sum(bobot))) // 100) * 100 for b in bobot]
        nilai[-1] = total - sum(nilai[:-1])
        penyedia = self._penyedia_untuk(p)
        for tgl, jumlah in zip(tanggal, nilai, strict=True):
            self.realisasi(rencana, tgl, jumlah, penyedia=penyedia)
        self.pdn_umk(p, total, penyedia)

    def _penyedia_untuk(self, p: Pencatatan) -> Penyedia | None:
        """A supplier that does not make two PL records of one OPD look like a split package (DESIGN §7.1)."""
        rng = self.rng
        if p.jenis == JenisPencatatan.SWAKELOLA:
            if not p.pelaksana_swakelola:
                return None
            return next(x for x in self.pelaksana[p.tipe_swakelola] if x.nama == p.pelaksana_swakelola)
        calon = self.langganan[p.opd_id] + rng.sample(self.pemasok, len(self.pemasok))
        if p.mtd_pemilihan != PL:
            return calon[rng.randrange(8)]
        for s in calon:
            kunci = (p.opd_id, p.tahun_anggaran, p.kategori_pengadaan, s.npwp)
            if self.pl_per_pemasok[kunci] + p.pagu <= BATAS_PL[p.kategori_pengadaan]:
                self.pl_per_pemasok[kunci] += p.pagu
                return s
        return None

    def realisasi(
        self, rencana: _Rencana, tgl: date, nilai: Decimal, *, penyedia: Penyedia | None, jenis: str | None = None
    ) -> Realisasi:
        """Plan one payment; when it was first recorded follows the record's habit (as it went, or in a batch)."""
        rng, today, p = self.rng, self.today, rencana.pencatatan
        swakelola = p.jenis == JenisPencatatan.SWAKELOLA
        if jenis is None:
            if swakelola:
                jenis = JenisRealisasi.KUITANSI if nilai <= 50 * JUTA else JenisRealisasi.LAINNYA
            elif nilai <= 10 * JUTA:
                jenis = rng.choice((JenisRealisasi.BUKTI_PEMBELIAN, JenisRealisasi.KUITANSI))
            elif nilai <= 50 * JUTA:
                jenis = rng.choice((JenisRealisasi.KUITANSI, JenisRealisasi.KUITANSI, JenisRealisasi.SURAT_PESANAN))
            else:
                jenis = rng.choice((JenisRealisasi.SPK, JenisRealisasi.SURAT_PERJANJIAN, JenisRealisasi.SURAT_PESANAN))
        kunci = (p.opd_id, p.tahun_anggaran, AWALAN_BUKTI[jenis])
        self.no_bukti[kunci] += 1
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
        realisasi = Realisasi(
            pencatatan=p,
            jenis_realisasi=jenis,
            no_realisasi=f"{AWALAN_BUKTI[jenis]}-{p.tahun_anggaran}/{self.no_bukti[kunci]:03d}",
            tgl_realisasi=tgl,
            nilai_realisasi=nilai,
            ket_realisasi=f"Pembayaran {len(rencana.realisasi) + 1}",
            penyedia=penyedia,
            tgl_dicatat=dicatat,
            dibuat_oleh=p.dibuat_oleh,
        )
        rencana.realisasi.append(realisasi)
        return realisasi

    def pdn_umk(self, p: Pencatatan, total: Decimal, penyedia: Penyedia | None) -> None:
        rng = self.rng
        if total <= 0 or rng.random() < 0.15:
            return
        p.nilai_pdn_pct = _ribu(total * Decimal(str(rng.uniform(0.5, 1.0))))
        kecil = penyedia is None or not penyedia.nama.startswith("PT ")
        p.nilai_umk_pct = _ribu(total * Decimal(str(rng.uniform(0.6, 1.0)))) if kecil else Decimal("0")

    # --- red flags (DESIGN §7) -----------------------------------------------------------

    def tanda_bahaya(self, disdik: Opd, dinkes: Opd) -> None:
        """One or more records per red-flag rule, in Disdik and Dinkes, dated relative to today."""
        # In the first months of a year there is not enough of it: use last year then.
        tahun = self.tahun_ini if self.today >= date(self.tahun_ini, 5, 1) else self.tahun_lalu
        acuan = min(self.today, date(tahun, 12, 15))
        bulan = max(1, acuan.month - 4)
        rp = Decimal

        def paket(opd: Opd, nama: str, jenis: str, pagu: Decimal) -> PaketRup:
            return self.paket_baru(opd, tahun, _py(nama, jenis), metode=PL, pagu=pagu, bulan=bulan)

        def hari(n: int) -> date:
            return acuan - timedelta(days=n)

        def catat(opd: Opd, pkt: PaketRup, status: str, mulai: int, selesai: int, dibuat: int) -> _Rencana:
            r = self.catat(opd, tahun, [pkt], status=status, mulai=hari(mulai), selesai=hari(selesai), menumpuk=False)
            r.pencatatan.tgl_buat_paket = hari(dibuat)
            return r

        # 1. Package splitting: two PL Barang records, one supplier, each under Rp200 juta, together above it.
        meja = self.tanda["CV Karya Meubel Mandiri"]
        for tahap, pagu, n in (("Tahap I", rp(185_000_000), 100), ("Tahap II", rp(176_500_000), 80)):
            r = catat(
                disdik, paket(disdik, f"{NAMA_PEMECAHAN_PAKET} {tahap}", B, pagu), Status.SELESAI, n, n - 40, n - 5
            )
            self.realisasi(r, hari(n - 42), pagu * rp("0.97"), penyedia=meja, jenis=JenisRealisasi.SURAT_PERJANJIAN)
            self.pdn_umk(r.pencatatan, pagu * rp("0.97"), meja)
        # 2. PL above its ceiling (Barang, Rp250 juta).
        r = catat(disdik, paket(disdik, NAMA_PL_DI_ATAS_BATAS, B, rp(250_000_000)), Status.SELESAI, 110, 60, 100)
        self.realisasi(r, hari(55), rp(248_750_000), penyedia=self.tanda["PT Sains Edukasi Nusantara"])
        # 3. Total realisasi above pagu; its second payment is also recorded late (rule 4).
        r = catat(disdik, paket(disdik, NAMA_REALISASI_MELEBIHI_PAGU, K, rp(48_500_000)), Status.SELESAI, 90, 50, 85)
        toilet = self.tanda["CV Bangun Sarana Pendidikan"]
        self.realisasi(r, hari(70), rp(30_000_000), penyedia=toilet, jenis=JenisRealisasi.KUITANSI)
        late = self.realisasi(r, hari(48), rp(21_250_000), penyedia=toilet, jenis=JenisRealisasi.KUITANSI)
        late.tgl_dicatat = hari(5)
        # 5. Selesai without any realisasi.
        catat(disdik, paket(disdik, NAMA_SELESAI_TANPA_REALISASI, B, rp(24_000_000)), Status.SELESAI, 75, 70, 60)
        # 7. Overdue: Berjalan 45 days after the contract ended.
        r = catat(disdik, paket(disdik, NAMA_TERLAMBAT_SELESAI, K, rp(132_000_000)), Status.BERJALAN, 120, 45, 110)
        self.realisasi(r, hari(90), rp(39_600_000), penyedia=toilet, jenis=JenisRealisasi.SPK)
        # 9. Proof unfit for the amount: a bukti pembelian above Rp10 juta and a kuitansi above Rp50 juta.
        buku = self.tanda["Toko Buku Cahaya Ilmu"]
        r = catat(disdik, paket(disdik, NAMA_BUKTI_TIDAK_SESUAI, B, rp(95_000_000)), Status.SELESAI, 80, 40, 75)
        self.realisasi(r, hari(60), rp(12_750_000), penyedia=buku, jenis=JenisRealisasi.BUKTI_PEMBELIAN)
        self.realisasi(r, hari(38), rp(65_000_000), penyedia=buku, jenis=JenisRealisasi.KUITANSI)
        self.pdn_umk(r.pencatatan, rp(77_750_000), buku)
        # 6. Double input: two active records of one RUP package with the same pagu.
        bmhp = paket(dinkes, NAMA_INPUT_GANDA, B, rp(87_500_000))
        r = catat(dinkes, bmhp, Status.BERJALAN, 60, 0, 55)
        self.realisasi(r, hari(30), rp(40_000_000), penyedia=self.tanda["CV Medika Sehat Abadi"])
        catat(dinkes, bmhp, Status.BERJALAN, 60, 0, 20)
        # 8. PDN implausible: exactly 100 (a percentage in a Rupiah field), and above total realisasi.
        r = catat(dinkes, paket(dinkes, NAMA_PDN_SERATUS, B, rp(64_300_000)), Status.SELESAI, 70, 35, 65)
        self.realisasi(r, hari(33), rp(63_900_000), penyedia=self.tanda["PT Alkesindo Prima"])
        r.pencatatan.nilai_pdn_pct, r.pencatatan.nilai_umk_pct = rp(100), rp(100)
        r = catat(dinkes, paket(dinkes, NAMA_PDN_MELEBIHI, B, rp(58_000_000)), Status.BERJALAN, 50, 0, 45)
        self.realisasi(r, hari(25), rp(20_000_000), penyedia=self.tanda["CV Dingin Medika"])
        r.pencatatan.nilai_pdn_pct, r.pencatatan.nilai_umk_pct = rp(58_000_000), rp(20_000_000)


def _nama_pelaksana() -> set[str]:
    return {nama for daftar in PELAKSANA.values() for nama, _ in daftar}


def _daftar_penyedia(rng: random.Random) -> list[tuple[str, str | None]]:
    """The demo's suppliers and swakelola executors: (name, 15-digit NPWP or None)."""
    nama: list[str] = [*PEMASOK_TETAP, *PEMASOK_TANDA]
    while len(nama) < JUMLAH_PEMASOK:
        bentuk = rng.choices(("CV", "PT", "Toko", "UD"), weights=(45, 30, 15, 10))[0]
        kata = f"{rng.choice(KATA_1)} {rng.choice(KATA_2)}"
        if bentuk == "PT" and rng.random() < 0.6:
            kata += f" {rng.choice(KATA_2)}"
        calon = f"{bentuk} {kata}"
        if calon not in nama and len(set(calon.split()[1:])) == len(calon.split()[1:]):
            nama.append(calon)
    hasil: list[tuple[str, str | None]] = []
    npwp_dipakai: set[str] = set()

    def npwp_baru(awalan: str) -> str:
        while True:
            kpp = rng.choice(("402", "411", "415", "416", "451", "453"))
            npwp = f"{awalan}{rng.randint(0, 999_999):06d}{rng.randint(0, 9)}{kpp}000"
            if npwp not in npwp_dipakai:
                npwp_dipakai.add(npwp)
                return npwp

    for n in nama:
        hasil.append((n, npwp_baru(rng.choice(("01", "02", "03", "21", "31", "66", "80")))))
    for daftar in PELAKSANA.values():
        for n, ber_npwp in daftar:
            hasil.append((n, npwp_baru("00") if ber_npwp else None))
    return hasil


def _simpan_penyedia(daftar: list[tuple[str, str | None]]) -> list[Penyedia]:
    """Upsert the demo suppliers by NPWP (by name when they have none); they survive a reseed."""
    by_npwp = {p.npwp: p for p in Penyedia.objects.filter(npwp__in=[n for _, n in daftar if n])}
    tanpa = {p.nama: p for p in Penyedia.objects.filter(npwp__isnull=True, nama__in=[m for m, n in daftar if not n])}
    hasil, baru, ganti = [], [], []
    for nama, npwp in daftar:
        ada = by_npwp.get(npwp) if npwp else tanpa.get(nama)
        if ada is None:
            ada = Penyedia(nama=nama, npwp=npwp)
            baru.append(ada)
        elif ada.nama != nama:
            ada.nama = nama
            ganti.append(ada)
        hasil.append(ada)
    Penyedia.objects.bulk_create(baru)
    Penyedia.objects.bulk_update(ganti, ["nama"])
    return hasil


def _hapus(tahun: list[int]) -> None:
    """Remove the procurement rows of `tahun` and their history, so that the seed starts clean."""
    paket = PaketRup.objects.filter(tahun_anggaran__in=tahun)
    pencatatan_ids = list(
        Pencatatan.objects.filter(Q(tahun_anggaran__in=tahun) | Q(tautan_rup__paket__in=paket))
        .values_list("pk", flat=True)
        .distinct()
    )
    realisasi_ids = list(Realisasi.objects.filter(pencatatan_id__in=pencatatan_ids).values_list("pk", flat=True))
    berkas = list(BuktiRealisasi.objects.filter(realisasi_id__in=realisasi_ids).values_list("berkas", flat=True))
    # The demo's history goes with its rows, so a "deleted" history entry per row would only be
    # written to be removed: switch simple-history off while Django cascades the delete.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        Pencatatan.objects.filter(pk__in=pencatatan_ids).delete()  # with their links, payments and proof rows
        paket.delete()
    BuktiRealisasi.history.model.objects.filter(realisasi_id__in=realisasi_ids).delete()
    Realisasi.history.model.objects.filter(pencatatan_id__in=pencatatan_ids).delete()
    Pencatatan.history.model.objects.filter(id__in=pencatatan_ids).delete()
    if berkas:
        storage = BuktiRealisasi._meta.get_field("berkas").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in berkas])


@transaction.atomic
def seed_pengadaan(*, today: date | None = None) -> dict[str, int]:
    """Replace the procurement data of last year and this year (up to `today`) with the demo's.

    Deterministic (fixed seed) and idempotent. Returns the counts written.
    Side effects: deletes every PaketRup, Pencatatan (with links, realisasi, proof rows and
    files) of those two years and their history; upserts the demo's Penyedia; creates RUP
    packages, records, links and payments, each record and payment with one history entry
    (no user, reason "Data demo").
    """
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311 -- reproducible demo data, not a secret
    tahun = [today.year - 1, today.year]
    _hapus(tahun)
    penyedia = _simpan_penyedia(_daftar_penyedia(rng))
    opds = list(Opd.objects.order_by("kd_satker"))
    if not opds:
        return {"paket_rup": 0, "pencatatan": 0, "pencatatan_rup": 0, "realisasi": 0, "penyedia": len(penyedia)}

    gen = _Generator(today=today, rng=rng, opds=opds, penyedia=penyedia)
    for t in tahun:
        for opd in opds:
            gen.catat_opd(opd, t, gen.rup_opd(opd, t))
    by_short = {o.singkatan: o for o in opds}
    gen.tanda_bahaya(by_short.get("Disdik", opds[0]), by_short.get("Dinkes", opds[-1]))

    PaketRup.objects.bulk_create(gen.paket)
    # Each history entry is dated when its record or payment was recorded, so the history tells the same story.
    pencatatan = [r.pencatatan for r in gen.rencana]
    for p in pencatatan:
        p._history_date = _waktu(p.tgl_buat_paket, rng)
    bulk_create_with_history(pencatatan, Pencatatan, default_change_reason=CHANGE_REASON)
    tautan = [PencatatanRup(pencatatan=r.pencatatan, paket=p) for r in gen.rencana for p in r.paket]
    PencatatanRup.objects.bulk_create(tautan)
    realisasi = [x for r in gen.rencana for x in r.realisasi]
    for x in realisasi:
        x._history_date = _waktu(x.tgl_dicatat, rng)
    bulk_create_with_history(realisasi, Realisasi, default_change_reason=CHANGE_REASON)
    return {
        "paket_rup": len(gen.paket),
        "pencatatan": len(pencatatan),
        "pencatatan_rup": len(tautan),
        "realisasi": len(realisasi),
        "penyedia": len(penyedia),
    }
