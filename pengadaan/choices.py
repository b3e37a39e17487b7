"""Value lists of LKPP's data (the models re-export them). Values are LKPP's own text where LKPP publishes
text. A leaf module: the models and the who-may rules (`pengadaan.rules`) both read it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The fiscal years a record or RUP package may have: the constraints pencatatan_tahun_wajar and
# paketrup_tahun_wajar, and what every page, export, command and the API accept as `tahun`.
TAHUN_WAJAR = range(2000, 2101)


class TipePaket(models.TextChoices):
    PENYEDIA = "Penyedia", _("Penyedia")
    SWAKELOLA = "Swakelola", _("Swakelola")


class JenisPencatatan(models.TextChoices):
    NON_TENDER = "non_tender", _("Non tender")
    SWAKELOLA = "swakelola", _("Swakelola")

    @property
    def tipe_paket(self) -> str:
        """The kind of RUP package a pencatatan of this kind may link (penyedia ↔ non tender)."""
        return TipePaket.PENYEDIA if self == JenisPencatatan.NON_TENDER else TipePaket.SWAKELOLA


class MetodePemilihan(models.TextChoices):
    """Non-tender methods (DESIGN §3). Tender, Seleksi, Tender Cepat and E-Purchasing are not among them."""

    PENGADAAN_LANGSUNG = "Pengadaan Langsung", _("Pengadaan Langsung")
    PENUNJUKAN_LANGSUNG = "Penunjukan Langsung", _("Penunjukan Langsung")
    DIKECUALIKAN = "Dikecualikan", _("Dikecualikan")
    DARURAT = "Darurat", _("Darurat")
    KONTES = "Kontes", _("Kontes")
    SAYEMBARA = "Sayembara", _("Sayembara")


# RUP's metode_pengadaan is free text from SiRUP; these (lower case) count as non tender.
NON_TENDER_METHODS = frozenset({m.value.lower() for m in MetodePemilihan} | {"pengecualian"})


class JenisPengadaan(models.TextChoices):
    BARANG = "Barang", _("Barang")
    KONSTRUKSI = "Pekerjaan Konstruksi", _("Pekerjaan Konstruksi")
    KONSULTANSI = "Jasa Konsultansi", _("Jasa Konsultansi")
    JASA_LAINNYA = "Jasa Lainnya", _("Jasa Lainnya")
    TERINTEGRASI = "Terintegrasi", _("Terintegrasi")


class TipeSwakelola(models.IntegerChoices):
    TIPE_1 = 1, _("Tipe I — oleh OPD penanggung jawab anggaran")
    TIPE_2 = 2, _("Tipe II — oleh instansi pemerintah lain")
    TIPE_3 = 3, _("Tipe III — oleh Organisasi Kemasyarakatan")
    TIPE_4 = 4, _("Tipe IV — oleh Kelompok Masyarakat")


class BuktiPembayaran(models.TextChoices):
    SPK = "SPK", _("SPK")
    NON_SPK = "NonSPK", _("Non SPK")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    BERJALAN = "berjalan", _("Berjalan")
    SELESAI = "selesai", _("Selesai")
    BATAL = "batal", _("Batal")


ACTIVE_STATUSES = (Status.DRAFT, Status.BERJALAN, Status.SELESAI)
EDITABLE_STATUSES = (Status.DRAFT, Status.BERJALAN)


class JenisRealisasi(models.TextChoices):
    """The proof of a payment (Perpres 16/2018 art. 28)."""

    BUKTI_PEMBELIAN = "bukti_pembelian", _("Bukti pembelian/pembayaran")
    KUITANSI = "kuitansi", _("Kuitansi")
    SURAT_PESANAN = "surat_pesanan", _("Surat pesanan")
    SPK = "spk", _("Surat Perintah Kerja (SPK)")
    SURAT_PERJANJIAN = "surat_perjanjian", _("Surat perjanjian")
    LAINNYA = "lainnya", _("Dokumen lainnya")


class Sumber(models.TextChoices):
    """Where a record or payment was first entered (DESIGN §12: the app, or SPSE's published data)."""

    APLIKASI = "aplikasi", _("Dicatat di aplikasi")
    IMPOR = "impor", _("Impor berkas")
