"""The dashboard bench's data: the 43 demo OPDs' records of three fiscal years as PostgreSQL COPY lines.

What the records look like (the distributions, the planted red-flag cases) is described in
dashboard_bench.py's docstring, step 1. `make_chunk` writes one chunk of records, with their RUP
packages, links and realisasi, in the text format of COPY (columns in the *_COLUMNS order); it runs in
the worker processes of seed.py, the same for a given seed in every run. `build_world` and
`chunks_for` prepare, in the parent, what every chunk needs.

Imported as a sibling module (`python bench/<script>.py` puts bench/ on sys.path).
"""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass
from datetime import date

SEED = 20251231

CHUNK = 20_000  # records per COPY unit (one worker task)
PAKET_BLOCK = 3 * CHUNK  # id room per chunk: primary, second and one extra package per record at most
LINK_BLOCK = 2 * CHUNK
REAL_BLOCK = 8 * CHUNK  # at most 8 payments per record
KD_RUP_BASE = 40_000_000  # kd_rup = base + package id
KD_NONTENDER_BASE = 20_000_000  # kd_nontender_pct = base + record id
KD_SWAKELOLA_BASE = 30_000_000
N_PENYEDIA = 5_000
N_PELAKSANA = 300  # the last ids: swakelola executing parties (instansi, ormas, pokmas)

# Relative sizes of the OPDs (the rest by kind). Dinas Pendidikan (schools) is the biggest.
SIZE = {"Disdik": 16, "Dinkes": 10, "RSUD": 6, "DPUPR": 5, "Setda": 4, "Disperkim": 3, "DLH": 3, "Dishub": 3}
SIZE_BY_JENIS = {"dinas": 2.0, "badan": 1.5, "kecamatan": 1.2, "sekretariat": 2.0}
BIG_OPD = "Disdik"

ITEMS = {
    "Barang": (
        "Alat Tulis Kantor",
        "Komputer dan Printer",
        "Suku Cadang Kendaraan Dinas",
        "Obat-obatan dan Bahan Medis Habis Pakai",
        "Pakaian Dinas Harian",
        "Perlengkapan Kebersihan",
        "Mebel Kantor",
        "Buku Bacaan Perpustakaan",
    ),
    "Jasa Lainnya": (
        "Makanan dan Minuman Rapat",
        "Jasa Kebersihan Kantor",
        "Cetak Spanduk dan Baliho",
        "Sewa Tenda dan Sound System",
        "Pemeliharaan Pendingin Ruangan",
        "Penggandaan dan Penjilidan Dokumen",
    ),
    "Pekerjaan Konstruksi": (
        "Rehabilitasi Ringan Saluran Drainase",
        "Pemeliharaan Gedung Kantor",
        "Perbaikan Jalan Lingkungan",
        "Rehabilitasi Ruang Kelas",
    ),
    "Jasa Konsultansi": ("Perencanaan Teknis Gedung", "Pengawasan Rehabilitasi Gedung", "Kajian Tata Ruang"),
}
KATEGORI = (("Barang", 0.50), ("Jasa Lainnya", 0.80), ("Pekerjaan Konstruksi", 0.95), ("Jasa Konsultansi", 1.0))
KATEGORI_CUM = tuple(t for _k, t in KATEGORI)
CEILING = {  # PL ceilings (DESIGN §7)
    "Barang": 200_000_000,
    "Jasa Lainnya": 200_000_000,
    "Pekerjaan Konstruksi": 400_000_000,
    "Jasa Konsultansi": 100_000_000,
}
MEDIAN_PAGU = {"Barang": 18e6, "Jasa Lainnya": 15e6, "Pekerjaan Konstruksi": 110e6, "Jasa Konsultansi": 35e6}
METODE = (
    ("Pengadaan Langsung", 0.85),
    ("Penunjukan Langsung", 0.92),
    ("Dikecualikan", 0.98),
    ("Darurat", 1.0),
)
METODE_CUM = tuple(t for _m, t in METODE)
SWAKELOLA_ITEMS = (
    "Pelatihan Kader Posyandu",
    "Sosialisasi Peraturan Daerah",
    "Pembinaan Usaha Mikro",
    "Kerja Bakti Kebersihan Lingkungan",
    "Penyusunan Dokumen Perencanaan",
    "Pendataan Penduduk Rentan",
    "Lomba Kampung Bersih",
)
PLACES = ("Kantor", "Sekretariat", "Bidang Umum", "UPT", "Puskesmas", "Kelurahan", "Bidang Program", "Sekolah")
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
TENDER_METHODS = ("Tender", "Seleksi", "Tender Cepat", "E-Purchasing")
ALASAN = ("Input ganda", "Salah input pagu", "Paket dibatalkan oleh OPD", "Anggaran direfocusing")
# Start months: spending is heavier late in the fiscal year.
START_MONTH_CUM = tuple(sum((5, 7, 8, 8, 9, 9, 9, 9, 9, 10, 10, 7)[: i + 1]) / 100 for i in range(12))  # ends at 1.0

