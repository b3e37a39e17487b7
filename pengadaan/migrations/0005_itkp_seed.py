# Seeds the two ITKP methodologies of DESIGN §6 so that every install has them; the admin may edit them.

from decimal import Decimal

from django.db import migrations

PREDIKAT_BAWAAN = [("Kurang", "0"), ("Cukup Baik", "35"), ("Baik", "50"), ("Sangat Baik", "65"), ("Istimewa", "80")]

PEMANFAATAN_SE = "Pemanfaatan Sistem Pengadaan"
PEMANFAATAN_KEPKA = "Pemanfaatan Sistem"

# (nama, tahun_berlaku, keterangan, indicators, predicates); an indicator is
# (kode, nama, komponen, poin_maks, sumber, bands as (persen_min, poin)); no bands = proportional.
METODOLOGI = [
    (
        "SE 5/2025",
        2025,
        "Gaya SE 5/2025. Non E-Tendering & Non E-Purchasing berbasis nilai: pagu yang tercatat di SPSE dibagi "
        "pagu RUP non tender dan swakelola (persen tercatat aplikasi ini), dinilai proporsional: "
        "persen / 100 × 5 poin. Batas predikat memakai batas bawaan Kepka 74/2026; ubah bila ada ketentuan lain.",
        [
            ("sirup", "SiRUP", PEMANFAATAN_SE, "10", "manual", []),
            ("e-tendering", "E-Tendering", PEMANFAATAN_SE, "5", "manual", []),
            ("e-katalog", "E-Katalog", PEMANFAATAN_SE, "4", "manual", []),
            ("toko-daring", "Toko Daring", PEMANFAATAN_SE, "1", "manual", []),
            ("non-etendering-epurchasing", "Non E-Tendering & Non E-Purchasing", PEMANFAATAN_SE, "5", "dihitung", []),
            ("e-kontrak", "E-Kontrak", PEMANFAATAN_SE, "5", "manual", []),
            ("sdm", "SDM Pengadaan", "SDM", "30", "manual", []),
            ("kematangan-ukpbj", "Kematangan UKPBJ", "Kematangan UKPBJ", "40", "manual", []),
        ],
        PREDIKAT_BAWAAN,
    ),
    (
        "Kepka 74/2026",
        2026,
        "Gaya Kepka 74/2026. Digitalisasi PBJ = (e-tendering + e-purchasing + e-PL + e-PnL + pencatatan non "
        "tender + pencatatan swakelola) / total RUP. Aplikasi ini hanya mengetahui bagian pencatatan, jadi "
        "proyeksinya memakai persen tercatat; bila persen lengkapnya sudah diketahui, isikan sebagai persen "
        "pengganti di Nilai ITKP per tahun. Sisa 25 poin komponen Pemanfaatan Sistem diisi admin.",
        [
            (
                "digitalisasi-pbj",
                "Digitalisasi PBJ",
                PEMANFAATAN_KEPKA,
                "5",
                "dihitung",
                [("80", "5"), ("70", "4"), ("60", "3"), ("50", "2"), ("40", "1")],
            ),
            ("pemanfaatan-sistem-lainnya", "Pemanfaatan Sistem lainnya", PEMANFAATAN_KEPKA, "25", "manual", []),
            ("sdm", "SDM Pengadaan", "SDM", "30", "manual", []),
            ("kematangan-ukpbj", "Kematangan UKPBJ", "Kematangan UKPBJ", "30", "manual", []),
            ("integritas", "Integritas", "Integritas", "10", "manual", []),
        ],
        PREDIKAT_BAWAAN,
    ),
]


def seed(apps, schema_editor):
    MetodologiItkp = apps.get_model("pengadaan", "MetodologiItkp")
    IndikatorItkp = apps.get_model("pengadaan", "IndikatorItkp")
    BandSkorItkp = apps.get_model("pengadaan", "BandSkorItkp")
    PredikatItkp = apps.get_model("pengadaan", "PredikatItkp")
    for nama, tahun_berlaku, keterangan, indikator, predikat in METODOLOGI:
        metodologi = MetodologiItkp.objects.create(nama=nama, tahun_berlaku=tahun_berlaku, keterangan=keterangan)
        for urutan, (kode, nama_indikator, komponen, poin_maks, sumber, bands) in enumerate(indikator, start=1):
            item = IndikatorItkp.objects.create(
                metodologi=metodologi,
                kode=kode,
                nama=nama_indikator,
                komponen=komponen,
                poin_maks=Decimal(poin_maks),
                sumber=sumber,
                urutan=urutan * 10,
            )
            BandSkorItkp.objects.bulk_create(
                BandSkorItkp(indikator=item, persen_min=Decimal(persen_min), poin=Decimal(poin))
                for persen_min, poin in bands
            )
        PredikatItkp.objects.bulk_create(
            PredikatItkp(metodologi=metodologi, nama=nama_predikat, skor_min=Decimal(skor_min))
            for nama_predikat, skor_min in predikat
        )


def unseed(apps, schema_editor):
    # Deleting a methodology cascades to its indicators, bands, predicates and per-year values.
    MetodologiItkp = apps.get_model("pengadaan", "MetodologiItkp")
    MetodologiItkp.objects.filter(nama__in=[m[0] for m in METODOLOGI]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pengadaan", "0004_itkp"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
