"""The demo's suppliers (pemasok) and swakelola executors (pelaksana): names, NPWPs and their upsert.

They are the one kind of row a reseed keeps (matched by NPWP), so their names and NPWPs are drawn
first from the seeded `rng`, before any package.
"""

from __future__ import annotations

import random

from pengadaan.models import Penyedia

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


def nama_pelaksana() -> set[str]:
    """Names of the swakelola executors, which are never picked as ordinary suppliers."""
    return {nama for daftar in PELAKSANA.values() for nama, _ in daftar}


def penyedia_draw(rng: random.Random) -> list[tuple[str, str | None]]:
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


def penyedia_upsert(daftar: list[tuple[str, str | None]]) -> list[Penyedia]:
    """Upsert the demo suppliers by NPWP (by name when they have none); they survive a reseed.

    Side effects: creates the missing Penyedia and renames those whose name changed.
    """
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


def penyedia_groups(
    penyedia: list[Penyedia],
) -> tuple[dict[str, Penyedia], list[Penyedia], dict[int, list[Penyedia]]]:
    """Split the saved suppliers into (red-flag suppliers by name, ordinary suppliers, executors per tipe).

    The red-flag suppliers are kept apart so that no ordinary record joins their patterns.
    """
    by_name = {p.nama: p for p in penyedia}
    tanda = {nama: by_name[nama] for nama in PEMASOK_TANDA}
    pemasok = [p for p in penyedia if p.nama not in tanda and p.nama not in nama_pelaksana()]
    pelaksana = {tipe: [by_name[nama] for nama, _ in daftar] for tipe, daftar in PELAKSANA.items()}
    return tanda, pemasok, pelaksana