STATUS_PAST = (("selesai", 0.905), ("berjalan", 0.95), ("draft", 0.97), ("batal", 1.0))
STATUS_NOW = (("selesai", 0.52), ("berjalan", 0.85), ("draft", 0.97), ("batal", 1.0))
PAYMENTS = {  # number of payments: cumulative weights for 0, 1, 2, …
    "selesai": (0.005, 0.38, 0.68, 0.82, 0.90, 0.95, 0.97, 0.99, 1.0),
    "berjalan": (0.10, 0.55, 0.85, 1.0),
    "draft": (0.75, 0.95, 1.0),
    "batal": (0.60, 0.90, 1.0),
}

PENCATATAN_COLUMNS = (
    "id",
    "opd_id",
    "jenis",
    "tahun_anggaran",
    "kd_rup",
    "kd_nontender_pct",
    "kd_swakelola_pct",
    "nama_paket",
    "pagu",
    "nilai_pdn_pct",
    "nilai_umk_pct",
    "sumber_dana",
    "uraian_pekerjaan",
    "informasi_lainnya",
    "kategori_pengadaan",
    "mtd_pemilihan",
    "bukti_pembayaran",
    "tipe_swakelola",
    "pelaksana_swakelola",
    "status",
    "alasan_pembatalan",
    "nip_ppk",
    "nama_ppk",
    "tgl_buat_paket",
    "tgl_mulai_paket",
    "tgl_selesai_paket",
    "sumber",
    "versi",
    "dibuat_pada",
    "diubah_pada",
)
PAKET_COLUMNS = (
    "id",
    "opd_id",
    "kd_rup",
    "tahun_anggaran",
    "nama_paket",
    "pagu",
    "tipe_paket",
    "metode_pengadaan",
    "jenis_pengadaan",
    "tipe_swakelola",
    "sumber_dana",
    "tgl_awal_pemilihan",
    "status_umumkan_rup",
    "status_aktif_rup",
    "status_delete_rup",
    "nip_ppk",
    "nama_ppk",
)
LINK_COLUMNS = ("id", "pencatatan_id", "paket_id")
REALISASI_COLUMNS = (
    "id",
    "pencatatan_id",
    "jenis_realisasi",
    "no_realisasi",
    "tgl_realisasi",
    "nilai_realisasi",
    "dok_realisasi",
    "ket_realisasi",
    "penyedia_id",
    "tgl_dicatat",
    "dibuat_pada",
    "sumber",  # recorded in the app, not published by SPSE (issue 13's columns, no database default)
    "di_spse",
)
NULL = "\\N"


# --- data generation (runs in the worker processes) ------------------------------------------------


