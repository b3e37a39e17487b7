"""The import bench's data: non-tender records as SPSE-PencatatanNonTender publishes them, in XLSX.

`write_files` writes --rows rows in the `nontender` contract's columns (about 1 in 17 with two RUP
codes, HTML in some `uraian_pekerjaan`, UTC timestamps) and a second file with the first rows, for the
baseline; `rup_codes` and `opd_index` tell seed.py which RUP packages and OPDs the rows name.

Imported as a sibling module (`python bench/<script>.py` puts bench/ on sys.path).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

TAHUN = 2025
N_OPD = 43
KD_PCT_BASE = 30_000_000  # kd_nontender_pct = base + row index
KD_RUP_BASE = 50_000_000  # first RUP code of a record = base + row index
KD_RUP_SECOND = 60_000_000  # second RUP code, for the records that have two
TWO_CODES_EVERY = 17  # 22 of 383 real records link two or more RUP packages (≈ 1 in 17)

ITEMS = (
    "Alat Tulis Kantor",
    "Makanan dan Minuman Rapat",
    "Bahan Bakar Minyak Kendaraan Dinas",
    "Pemeliharaan Gedung Kantor",
    "Jasa Kebersihan Kantor",
    "Cetak Spanduk dan Baliho",
    "Komputer dan Printer",
    "Suku Cadang Kendaraan Dinas",
    "Obat-obatan dan Bahan Medis Habis Pakai",
    "Pakaian Dinas Harian",
    "Perlengkapan Kebersihan",
    "Pemeliharaan Pendingin Ruangan",
    "Konsumsi Kegiatan Sosialisasi",
    "Sewa Tenda dan Sound System",
    "Penggandaan dan Penjilidan Dokumen",
    "Peralatan Jaringan dan Internet",
    "Mebel Kantor",
    "Rehabilitasi Ringan Saluran Drainase",
    "Bibit Tanaman dan Pupuk",
    "Pengadaan Buku Bacaan Perpustakaan",
)
PLACES = (
    "Kantor",
    "Sekretariat",
    "Bidang Umum",
    "UPT",
    "Puskesmas",
    "Kelurahan",
    "Bidang Program",
    "Subbagian Keuangan",
)
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
PPK = ("Citra Lestari, S.E.", "Budi Santoso, S.T.", "Eka Pratama, S.Kom.", "Dewi Anggraini, S.H.", "Rudi Hartono")


# --- data ------------------------------------------------------------------------------------


def nontender_columns() -> list[str]:
    """Every column of the `nontender` contract, in the contract's order."""
    from pengadaan.imports.contracts import NONTENDER

    return [column.name for column in NONTENDER.columns]


def opd_index(i: int) -> int:
    return (i * 7919) % N_OPD  # every OPD gets rows, spread rather than in blocks


def rup_codes(i: int) -> list[int]:
    codes = [KD_RUP_BASE + i]
    if i % TWO_CODES_EVERY == 0:
        codes.append(KD_RUP_SECOND + i)
    return codes


def spse_code(idx: int) -> int:
    return 16203001 + idx  # as opd.demo.demo_opd_rows gives them


def satker_str(idx: int) -> str:
    return f"4.01.0.00.0.00.{idx + 1:02d}.0000"


def make_row(i: int, rng: random.Random) -> dict[str, object]:
    """One record as SPSE-PencatatanNonTender publishes it (values in LKPP's shapes), by contract column."""
    from pengadaan.models.pencatatan import gabung_kd_rup

    idx = opd_index(i)
    item = ITEMS[rng.randrange(len(ITEMS))]
    created = datetime(TAHUN, 1, 2, tzinfo=UTC) + timedelta(seconds=rng.randrange(330 * 86400))
    mulai = (created + timedelta(days=rng.randrange(1, 10))).date()
    selesai = mulai + timedelta(days=rng.randrange(0, 60))
    pagu = rng.randrange(1_000, 199_000) * 1_000
    selesai_status = rng.random() < 0.8
    if rng.random() < 0.4:
        uraian = (
            f"<p>Pengadaan <strong>{item.lower()}</strong> untuk kebutuhan {PLACES[i % len(PLACES)]}.</p>"
            f"<ul><li>Volume: {rng.randrange(1, 200)} paket</li><li>Lokasi: Kota Tangerang</li></ul>"
        )
    else:
        uraian = f"Pengadaan {item.lower()} untuk kebutuhan operasional tahun {TAHUN}."
    return {
        "kd_nontender_pct": KD_PCT_BASE + i,
        "tahun_anggaran": TAHUN,
        "kd_satker": spse_code(idx),
        "kd_satker_str": satker_str(idx),
        "kd_rup": gabung_kd_rup(rup_codes(i)),
        "nama_paket": f"Belanja {item} {PLACES[i % len(PLACES)]} Bulan {MONTHS[mulai.month - 1]} {TAHUN}",
        "pagu": pagu,
        "nilai_pdn_pct": pagu * rng.randrange(40, 101) // 100 if rng.random() < 0.7 else None,
        "nilai_umk_pct": pagu * rng.randrange(0, 101) // 100 if rng.random() < 0.7 else None,
        "sumber_dana": "APBD",
        "uraian_pekerjaan": uraian,
        "informasi_lainnya": "Dibayar melalui LS" if rng.random() < 0.2 else None,
        "alasan_pembatalan": None,
        "nip_ppk": f"19{rng.randrange(70, 99)}0{rng.randrange(1, 10)}{rng.randrange(10, 29)}20"
        f"{rng.randrange(10, 20)}0{rng.randrange(1, 10)}1{rng.randrange(100, 999)}",
        "nama_ppk": PPK[idx % len(PPK)],
        "tgl_buat_paket": created.strftime("%Y-%m-%dT%H:%M:%S.") + f"{rng.randrange(1000):03d}000Z",
        "tgl_mulai_paket": mulai.isoformat(),
        "tgl_selesai_paket": selesai.isoformat(),
        "kategori_pengadaan": "Pengadaan Barang",
        "mtd_pemilihan": "Pengadaan Langsung",
        "bukti_pembayaran": "SPK" if pagu > 50_000_000 else "NonSPK",
        "status_nontender_pct": "Aktif",
        "status_nontender_pct_ket": "Paket Selesai" if selesai_status else "Paket Sedang Berjalan",
    }


def write_files(directory: Path, rows: int, baseline_rows: int) -> tuple[Path, Path]:
    """The full file and one with its first `baseline_rows` rows, written side by side."""
    from openpyxl import Workbook

    columns = nontender_columns()
    paths = (directory / "bench.xlsx", directory / "bench-baseline.xlsx")
    books = [Workbook(write_only=True) for _path in paths]
    sheets = [book.create_sheet("SPSE-PencatatanNonTender") for book in books]
    for sheet in sheets:
        sheet.append(columns)
    rng = random.Random(20250101)
    for i in range(rows):
        record = make_row(i, rng)
        values = [record[name] for name in columns]
        sheets[0].append(values)
        if i < baseline_rows:
            sheets[1].append(values)
    for book, path in zip(books, paths, strict=True):
        book.save(path)
    return paths
