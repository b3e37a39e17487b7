"""Procurement data (DESIGN §4): RUP packages, pencatatan, realisasi, suppliers and proof files."""

from pengadaan.choices import (
    NON_TENDER_METHODS,
    BuktiPembayaran,
    JenisPencatatan,
    JenisPengadaan,
    JenisRealisasi,
    MetodePemilihan,
    Status,
    Sumber,
    TipePaket,
    TipeSwakelola,
)
from pengadaan.models.catatan import CatatanData
from pengadaan.models.impor import ImportJob
from pengadaan.models.itkp import BandSkorItkp, IndikatorItkp, MetodologiItkp, NilaiManualItkp, PredikatItkp
from pengadaan.models.padanan import PadananSpse
from pengadaan.models.pencatatan import Pencatatan, PencatatanRup
from pengadaan.models.realisasi import BuktiRealisasi, Penyedia, Realisasi
from pengadaan.models.ringkasan import RingkasanOpd, TandaBahaya
from pengadaan.models.rup import PaketRup
from pengadaan.models.tanda_bahaya import TinjauanTandaBahaya

__all__ = [
    "NON_TENDER_METHODS",
    "BandSkorItkp",
    "BuktiPembayaran",
    "BuktiRealisasi",
    "CatatanData",
    "ImportJob",
    "IndikatorItkp",
    "JenisPencatatan",
    "JenisPengadaan",
    "JenisRealisasi",
    "MetodePemilihan",
    "MetodologiItkp",
    "NilaiManualItkp",
    "PadananSpse",
    "PaketRup",
    "Pencatatan",
    "PencatatanRup",
    "Penyedia",
    "PredikatItkp",
    "Realisasi",
    "RingkasanOpd",
    "Status",
    "Sumber",
    "TandaBahaya",
    "TinjauanTandaBahaya",
    "TipePaket",
    "TipeSwakelola",
]