@dataclass(frozen=True)
class World:
    """What every chunk needs, the same in each worker process."""

    today_ord: int
    opd_ids: tuple[int, ...]
    opd_short: tuple[str, ...]
    opd_cum: tuple[float, ...]  # cumulative size shares (the last is 1.0)
    pools: tuple[tuple[int, int], ...]  # per OPD: first supplier id, number of suppliers
    pelaksana_first: int
    date_base: int  # ordinal of DATES[0]
    dates: tuple[str, ...]  # ISO dates from date_base on


@dataclass(frozen=True)
class Chunk:
    tahun: int
    number: int  # global, for the id blocks and the random seed
    first_pid: int
    n: int


def pick(cum: tuple, r: float) -> int:
    return bisect.bisect_right(cum, r) if r < cum[-1] else len(cum) - 1


def make_chunk(world: World, chunk: Chunk) -> tuple[list[str], list[str], list[str], list[str]]:
    """The COPY lines (text format) of one chunk of records: pencatatan, paket RUP, links, realisasi."""
    rng = random.Random(f"{SEED}:{chunk.tahun}:{chunk.number}")
    rnd = rng.random
    dates, base = world.dates, world.date_base
    today = world.today_ord
    tahun = chunk.tahun
    jan1, dec31 = date(tahun, 1, 1).toordinal(), date(tahun, 12, 31).toordinal()
    past = dec31 < today
    last_day = min(dec31, today)
    nov1 = date(tahun, 11, 1).toordinal()
    pile_lo, pile_hi = min(nov1, max(jan1, last_day - 30)), last_day
    status_cum = STATUS_PAST if past else STATUS_NOW
    status_thresholds = tuple(t for _s, t in status_cum)
    p_batch = 0.45 if past else 0.25
    p_extra = 0.05 if past else 0.10
    month_first = [date(tahun, m, 1).toordinal() for m in range(1, 13)] + [dec31 + 1]
    pak_id = chunk.number * PAKET_BLOCK
    link_id = chunk.number * LINK_BLOCK
    real_id = chunk.number * REAL_BLOCK
    records: list[str] = []
    pakets: list[str] = []
    links: list[str] = []
    payments: list[str] = []
    prev: dict | None = None
    tahun_s = str(tahun)

    def paket_line(opd_id, pagu, tipe, metode, jenis_pengadaan, tipe_sw, nama, awal, status="Terumumkan\tt\tf"):
        """One RUP package; `status` is status_umumkan_rup, status_aktif_rup and status_delete_rup."""
        nonlocal pak_id
        pak_id += 1
        pakets.append(
            f"{pak_id}\t{opd_id}\t{KD_RUP_BASE + pak_id}\t{tahun_s}\t{nama}\t{pagu}\t{tipe}\t{metode}\t"
            f"{jenis_pengadaan}\t{tipe_sw}\tAPBD\t{awal}\t{status}\t\t{PPK[pak_id % len(PPK)]}\n"
        )
        return pak_id

    for k in range(chunk.n):
        pid = chunk.first_pid + k
        twin = prev is not None and rnd() < 0.003
        if twin:
            opd_i, jenis, kategori, metode, pagu = prev["opd"], prev["jenis"], prev["kat"], prev["mtd"], prev["pagu"]
            tipe_sw, nama = prev["tipe_sw"], prev["nama"]
        else:
            opd_i = pick(world.opd_cum, rnd())
            jenis = "non_tender" if rnd() < 0.8 else "swakelola"
            if jenis == "non_tender":
                kategori = KATEGORI[pick(KATEGORI_CUM, rnd())][0]
                metode = METODE[pick(METODE_CUM, rnd())][0]
                median = MEDIAN_PAGU[kategori] * (4 if metode != "Pengadaan Langsung" else 1)
                pagu = int(median * math.exp(rng.gauss(0, 0.9)) / 1000) * 1000 + 1000
                if metode == "Pengadaan Langsung":
                    ceiling = CEILING[kategori]
                    pagu = min(pagu, ceiling)
                    if rnd() < 0.003:  # rule 2: a PL above its ceiling
                        pagu = ceiling + int(rnd() * ceiling / 2 / 1000) * 1000 + 1000
                tipe_sw = None
                items = ITEMS[kategori]
                nama = f"Belanja {items[pid % len(items)]} {PLACES[pid % len(PLACES)]}"
            else:
                kategori = metode = ""
                pagu = min(int(50e6 * math.exp(rng.gauss(0, 1.0)) / 1000) * 1000 + 1000, 2_000_000_000)
                r = rnd()
                tipe_sw = 1 if r < 0.7 else 2 if r < 0.85 else 3 if r < 0.93 else 4
                nama = f"{SWAKELOLA_ITEMS[pid % len(SWAKELOLA_ITEMS)]} {PLACES[pid % len(PLACES)]}"
        opd_id = world.opd_ids[opd_i]
        if twin and rnd() < 0.6:
            status, alasan = "batal", "Input ganda"
        else:
            status = status_cum[pick(status_thresholds, rnd())][0]
            alasan = ALASAN[pid % len(ALASAN)] if status == "batal" else ""

        # dates: contract start (heavier late in the year), end, and when the record was made
        m = pick(START_MONTH_CUM, rnd())
        mulai = month_first[m] + int(rnd() * (month_first[m + 1] - month_first[m]))
        if mulai > last_day:
            mulai = jan1 + int(rnd() * (last_day - jan1 + 1))
        selesai = mulai + int(rnd() * 60)
        batch = rnd() < p_batch
        if batch:
            created = max(mulai, pile_lo + int(rnd() * (pile_hi - pile_lo + 1)))
            if past and rnd() < 0.06:  # recorded in January-February of the next year
                created = dec31 + 1 + int(rnd() * 50)
        else:
            created = mulai + int(rng.expovariate(1 / 15))
        created = min(created, today)

        # RUP packages
        if twin:
            linked, codes = prev["linked"], prev["codes"]
        else:
            linked, codes = [], []
            if rnd() < (0.96 if status != "draft" else 0.85):
                parts = [pagu]
                if rnd() < 1 / 17:
                    first = int(pagu * (0.3 + 0.4 * rnd()) / 1000) * 1000
                    parts = [first, pagu - first]
                awal_m = max(1, m + 1 - (1 if rnd() < 0.3 else 0))
                awal = f"{tahun_s}-{awal_m:02d}-01"
                for part in parts:
                    pagu_rup = part if rnd() < 0.85 else int(part * (1 + 0.25 * rnd()) / 1000) * 1000
                    if jenis == "non_tender":
                        new = paket_line(opd_id, pagu_rup, "Penyedia", metode, kategori, NULL, nama, awal)
                    else:
                        new = paket_line(opd_id, pagu_rup, "Swakelola", "", "", tipe_sw, nama, awal)
                    linked.append(new)
                    codes.append(str(KD_RUP_BASE + new))
        r = rnd()
        awal = f"{tahun_s}-{1 + int(rnd() * 12):02d}-01"
        if r < p_extra:  # counting, nobody recorded it yet
            if rnd() < 0.8:
                paket_line(opd_id, pagu, "Penyedia", "Pengadaan Langsung", kategori or "Barang", NULL, nama, awal)
            else:
                paket_line(opd_id, pagu, "Swakelola", "", "", 1, nama, awal)
        elif r < p_extra + 0.04:  # tender and e-purchasing: not non tender
            metode_t = TENDER_METHODS[int(rnd() * len(TENDER_METHODS))]
            paket_line(opd_id, pagu * 8, "Penyedia", metode_t, "Barang", NULL, f"Pengadaan {nama}", awal)
        elif r < p_extra + 0.05:  # not announced, inactive or deleted: does not count
            status_rup = ("Draf\tt\tf", "Terumumkan\tf\tf", "Terumumkan\tt\tt")[int(rnd() * 3)]
            paket_line(opd_id, pagu, "Penyedia", "Pengadaan Langsung", "Barang", NULL, nama, awal, status_rup)
        for paket in linked:
            link_id += 1
            links.append(f"{link_id}\t{pid}\t{paket}\n")

        # payments
        cum = PAYMENTS[status]
        n_pay = pick(cum, rnd())  # for Selesai, 0.5% get none: rule 5
        total = 0
        last_recorded = created
        if n_pay:
            if status == "selesai":
                share = 0.85 + 0.15 * rnd()
            elif status == "berjalan":
                share = 0.2 + 0.6 * rnd()
            else:
                share = 0.1 + 0.5 * rnd()
            if rnd() < 0.002:  # rule 3: realisasi above pagu
                share = 1.01 + 0.2 * rnd()
            weights = [0.2 + rnd() for _ in range(n_pay)]
            s = sum(weights)
            amounts = [max(1000, int(pagu * share * w / s / 1000) * 1000) for w in weights]
            hi = min(selesai + 20, dec31, today)
            pay_dates = sorted(mulai + int(rnd() * (hi - mulai + 1)) for _ in range(n_pay))
            if jenis == "non_tender":
                pool_first, pool_n = world.pools[opd_i]
                supplier = pool_first + int(pool_n * rnd() ** 2) if rnd() < 0.9 else 1 + int(rnd() * N_PENYEDIA)
                supplier = min(supplier, world.pelaksana_first - 1)
            elif tipe_sw == 1:
                supplier = None
            else:
                supplier = world.pelaksana_first + int(rnd() * N_PELAKSANA)
            for j in range(n_pay):
                real_id += 1
                amount = amounts[j]
                paid = pay_dates[j]
                if batch:
                    recorded = max(paid, created) + int(rnd() * 4)
                else:
                    recorded = max(paid + min(400, int(rng.lognormvariate(3.0, 1.1))), created)
                recorded = min(recorded, today)
                last_recorded = max(last_recorded, recorded)
                if amount <= 10_000_000:
                    jr = "bukti_pembelian" if rnd() < 0.6 else "kuitansi"
                elif amount <= 50_000_000:
                    r = rnd()
                    jr = "kuitansi" if r < 0.7 else "surat_pesanan" if r < 0.9 else "lainnya"
                    if rnd() < 0.004:
                        jr = "bukti_pembelian"  # rule 9
                else:
                    r = rnd()
                    if jenis == "non_tender":
                        jr = "spk" if r < 0.6 else "surat_perjanjian"
                    else:
                        jr = "surat_perjanjian" if r < 0.5 else "lainnya"
                    if rnd() < 0.003:
                        jr = "kuitansi"  # rule 9
                if j and supplier is not None and jenis == "non_tender" and rnd() < 0.1:
                    pool_first, pool_n = world.pools[opd_i]
                    supplier = pool_first + int(pool_n * rnd())
                payments.append(
                    f"{real_id}\t{pid}\t{jr}\t{j + 1}/{jr[:3].upper()}/{pid}\t{dates[paid - base]}\t{amount}\t\t\t"
                    f"{NULL if supplier is None else supplier}\t{dates[recorded - base]}\t"
                    f"{dates[recorded - base]} 10:{j % 60:02d}:00+07\taplikasi\tf\n"
                )
                total += amount

        # PDN / UMK (Rupiah), set when there are payments
        pdn = umk = NULL
        if total and rnd() < 0.6:
            pdn = str(int(total * (0.3 + 0.7 * rnd())))
            umk = str(int(total * rnd()))
            r = rnd()
            if r < 0.002 and total > 100_000:
                pdn = "100"  # rule 8: a percentage typed into a Rupiah field
            elif r < 0.003:
                umk = str(int(total * 1.2))  # rule 8: above the realisasi

        if jenis == "non_tender":
            kd_nt = NULL if status == "draft" else str(KD_NONTENDER_BASE + pid)
            kd_sw, tipe_s, pelaksana = NULL, NULL, ""
            bukti = "SPK" if pagu > 50_000_000 else "NonSPK"
        else:
            kd_nt = NULL
            kd_sw = NULL if status == "draft" else str(KD_SWAKELOLA_BASE + pid)
            tipe_s = str(tipe_sw)
            pelaksana = "" if tipe_sw == 1 else f"Kelompok Masyarakat Pelaksana {pid % 97 + 1}"
            bukti = ""
        month_name = MONTHS[(mulai - jan1) * 12 // 366]
        uraian = (
            f"<p>Pengadaan <strong>{nama.lower()}</strong> bulan {month_name} {tahun_s}.</p>"
            if pid % 3 == 0
            else f"{nama} untuk kebutuhan operasional tahun {tahun_s}."
        )
        nip = f"19{70 + pid % 29}0{1 + pid % 9}{10 + pid % 19}20{10 + pid % 10}0{1 + pid % 9}1{100 + pid % 900}"
        made = f"{dates[created - base]} 0{8 + pid % 2}:{pid % 60:02d}:00+07"
        changed = f"{dates[last_recorded - base]} 1{pid % 7}:{pid % 60:02d}:00+07"
        records.append(
            f"{pid}\t{opd_id}\t{jenis}\t{tahun_s}\t{';'.join(codes)}\t{kd_nt}\t{kd_sw}\t{nama} Bulan {month_name} "
            f"{tahun_s}\t{pagu}\t{pdn}\t{umk}\tAPBD\t{uraian}\t\t{kategori}\t{metode}\t{bukti}\t{tipe_s}\t"
            f"{pelaksana}\t{status}\t{alasan}\t{nip}\t{PPK[opd_i % len(PPK)]}\t{dates[created - base]}\t"
            f"{dates[mulai - base]}\t{dates[selesai - base]}\taplikasi\t1\t{made}\t{changed}\n"
        )
        prev = {
            "opd": opd_i,
            "jenis": jenis,
            "kat": kategori,
            "mtd": metode,
            "pagu": pagu,
            "tipe_sw": tipe_sw,
            "nama": nama,
            "linked": linked,
            "codes": codes,
        }
    return records, pakets, links, payments


# --- what every chunk needs, prepared in the parent process ------------------------------------------


def opd_weights(opds) -> list[float]:
    return [SIZE.get(o.singkatan, SIZE_BY_JENIS.get(o.jenis, 1.0)) for o in opds]


def build_world(opds, today: date, years: tuple[int, ...]) -> World:
    weights = opd_weights(opds)
    total = sum(weights)
    cum, acc = [], 0.0
    for w in weights:
        acc += w / total
        cum.append(acc)
    cum[-1] = 1.0
    pool_total = N_PENYEDIA - N_PELAKSANA
    pools, first = [], 1
    for w in weights:
        n = max(20, int(pool_total * w / total))
        pools.append((first, n))
        first += n
    scale = pool_total / (first - 1)  # squeeze back into the supplier ids
    pools = [(1 + int((f - 1) * scale), max(10, int(n * scale))) for f, n in pools]
    base = date(years[0], 1, 1).toordinal() - 10
    end = max(today.toordinal(), date(years[-1], 12, 31).toordinal()) + 500
    dates = tuple(date.fromordinal(o).isoformat() for o in range(base, end))
    return World(
        today_ord=today.toordinal(),
        opd_ids=tuple(o.pk for o in opds),
        opd_short=tuple(o.singkatan for o in opds),
        opd_cum=tuple(cum),
        pools=tuple(pools),
        pelaksana_first=N_PENYEDIA - N_PELAKSANA + 1,
        date_base=base,
        dates=dates,
    )


def chunks_for(records: int, years: tuple[int, ...]) -> list[Chunk]:
    per_year = [records // len(years) + (1 if i < records % len(years) else 0) for i in range(len(years))]
    chunks, pid, number = [], 1, 0
    for tahun, n_year in zip(years, per_year, strict=True):
        for start in range(0, n_year, CHUNK):
            n = min(CHUNK, n_year - start)
            chunks.append(Chunk(tahun=tahun, number=number, first_pid=pid, n=n))
            pid += n
            number += 1
    return chunks
