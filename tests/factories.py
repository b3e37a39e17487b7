from __future__ import annotations

import factory

from opd.models import Opd, Peran, User

TEST_PASSWORD = "kata-sandi-uji-123"


class OpdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opd

    kd_satker = factory.Sequence(lambda n: str(70000 + n))
    kd_satker_str = factory.Sequence(lambda n: f"9.99.0.00.0.00.{n:02d}.0000")
    kd_satker_spse = factory.Sequence(lambda n: str(26200000 + n))
    nama_satker = factory.Sequence(lambda n: f"Dinas Uji {n}")
    singkatan = factory.Sequence(lambda n: f"DU{n}")
    jenis = Opd.Jenis.DINAS


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    nama = factory.Sequence(lambda n: f"Pengguna {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.go.id")
    peran = Peran.OPERATOR
    opd = factory.SubFactory(OpdFactory)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save()


# --- pengadaan -------------------------------------------------------------------------------

import datetime as _dt  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.core.files.base import ContentFile  # noqa: E402

from pengadaan.models import (  # noqa: E402
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

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class PaketRupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaketRup

    opd = factory.SubFactory(OpdFactory)
    kd_rup = factory.Sequence(lambda n: 50_000_000 + n)
    tahun_anggaran = 2026
    nama_paket = factory.Sequence(lambda n: f"Belanja Alat Tulis Kantor {n}")
    pagu = Decimal("50000000.00")
    tipe_paket = TipePaket.PENYEDIA
    metode_pengadaan = "Pengadaan Langsung"
    jenis_pengadaan = JenisPengadaan.BARANG
    sumber_dana = "APBD"
    tgl_awal_pemilihan = _dt.date(2026, 3, 1)


class PencatatanFactory(factory.django.DjangoModelFactory):
    """A record saved directly (as an import would); tests of the rules go through the services."""

    class Meta:
        model = Pencatatan
        skip_postgeneration_save = True

    opd = factory.SubFactory(OpdFactory)
    jenis = JenisPencatatan.NON_TENDER
    tahun_anggaran = 2026
    nama_paket = factory.Sequence(lambda n: f"Pengadaan ATK Uji {n}")
    pagu = Decimal("50000000.00")
    mtd_pemilihan = MetodePemilihan.PENGADAAN_LANGSUNG
    kategori_pengadaan = JenisPengadaan.BARANG
    status = Status.BERJALAN
    tgl_buat_paket = _dt.date(2026, 4, 1)

    @factory.post_generation
    def paket(obj, create, extracted, **kwargs):
        if not create:
            return
        packages = (
            extracted
            if extracted is not None
            else [
                PaketRupFactory(
                    opd=obj.opd,
                    tahun_anggaran=obj.tahun_anggaran,
                    pagu=obj.pagu,
                    tipe_paket=JenisPencatatan(obj.jenis).tipe_paket,
                )
            ]
        )
        for paket in packages:
            PencatatanRup.objects.create(pencatatan=obj, paket=paket)
        obj.kd_rup = ";".join(str(p.kd_rup) for p in sorted(packages, key=lambda p: p.kd_rup))
        obj.save(update_fields=["kd_rup"])


class PenyediaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Penyedia

    nama = factory.Sequence(lambda n: f"CV Maju Jaya {n}")
    npwp = factory.Sequence(lambda n: f"{10_000_000_000_000 + n:015d}")


class RealisasiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Realisasi

    pencatatan = factory.SubFactory(PencatatanFactory)
    jenis_realisasi = JenisRealisasi.KUITANSI
    no_realisasi = factory.Sequence(lambda n: f"KW-2026/{n:03d}")
    tgl_realisasi = _dt.date(2026, 5, 10)
    nilai_realisasi = Decimal("10000000.00")
    penyedia = factory.SubFactory(PenyediaFactory)
    tgl_dicatat = _dt.date(2026, 5, 12)


class BuktiRealisasiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuktiRealisasi

    realisasi = factory.SubFactory(RealisasiFactory)
    berkas = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="kuitansi.pdf"))
    nama_asli = "kuitansi.pdf"
    tipe_konten = "application/pdf"
    ukuran = len(PDF_BYTES)
