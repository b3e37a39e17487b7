"""Dashboard benchmark (DESIGN §9): the dashboards and the record list at 1,000,000 records.

Not a test. Run from the project root:

    .venv/bin/python bench/dashboard_bench.py [--records 1000000] [--keep-db NAME] [--runs 5] [--explain]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres]

What it does, in one run:

1. SEED. Creates the database `spse_dash_bench` on the server of --database-url (dropped first if it
   is left over, dropped again at the end), migrates it and seeds it with PostgreSQL COPY (psycopg 3
   `cursor.copy`), from two worker processes, with the secondary indexes, unique and foreign-key
   constraints of the four big tables dropped during the load and re-created (and so validated) after
   it; then VACUUM ANALYZE. With --keep-db NAME the database NAME is used instead and kept at the end;
   when it already holds a complete seed of the same size and years it is reused as it is (the seed is
   recorded in the database's comment), so that the measurements can be repeated quickly.

   The data, for the fiscal years current−2 … current (the current year only up to today, Asia/Jakarta):
   - the 43 demo OPDs (opd.demo), of very different sizes (Dinas Pendidikan ≈ 14% of all records);
   - --records pencatatan, a third per year: ≈80% non tender (Pengadaan Langsung 85%, Penunjukan
     Langsung, Dikecualikan, Darurat; kategori Barang, Jasa Lainnya, Pekerjaan Konstruksi, Jasa
     Konsultansi), ≈20% swakelola (tipe I–IV); status in past years ≈90% Selesai, 4.5% Berjalan, 2%
     Draft, 3% Batal (with a reason), in the current year ≈52% Selesai, 33% Berjalan, 12% Draft, 3%
     Batal; a year-end pile-up of `tgl_buat_paket` (≈half of a past year's records are made in
     November–December, some in January of the next year); SPSE codes on every non-Draft record;
     `versi`=1, `sumber`='aplikasi'; history tables stay empty;
   - ≈1.1 RUP packages per record: the package(s) each record links (96% of records link one, 1 in 17
     a second one, `kd_rup` is the `;`-joined codes), counting packages nobody recorded yet (5% in past
     years, 10% in the current year), Tender / Seleksi / Tender Cepat / E-Purchasing packages (4%) and
     packages not announced, inactive or deleted (1%);
   - ≈2 realisasi per record (Selesai 1–8, Berjalan 0–3, Draft and Batal mostly none), paid between the
     contract start and its end, `tgl_dicatat` lagging `tgl_realisasi` (as-you-go records: log-normal
     lag, median ≈20 days; year-end batch records: recorded at the pile-up), proof type by amount,
     supplier from ≈5,000 Penyedia (each OPD its own pool; swakelola tipe I without one);
   - red-flag cases: PL above its ceiling (0.3%), realisasi above pagu (0.2%), Selesai without
     realisasi (0.5%), double input (0.3% twins, 60% of them cancelled as "input ganda"), PDN/UMK of
     exactly 100 or above the realisasi (0.3%), proof unfit for the amount (≈0.4% of payments); rules
     1, 4 and 7 fire by themselves on such data (suppliers recur; most payments are recorded > 30 days
     late; old Berjalan records are overdue); 150 rule-2 flags and the rule-4 flags of 5 OPDs per year are reviewed.

2. MEASURE, in a child process (this script with --child) running as production does (DEBUG=False,
   persistent connections CONN_MAX_AGE=600, SECURE_SSL_REDIRECT=False and ALLOWED_HOSTS=testserver
   for the test client, static files without the manifest), for year Y = current−1 (a complete
   year): every measurement once to warm caches, then --runs times; the median is reported.
   a. supervisor dashboard: django.test.Client logged in as a pengawas (force_login, backend
      opd.backends.OpdModelBackend), GET /dashboard/?tahun=Y, wall time of the request: first as it is
      almost always served, from the stored summaries (pengadaan.ringkasan) while they are current;
      then with every OPD's summary of Y made out of date before each run (what an import does; not
      timed), so that the request recomputes them all. Inside those requests, the time of each piece
      the view calls (ringkasan.current, which includes the recomputing, ringkasan.open_flag_counts,
      itkp.proyeksi_itkp, selectors.years_of; wrapped on their modules in the measuring process, see
      Pieces); the rest is sessions, auth, the view itself and the template;
   b. the RAW SQL AGGREGATE (RAW_SQL_TABEL below), run with a raw cursor: the §5 table of every OPD and
      the city for Y; and apart, the raw SQL of the red-flag counts (RAW_SQL_FLAGS below). Both are
      checked against metrics.tabel and the stored open red flags (same numbers for every OPD and rule);
   c. OPD dashboard: GET /opd/<pk>/dasbor/?tahun=Y for the biggest OPD, as its operator (with its
      pieces, metrics.rup_belum_dicatat among them), current and with its summary out of date;
   d. record list page 1, filtered and sorted: GET /pencatatan/?tahun_anggaran=Y&status=selesai&sort=-pagu
      (the filter's field is `tahun_anggaran`, a `tahun` parameter would be ignored; `sort` is
      django-tables2's default order_by_field) as the pengawas and as the operator.
   The SQL queries of each request are counted (CaptureQueriesContext, in its warm-up run) and the
   slowest are listed; --explain adds EXPLAIN (ANALYZE, BUFFERS) of the three slowest queries of every
   request that misses its target. A measurement whose warm-up takes more than --slow-ms (5 s) is
   timed 3 times instead of --runs, so that a run at 1,000,000 records stays near ten minutes.
   --jit off measures with jit=off on every connection of the measuring process (PGOPTIONS), the
   Django side and the raw SQL alike; by default the server's setting applies.

3. REPORT: one table, measurement | median ms | queries | target | PASS/FAIL, with the ratio of the
   dashboard to the raw §5 SQL, and of the recomputing dashboard to the raw §5 and red-flag SQL
   together (what it computes). Exits 1 when a target or a check fails.

What the raw SQL computes (for Y, "active" = status not Batal, DESIGN §5):
- statement 1: the OPDs (pk, kd_satker, nama_satker), as the dashboard lists them;
- statement 2: per OPD, the counting RUP packages (announced, active, not deleted) that are swakelola
  or penyedia with a non-tender method: their number and pagu, and of those the ones linked to at
  least one active pencatatan of the matching kind (penyedia ↔ non tender, swakelola ↔ swakelola):
  number and pagu; the links are resolved once as a hashed semi-join, not per package;
- statement 3: per OPD, the active pencatatan: number, Selesai, Draft;
- statement 4: per OPD and lag (tgl_dicatat − tgl_realisasi, in days) over the realisasi of the active
  pencatatan: number, sum of nilai_realisasi, number first recorded in November or December: one pass
  over the realisasi. Python adds the city row, persen_tercatat, the medians (from the lag counts,
  the mean of the two middle values for an even count) and persen_input_nov_des.
- red flags (one statement, RAW_SQL_FLAGS): the open flags per OPD and rule, exactly as
  pengadaan.redflags defines them (rules 1–9, thresholds at their defaults, rule 7 against today),
  less the flags reviewed for Y (matched on the flag's `kode`): one pass over the year's payments (per
  record and supplier, then per record), one over its records with every per-record rule evaluated,
  counted per OPD; the groups of rules 1 and 6 are built from that pass. It returns counts, not the
  texts of the ten flags the page shows.
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from multiprocessing import get_context
from pathlib import Path
from zoneinfo import ZoneInfo

from postgres_admin import DEFAULT_URL, admin_sql, with_database  # bench/postgres_admin.py

PROJECT = Path(__file__).resolve().parent.parent
DB_NAME = "spse_dash_bench"
SEED = 20251231
MARKER = "dashboard_bench seed v1"

TARGET_RATIO = 1.3  # dashboard server time / raw SQL aggregate (DESIGN §9)
TARGET_PAGE_MS = 50.0  # OPD dashboard and record list (DESIGN §9, "lists")

CHUNK = 20_000  # records per COPY unit (one worker task)
PAKET_BLOCK = 3 * CHUNK  # id room per chunk: primary, second and one extra package per record at most
LINK_BLOCK = 2 * CHUNK
REAL_BLOCK = 8 * CHUNK  # at most 8 payments per record
KD_RUP_BASE = 40_000_000  # kd_rup = base + package id
KD_NONTENDER_BASE = 20_000_000  # kd_nontender_pct = base + record id
KD_SWAKELOLA_BASE = 30_000_000
N_PENYEDIA = 5_000
N_PELAKSANA = 300  # the last ids: swakelola executing parties (instansi, ormas, pokmas)
BIG_TABLES = ("pengadaan_pencatatan", "pengadaan_realisasi", "pengadaan_paketrup", "pengadaan_pencatatanrup")

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
)
NULL = "\\N"


# --- the raw SQL baseline -----------------------------------------------------------------------

NON_TENDER_METHODS_SQL = (
    "ARRAY['pengadaan langsung', 'penunjukan langsung', 'dikecualikan', 'pengecualian', 'darurat', 'kontes', "
    "'sayembara']"
)

RAW_SQL_TABEL = (
    # 1. the OPDs, as the dashboard lists them
    "SELECT id, kd_satker, nama_satker FROM opd_opd ORDER BY nama_satker",
    # 2. RUP packages that count, and of those the ones recorded (linked to an active record of the matching
    #    kind): the recorded packages of the year are found once, by hash joins, not by one probe per package
    f"""
    SELECT p.opd_id, count(*), sum(p.pagu),
           count(t.paket_id), coalesce(sum(p.pagu) FILTER (WHERE t.paket_id IS NOT NULL), 0)
    FROM pengadaan_paketrup p
    LEFT JOIN (
        SELECT DISTINCT l.paket_id
        FROM pengadaan_pencatatanrup l
        JOIN pengadaan_paketrup q ON q.id = l.paket_id
        JOIN pengadaan_pencatatan c ON c.id = l.pencatatan_id
        WHERE q.tahun_anggaran = %(tahun)s AND c.status <> 'batal'
          AND c.jenis = CASE q.tipe_paket WHEN 'Penyedia' THEN 'non_tender' ELSE 'swakelola' END
    ) t ON t.paket_id = p.id
    WHERE p.tahun_anggaran = %(tahun)s
      AND upper(p.status_umumkan_rup) = 'TERUMUMKAN' AND p.status_aktif_rup AND NOT p.status_delete_rup
      AND (p.tipe_paket = 'Swakelola'
           OR (p.tipe_paket = 'Penyedia' AND lower(p.metode_pengadaan) = ANY ({NON_TENDER_METHODS_SQL})))
    GROUP BY p.opd_id
    """,
    # 3. active records: number, Selesai, Draft
    """
    SELECT opd_id, count(*), count(*) FILTER (WHERE status = 'selesai'), count(*) FILTER (WHERE status = 'draft')
    FROM pengadaan_pencatatan
    WHERE tahun_anggaran = %(tahun)s AND status <> 'batal'
    GROUP BY opd_id
    """,
    # 4. realisasi of the active records, per OPD and for the city (opd_id NULL): number, value, number
    #    first recorded in Nov-Dec, median lag in days (percentile_cont: the mean of the two middle values)
    """
    SELECT c.opd_id, count(*), sum(r.nilai_realisasi),
           count(*) FILTER (WHERE extract(month FROM r.tgl_dicatat) IN (11, 12)),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY r.tgl_dicatat - r.tgl_realisasi)
    FROM pengadaan_realisasi r JOIN pengadaan_pencatatan c ON c.id = r.pencatatan_id
    WHERE c.tahun_anggaran = %(tahun)s AND c.status <> 'batal'
    GROUP BY GROUPING SETS ((c.opd_id), ())
    """,
)

# One pass over the year's payments and one over its records; per-record flags are counted per OPD, and
# only the reviewed ones (joined by rule and record id) are taken off. The CTE `c` is NOT MATERIALIZED:
# each use is planned on the table, with its statistics (a materialized CTE has none: its row estimates
# of 1 lead to nested loops over hundreds of thousands of rows).
RAW_SQL_FLAGS = """
WITH c AS NOT MATERIALIZED (
    SELECT id, opd_id, jenis, status, pagu, kategori_pengadaan, mtd_pemilihan, kd_rup,
           nilai_pdn_pct, nilai_umk_pct, tgl_selesai_paket,
           CASE kategori_pengadaan WHEN 'Barang' THEN 200000000 WHEN 'Terintegrasi' THEN 200000000
                WHEN 'Jasa Lainnya' THEN 200000000 WHEN 'Pekerjaan Konstruksi' THEN 400000000
                WHEN 'Jasa Konsultansi' THEN 100000000 END AS batas  -- PL ceilings
    FROM pengadaan_pencatatan WHERE tahun_anggaran = %(tahun)s
), bayar_penyedia AS (  -- the year's payments per record and supplier
    SELECT r.pencatatan_id, r.penyedia_id, sum(r.nilai_realisasi) AS total,
           bool_or((r.jenis_realisasi = 'bukti_pembelian' AND r.nilai_realisasi > 10000000)
                   OR (r.jenis_realisasi = 'kuitansi' AND r.nilai_realisasi > 50000000)) AS bukti
    FROM pengadaan_realisasi r JOIN c ON c.id = r.pencatatan_id
    GROUP BY r.pencatatan_id, r.penyedia_id
), bayar AS (  -- ... per record, with its distinct suppliers
    SELECT pencatatan_id, sum(total) AS total, bool_or(bukti) AS bukti,
           array_agg(penyedia_id) FILTER (WHERE penyedia_id IS NOT NULL) AS penyedia
    FROM bayar_penyedia GROUP BY pencatatan_id
), rec AS MATERIALIZED (  -- one row per record of the year, every per-record rule evaluated
    SELECT c.id, c.opd_id, c.status <> 'batal' AS aktif, c.kd_rup, c.pagu, c.kategori_pengadaan, c.batas,
           c.status <> 'batal' AND c.jenis = 'non_tender' AND c.mtd_pemilihan = 'Pengadaan Langsung'
               AND c.pagu > c.batas AS r2,
           c.status <> 'batal' AND p.total > c.pagu AS r3,
           c.status = 'selesai' AND p.pencatatan_id IS NULL AS r5,
           c.status = 'berjalan' AND c.tgl_selesai_paket < %(today)s::date - 30 AS r7,
           c.status <> 'batal' AND (
                  c.nilai_pdn_pct > CASE WHEN coalesce(p.total, 0) > 0 THEN p.total ELSE c.pagu END
               OR c.nilai_umk_pct > CASE WHEN coalesce(p.total, 0) > 0 THEN p.total ELSE c.pagu END
               OR (coalesce(p.total, 0) > 100000 AND (c.nilai_pdn_pct = 100 OR c.nilai_umk_pct = 100))) AS r8,
           c.status <> 'batal' AND p.bukti AS r9,
           CASE WHEN c.status <> 'batal' AND c.jenis = 'non_tender' AND c.mtd_pemilihan = 'Pengadaan Langsung'
                     AND c.pagu <= c.batas THEN p.penyedia END AS calon_penyedia  -- rule 1 candidates
    FROM c LEFT JOIN bayar p ON p.pencatatan_id = c.id
), hitung AS (  -- rules 2, 3, 5, 7-9: flagged records per OPD and rule
    SELECT h.opd_id, v.rule, v.n
    FROM (SELECT opd_id, count(*) FILTER (WHERE r2) AS n2, count(*) FILTER (WHERE r3) AS n3,
                 count(*) FILTER (WHERE r5) AS n5, count(*) FILTER (WHERE r7) AS n7,
                 count(*) FILTER (WHERE r8) AS n8, count(*) FILTER (WHERE r9) AS n9
          FROM rec GROUP BY opd_id) h
    CROSS JOIN LATERAL (VALUES (2, h.n2), (3, h.n3), (5, h.n5), (7, h.n7), (8, h.n8), (9, h.n9)) v(rule, n)
), ditinjau AS (  -- ... of which reviewed for the year (kode R<rule>:pencatatan:<id>)
    SELECT r.opd_id, v.rule, count(*) AS n
    FROM (SELECT substr(kode, 2, 1)::int AS rule, split_part(kode, ':', 3)::bigint AS id
          FROM pengadaan_redflagreview WHERE tahun = %(tahun)s AND kode ~ '^R[235789]:pencatatan:[0-9]+$') v
    JOIN rec r ON r.id = v.id
    WHERE CASE v.rule WHEN 2 THEN r.r2 WHEN 3 THEN r.r3 WHEN 5 THEN r.r5 WHEN 7 THEN r.r7
                      WHEN 8 THEN r.r8 WHEN 9 THEN r.r9 END
    GROUP BY r.opd_id, v.rule
), kelompok AS (  -- rule 1 (same OPD, supplier NPWP, kategori), rule 4 (an OPD recording more than half of its
                 -- entries over 30 days late) and rule 6 (same OPD, kd_rup, pagu): groups
    SELECT r.opd_id, 1 AS rule, 'R1:opd:' || r.opd_id || ':npwp:' || s.npwp || ':kategori:' || r.kategori_pengadaan
           || ':tahun:' || %(tahun)s AS kode
    FROM rec r CROSS JOIN LATERAL unnest(r.calon_penyedia) AS x(penyedia_id)
    JOIN pengadaan_penyedia s ON s.id = x.penyedia_id AND s.npwp IS NOT NULL
    GROUP BY r.opd_id, s.npwp, r.kategori_pengadaan, r.batas
    HAVING count(*) >= 2 AND sum(r.pagu) > r.batas
    UNION ALL
    SELECT opd_id, 6, 'R6:opd:' || opd_id || ':kd_rup:'
           || CASE WHEN length(kd_rup) > 100
                   THEN 'sha256-' || left(encode(sha256(convert_to(kd_rup, 'UTF8')), 'hex'), 40)
                   ELSE kd_rup END
           || ':pagu:' || pagu || ':tahun:' || %(tahun)s
    FROM rec WHERE aktif AND kd_rup <> ''
    GROUP BY opd_id, kd_rup, pagu HAVING count(*) >= 2
    UNION ALL
    SELECT rec.opd_id, 4, 'R4:opd:' || rec.opd_id || ':tahun:' || %(tahun)s
    FROM pengadaan_realisasi r JOIN rec ON rec.id = r.pencatatan_id AND rec.aktif
    GROUP BY rec.opd_id HAVING count(*) FILTER (WHERE r.tgl_dicatat - r.tgl_realisasi > 30) > 0.5 * count(*)
)
SELECT h.opd_id, h.rule, h.n - coalesce(d.n, 0)
FROM hitung h LEFT JOIN ditinjau d ON d.opd_id = h.opd_id AND d.rule = h.rule
WHERE h.n > coalesce(d.n, 0)
UNION ALL
SELECT k.opd_id, k.rule, count(*) FROM kelompok k
WHERE NOT EXISTS (SELECT 1 FROM pengadaan_redflagreview v WHERE v.kode = k.kode AND v.tahun = %(tahun)s)
GROUP BY k.opd_id, k.rule
"""


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
                    f"{dates[recorded - base]} 10:{j % 60:02d}:00+07\n"
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


_worker: dict = {}


def worker_init(url: str, world: World) -> None:
    import psycopg

    conn = psycopg.connect(url)
    conn.execute("SET synchronous_commit = off")
    conn.commit()
    _worker.update(conn=conn, world=world)


def load_chunk(chunk: Chunk) -> dict[str, float]:
    """Generate one chunk and COPY it in (worker process)."""
    started = time.perf_counter()
    records, pakets, links, payments = make_chunk(_worker["world"], chunk)
    generated = time.perf_counter()
    conn = _worker["conn"]
    with conn.cursor() as cur:
        for table, columns, lines in (
            ("pengadaan_paketrup", PAKET_COLUMNS, pakets),
            ("pengadaan_pencatatan", PENCATATAN_COLUMNS, records),
            ("pengadaan_pencatatanrup", LINK_COLUMNS, links),
            ("pengadaan_realisasi", REALISASI_COLUMNS, payments),
        ):
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for start in range(0, len(lines), 5000):
                    copy.write("".join(lines[start : start + 5000]))
    conn.commit()
    return {
        "records": len(records),
        "paket": len(pakets),
        "links": len(links),
        "realisasi": len(payments),
        "generate_s": generated - started,
        "copy_s": time.perf_counter() - generated,
    }


# --- database and seeding (parent process) ---------------------------------------------------------


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spse_tracker.settings")
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "False"
    os.environ["CONN_MAX_AGE"] = "600"
    os.environ["LOG_LEVEL"] = "WARNING"
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def today_jakarta() -> date:
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


def marker_for(records: int, years: tuple[int, ...]) -> str:
    return f"{MARKER}: records={records} years={years[0]}-{years[-1]}"


def seeded_marker(url: str, name: str) -> str | None:
    rows = admin_sql(url, "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name])
    return rows[0][0] if rows else None


def database_exists(url: str, name: str) -> bool:
    return bool(admin_sql(url, "SELECT 1 FROM pg_database WHERE datname = %s", [name]))


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


def drop_secondary(conn) -> list[tuple[str, str, str]]:
    """Drop the FK and unique constraints and the plain indexes of the big tables; return how to restore them."""
    tables = list(BIG_TABLES)
    saved: list[tuple[str, str, str]] = []
    for table, name, definition in conn.execute(
        """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
           WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u') ORDER BY contype = 'f' DESC""",
        [tables],
    ).fetchall():
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        saved.append(("constraint", table, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
    for name, definition in conn.execute(
        """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
           WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS (
               SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))""",
        [tables],
    ).fetchall():
        conn.execute(f"DROP INDEX {name}")
        saved.append(("index", "", definition))
    conn.commit()
    # indexes and unique constraints first, foreign keys (which need nothing but the primary keys) last
    return sorted(saved, key=lambda item: "FOREIGN KEY" in item[2])


def seed(url: str, name: str, records: int, today: date, years: tuple[int, ...]) -> dict[str, float | int]:
    """Create, migrate and fill the database `name`. Returns timings and counts."""
    import psycopg

    timings: dict[str, float | int] = {}
    started = time.perf_counter()
    admin_sql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_sql(url, f'CREATE DATABASE "{name}"')
    db_url = with_database(url, name)
    setup_django(db_url)
    from django.core.management import call_command
    from django.db import connections

    from opd.demo import demo_opd_rows
    from opd.models import Opd, Peran, User

    call_command("migrate", verbosity=0, interactive=False)
    timings["migrate_s"] = time.perf_counter() - started
    opds = Opd.objects.bulk_create([Opd(**row) for row in demo_opd_rows()])
    big = next(o for o in opds if o.singkatan == BIG_OPD)
    User.objects.create_user("bench.pengawas", peran=Peran.PENGAWAS, nama="Pengawas Bench")
    User.objects.create_user("bench.operator", peran=Peran.OPERATOR, opd=big, nama="Operator Bench Disdik")
    connections.close_all()
    world = build_world(opds, today, years)
    chunks = chunks_for(records, years)

    with psycopg.connect(db_url) as conn:
        conn.execute("SET synchronous_commit = off")
        with conn.cursor() as cur, cur.copy("COPY pengadaan_penyedia (id, nama, npwp) FROM STDIN") as copy:
            for i in range(1, N_PENYEDIA + 1):
                if i >= world.pelaksana_first:
                    nama = f"Pelaksana Swakelola {i - world.pelaksana_first + 1}"
                    npwp = None if i % 3 == 0 else f"{990000000000000 + i}"
                else:
                    nama = f"{('CV', 'PT', 'UD', 'Toko')[i % 4]} Mitra Usaha {i}"
                    npwp = f"3671{i:012d}" if i % 10 == 0 else f"01{i:07d}411000"
                copy.write_row((i, nama, npwp))
        conn.commit()
        saved = drop_secondary(conn)
        load_started = time.perf_counter()
        totals: Counter = Counter()
        context = get_context("spawn")
        with ProcessPoolExecutor(2, mp_context=context, initializer=worker_init, initargs=(db_url, world)) as pool:
            for done, result in enumerate(pool.map(load_chunk, chunks), start=1):
                totals.update(result)
                if done % 10 == 0 or done == len(chunks):
                    print(
                        f"  seeded {totals['records']:,} records, {totals['realisasi']:,} realisasi "
                        f"({time.perf_counter() - load_started:.0f} s)",
                        flush=True,
                    )
        timings["copy_s"] = time.perf_counter() - load_started
        restore_started = time.perf_counter()
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("SET max_parallel_maintenance_workers = 2")
        for _kind, _table, statement in saved:
            conn.execute(statement)
        for table in (*BIG_TABLES, "pengadaan_penyedia"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        reviewer = conn.execute("SELECT id FROM opd_user WHERE username = 'bench.pengawas'").fetchone()[0]
        for tahun in years:
            conn.execute(
                """INSERT INTO pengadaan_redflagreview
                       (kode, rule, tahun, catatan, ditinjau_pada, ditinjau_oleh_id, opd_id)
                   (SELECT 'R2:pencatatan:' || id, 2, tahun_anggaran, 'Sudah diperiksa: pagu sesuai kontrak.', now(),
                           %(user)s, opd_id
                    FROM pengadaan_pencatatan
                    WHERE tahun_anggaran = %(tahun)s AND jenis = 'non_tender' AND mtd_pemilihan = 'Pengadaan Langsung'
                      AND status <> 'batal' AND kategori_pengadaan IN ('Barang', 'Jasa Lainnya') AND pagu > 200000000
                    ORDER BY id LIMIT 150)
                   UNION ALL
                   (SELECT 'R4:opd:' || o.id || ':tahun:' || %(tahun)s, 4, %(tahun)s, 'Sudah ditegur secara lisan.',
                           now(), %(user)s, o.id
                    FROM opd_opd o ORDER BY o.id LIMIT 5)""",
                {"user": reviewer, "tahun": tahun},
            )
        conn.commit()
        timings["restore_s"] = time.perf_counter() - restore_started
    vacuum_started = time.perf_counter()
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    timings["vacuum_s"] = time.perf_counter() - vacuum_started
    admin_sql(url, f"COMMENT ON DATABASE \"{name}\" IS '{marker_for(records, years)}'")
    timings["seed_s"] = time.perf_counter() - started
    timings.update({key: totals[key] for key in ("records", "paket", "links", "realisasi")})
    timings["generate_cpu_s"] = totals["generate_s"]
    return timings


# --- measurements (child process) -------------------------------------------------------------------


def median_ms(fn, runs: int, slow_ms: float, prepare=None) -> tuple[float, list[float]]:
    """Run `fn` once to warm up, then `runs` times (3 when the warm-up took over `slow_ms`); the median in ms.
    `prepare` runs, untimed, before each call."""
    if prepare:
        prepare()
    started = time.perf_counter()
    fn()
    if (time.perf_counter() - started) * 1000 > slow_ms:
        runs = min(runs, 3)  # keeps the whole benchmark near ten minutes when a page takes many seconds
    times = []
    for _ in range(runs):
        if prepare:
            prepare()
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), times


# The functions the views call, timed inside the measured requests (not in separate calls).
PIECES = (
    ("ringkasan", "current"),  # the stored summaries; includes recomputing those out of date
    ("ringkasan", "open_flag_counts"),
    ("metrics", "rup_belum_dicatat"),
    ("itkp", "proyeksi_itkp"),
    ("selectors", "years_of"),
)


class Pieces:
    """Wraps the PIECES in this (measuring) process: each call adds its time and keeps its result.

    The views look them up on their modules at call time (`metrics.tabel(...)`), so the wrappers
    see every call a request makes. A queryset result (rup_belum_dicatat) is evaluated inside the
    wrapper, so that its query counts as the piece's time; the view lists it anyway.
    """

    def __init__(self) -> None:
        import importlib

        from django.db.models import QuerySet

        self.seconds: Counter = Counter()
        self.last: dict[str, object] = {}
        for module_name, name in PIECES:
            module = importlib.import_module(f"pengadaan.{module_name}")
            original = getattr(module, name)
            label = f"{module_name}.{name}"

            def timed(*args, _original=original, _label=label, **kwargs):
                started = time.perf_counter()
                try:
                    result = _original(*args, **kwargs)
                    if isinstance(result, QuerySet):
                        result = list(result)
                    self.last[_label] = result
                    return result
                finally:
                    self.seconds[_label] += time.perf_counter() - started

            setattr(module, name, timed)


class Request:
    """GET `url` as `client`. The first call (the warm-up) captures its SQL (count, slowest queries);
    every call records the time of each piece it called."""

    def __init__(self, client, url: str, pieces: Pieces) -> None:
        self.client, self.url, self.pieces = client, url, pieces
        self.captured: dict = {}
        self.runs: list[dict[str, float]] = []

    def __call__(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.pieces.seconds.clear()
        if self.captured:
            response = self.client.get(self.url)
        else:
            with CaptureQueriesContext(connection) as ctx:
                response = self.client.get(self.url)
            queries = sorted(
                ({"ms": float(q["time"]) * 1000, "sql": q["sql"]} for q in ctx.captured_queries),
                key=lambda q: -q["ms"],
            )
            self.captured = {"queries": len(queries), "slowest": queries[:5], "query_ms": sum(q["ms"] for q in queries)}
        assert response.status_code == 200, f"{self.url} answered {response.status_code}"
        self.runs.append({label: seconds * 1000 for label, seconds in self.pieces.seconds.items()})

    def piece_medians(self, times: list[float]) -> dict[str, float]:
        """Median ms of each piece over the timed runs (the warm-up left out), and of the rest."""
        timed = self.runs[-len(times) :]
        labels = sorted({label for run in timed for label in run}, key=[f"{m}.{n}" for m, n in PIECES].index)
        medians = {label: statistics.median(run.get(label, 0.0) for run in timed) for label in labels}
        medians["rest"] = statistics.median(total - sum(run.values()) for total, run in zip(times, timed, strict=True))
        return medians


def raw_tabel(cursor, tahun: int) -> dict:
    """The §5 table by hand-written SQL (RAW_SQL_TABEL); Python only adds up and divides."""
    params = {"tahun": tahun}
    cursor.execute(RAW_SQL_TABEL[0])
    opds = cursor.fetchall()
    rows = {pk: {"kd_satker": kd, "median_lag_hari": None, **dict.fromkeys(NUMERIC, 0)} for pk, kd, _nama in opds}
    cursor.execute(RAW_SQL_TABEL[1], params)
    for opd_id, n, pagu, n_tercatat, pagu_tercatat in cursor.fetchall():
        rows[opd_id].update(rup_paket=n, rup_pagu=pagu, tercatat_paket=n_tercatat, tercatat_pagu=pagu_tercatat)
    cursor.execute(RAW_SQL_TABEL[2], params)
    for opd_id, n, selesai, draft in cursor.fetchall():
        rows[opd_id].update(pencatatan_aktif=n, pencatatan_selesai=selesai, pencatatan_draft=draft)
    kota = {"median_lag_hari": None, **dict.fromkeys(NUMERIC, 0)}
    cursor.execute(RAW_SQL_TABEL[3], params)
    for opd_id, n, nilai, novdes, lag in cursor.fetchall():
        row = rows[opd_id] if opd_id is not None else kota
        row.update(jumlah_realisasi=n, realisasi_nilai=nilai, input_nov_des=novdes, median_lag_hari=one_decimal(lag))
    for key in NUMERIC[:-3]:  # the city's realisasi figures come from the grouping set () above
        kota[key] = sum(row[key] for row in rows.values())
    for row in (*rows.values(), kota):
        row["persen_tercatat"] = pct(row["tercatat_pagu"], row["rup_pagu"])
        row["persen_input_nov_des"] = pct(row["input_nov_des"], row["jumlah_realisasi"])
    return {"rows": rows, "kota": kota}


NUMERIC = (
    "rup_paket",
    "rup_pagu",
    "tercatat_paket",
    "tercatat_pagu",
    "pencatatan_aktif",
    "pencatatan_selesai",
    "pencatatan_draft",
    "realisasi_nilai",
    "jumlah_realisasi",
    "input_nov_des",
)
COMPARED = (
    "rup_paket",
    "rup_pagu",
    "tercatat_paket",
    "tercatat_pagu",
    "persen_tercatat",
    "pencatatan_aktif",
    "pencatatan_selesai",
    "pencatatan_draft",
    "realisasi_nilai",
    "median_lag_hari",
    "persen_input_nov_des",
)


def pct(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def one_decimal(value: float | None) -> Decimal | None:
    """percentile_cont's median (a whole or half number of days) with one decimal."""
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def raw_flags(cursor, tahun: int, today: date) -> dict[tuple[int, int], int]:
    cursor.execute(RAW_SQL_FLAGS, {"tahun": tahun, "today": today})
    return {(opd_id, rule): n for opd_id, rule, n in cursor.fetchall()}


def measure(args: argparse.Namespace) -> dict:
    from django.test import Client, override_settings

    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    from django.db import connection

    from opd.models import User

    tahun, runs = args.tahun, args.runs
    today = date.fromisoformat(args.today)
    pengawas = User.objects.select_related("opd").get(username="bench.pengawas")
    operator = User.objects.select_related("opd").get(username="bench.operator")
    backend = "opd.backends.OpdModelBackend"
    supervisor, opd_client = Client(), Client()
    supervisor.force_login(pengawas, backend=backend)
    opd_client.force_login(operator, backend=backend)
    out: dict = {"tahun": tahun, "opd": operator.opd.nama_satker, "opd_pk": operator.opd_id}
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), current_setting('work_mem'), version()")
        out["jit"], out["work_mem"], out["server"] = cursor.fetchone()
    pieces = Pieces()

    def timed(name, fn, prepare=None, **extra):
        ms, times = median_ms(fn, runs, args.slow_ms, prepare)
        out[name] = {"ms": ms, "times": times, **extra}
        if isinstance(fn, Request):
            out[name].update(url=fn.url, pieces=fn.piece_medians(times), **fn.captured)
        print(f"  {name}: median of {len(times)}: {ms:,.1f} ms", flush=True)

    from opd.models import Opd
    from pengadaan import metrics, ringkasan

    def out_of_date(opd_ids=None):
        """What a write does: every (or these) OPD's summary of the year becomes out of date."""
        ids = opd_ids or list(Opd.objects.values_list("pk", flat=True))
        ringkasan.mark((pk, tahun) for pk in ids)

    # a. supervisor dashboard: summaries current (the usual case); measured out of date at the end,
    # so that the flags it rewrites (and the vacuuming that follows) do not slow the page measurements
    timed("dashboard", Request(supervisor, f"/dashboard/?tahun={tahun}", pieces))
    rows, kota = metrics.tabel(tahun=tahun, user=pengawas)
    flags = list(
        ringkasan.stored_flags(tahun=tahun, opd_ids=[row.opd.pk for row in rows]).values_list("opd_id", "rule")
    )

    # b. raw SQL, checked against what the dashboard computed
    cursor = connection.cursor()
    timed("raw_tabel", lambda: raw_tabel(cursor, tahun), statements=len(RAW_SQL_TABEL))
    timed("raw_flags", lambda: raw_flags(cursor, tahun, today), statements=1)
    raw = raw_tabel(cursor, tahun)
    mismatches = []
    for row in [*rows, kota]:
        expected = raw["rows"][row.opd.pk] if row.opd else raw["kota"]
        for column in COMPARED:
            if row.value(column) != expected[column]:
                where = row.kd_satker or "kota"
                mismatches.append(f"{where}.{column}: tabel {row.value(column)} raw {expected[column]}")
    out["tabel_matches_raw"] = mismatches[:10]
    raw_counts = raw_flags(cursor, tahun, today)
    django_counts = Counter(flags)
    out["flags_match_raw"] = dict(django_counts) == raw_counts
    out["flags_by_rule"] = dict(sorted(Counter(rule for _opd, rule in flags).items()))
    out["flags_total"] = len(flags)
    out["kota"] = {
        "rup_paket": kota.rup_paket,
        "persen_tercatat": str(kota.persen_tercatat),
        "pencatatan_aktif": kota.pencatatan_aktif,
        "realisasi": kota.jumlah_realisasi,
        "median_lag_hari": str(kota.median_lag_hari),
        "persen_input_nov_des": str(kota.persen_input_nov_des),
    }
    cursor.close()

    # c. OPD dashboard, as its operator
    opd_url = f"/opd/{operator.opd_id}/dasbor/?tahun={tahun}"
    timed("opd_dashboard", Request(opd_client, opd_url, pieces))
    out["opd_flags"] = sum(n for (opd_id, _rule), n in django_counts.items() if opd_id == operator.opd_id)
    response = opd_client.get(f"/opd/{operator.opd_id}/dasbor/?tahun={tahun}")
    out["opd_dashboard"]["bytes"] = len(response.content)

    # d. record list
    list_url = f"/pencatatan/?tahun_anggaran={tahun}&status=selesai&sort=-pagu"
    timed("list_pengawas", Request(supervisor, list_url, pieces))
    timed("list_operator", Request(opd_client, list_url, pieces))

    # e. the dashboards recomputing what is out of date: every OPD (an import), one OPD (a save)
    timed("dashboard_cold", Request(supervisor, f"/dashboard/?tahun={tahun}", pieces), prepare=out_of_date)
    timed("opd_dashboard_cold", Request(opd_client, opd_url, pieces), prepare=lambda: out_of_date([operator.opd_id]))
    return out


def run_child(args: argparse.Namespace) -> None:
    setup_django(args.child_database_url)
    result = measure(args)
    Path(args.result).write_text(json.dumps(result, default=str))


def spawn_child(args: argparse.Namespace, db_url: str, tahun: int, today: date, workdir: Path) -> dict:
    result = workdir / "measure.json"
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        "--child-database-url",
        db_url,
        "--tahun",
        str(tahun),
        "--today",
        today.isoformat(),
        "--runs",
        str(args.runs),
        "--result",
        str(result),
        "--slow-ms",
        str(args.slow_ms),
    ]
    env = dict(os.environ)
    if args.jit == "off":
        env["PGOPTIONS"] = (env.get("PGOPTIONS", "") + " -c jit=off").strip()  # libpq: every connection
    completed = subprocess.run(command, cwd=PROJECT, check=False, env=env)
    if completed.returncode != 0 or not result.exists():
        raise RuntimeError(f"the measuring child process failed (exit {completed.returncode})")
    return json.loads(result.read_text())


# --- report ---------------------------------------------------------------------------------------


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        print(" | ".join(cells).rstrip())
        if n == 0:
            print("-+-".join("-" * width for width in widths))


def report(m: dict) -> tuple[list[tuple[bool, str]], list[str]]:
    """Print the table; return the checks and the names of the requests that missed their target."""
    dash, raw, flags_ms = m["dashboard"]["ms"], m["raw_tabel"]["ms"], m["raw_flags"]["ms"]
    cold = m["dashboard_cold"]["ms"]
    ratio, ratio_cold = dash / raw, cold / (raw + flags_ms)
    tahun = m["tahun"]
    page_ok = {name: m[name]["ms"] <= TARGET_PAGE_MS for name in ("opd_dashboard", "list_pengawas", "list_operator")}

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    table = [("measurement", "median ms", "runs", "queries", "target", "result")]

    def add(label: str, name: str, queries: str = "", target: str = "", result: str = "") -> None:
        r = m[name]
        table.append((label, f"{r['ms']:,.1f}", str(len(r["times"])), str(r.get("queries", queries)), target, result))

    def add_pieces(name: str) -> None:
        for label, ms in m[name]["pieces"].items():
            text = "rest: session, auth, view, template" if label == "rest" else label
            table.append((f"     {text}", f"{ms:,.1f}", "", "", "", ""))

    add(
        f"a. supervisor dashboard GET /dashboard/?tahun={tahun}",
        "dashboard",
        target=f"<= {TARGET_RATIO}x raw = {TARGET_RATIO * raw:,.0f} ms",
        result=verdict(ratio <= TARGET_RATIO),
    )
    add_pieces("dashboard")
    add(
        "   the same, every OPD's summary out of date (recomputed in the request)",
        "dashboard_cold",
        target=f"<= {TARGET_RATIO}x raw §5 + flags = {TARGET_RATIO * (raw + flags_ms):,.0f} ms",
        result=verdict(ratio_cold <= TARGET_RATIO),
    )
    add_pieces("dashboard_cold")
    add(f"b. raw SQL §5 aggregate ({len(RAW_SQL_TABEL)} statements)", "raw_tabel", str(len(RAW_SQL_TABEL)), "baseline")
    add("   raw SQL red flags (1 statement)", "raw_flags", "1")
    table.append(("   raw SQL §5 + red flags", f"{raw + flags_ms:,.1f}", "", str(len(RAW_SQL_TABEL) + 1), "", ""))
    add(
        f"c. OPD dashboard GET /opd/{m['opd_pk']}/dasbor/?tahun={tahun} ({m['opd']})",
        "opd_dashboard",
        target=f"<= {TARGET_PAGE_MS:.0f} ms",
        result=verdict(page_ok["opd_dashboard"]),
    )
    add_pieces("opd_dashboard")
    add("   the same, its summary out of date (recomputed in the request)", "opd_dashboard_cold")
    add_pieces("opd_dashboard_cold")
    for name, who in (("list_pengawas", "pengawas"), ("list_operator", "operator")):
        target = f"<= {TARGET_PAGE_MS:.0f} ms"
        add(f"d. record list page 1, as {who}", name, target=target, result=verdict(page_ok[name]))
        add_pieces(name)
    ok = verdict(ratio <= TARGET_RATIO)
    table.append(("ratio dashboard / raw §5", f"{ratio:.2f}x", "", "", f"<= {TARGET_RATIO}x", ok))
    ok_cold = verdict(ratio_cold <= TARGET_RATIO)
    table.append(("ratio recomputing dashboard / raw §5 + red flags", f"{ratio_cold:.2f}x", "", "", "", ok_cold))
    print()
    print_table(table)
    print()
    print(f"PostgreSQL: jit={m['jit']}, work_mem={m['work_mem']}; record list URL: {m['list_pengawas']['url']}")
    k = m["kota"]
    print(
        f"city row {tahun}: {k['rup_paket']:,} RUP packages, {k['persen_tercatat']}% tercatat, "
        f"{k['pencatatan_aktif']:,} active records, {k['realisasi']:,} realisasi, median lag "
        f"{k['median_lag_hari']} days, {k['persen_input_nov_des']}% recorded in Nov-Dec"
    )
    by_rule = ", ".join(f"R{rule}: {n:,}" for rule, n in m["flags_by_rule"].items())
    print(
        f"open red flags {tahun}: {m['flags_total']:,} ({by_rule}); OPD {m['opd']}: {m['opd_flags']:,} "
        f"(its dashboard page: {m['opd_dashboard']['bytes'] / 1e6:.1f} MB of HTML)"
    )
    print("pieces: time spent inside the requests in the functions the views call (median over the timed runs)")
    print()
    print("SQL of each request (captured in its warm-up run), the slowest queries:")
    requests = ("dashboard", "dashboard_cold", "opd_dashboard", "opd_dashboard_cold", "list_pengawas", "list_operator")
    for name in requests:
        r = m[name]
        print(f"  {name}: {r['queries']} queries, {r['query_ms']:,.1f} ms in SQL")
        for query in r["slowest"][:3]:
            sql = " ".join(query["sql"].split())
            print(f"    {query['ms']:8.1f} ms  {sql[:150]}{'…' if len(sql) > 150 else ''}")

    checks = [
        (not m["tabel_matches_raw"], "raw SQL §5 = metrics.tabel for every OPD and the city"),
        (m["flags_match_raw"], "raw red-flag SQL = the stored open red flags, per OPD and rule"),
        (ratio <= TARGET_RATIO, f"dashboard {dash:,.1f} ms <= {TARGET_RATIO}x raw SQL {raw:,.1f} ms"),
        (
            ratio_cold <= TARGET_RATIO,
            f"dashboard recomputing every OPD {cold:,.1f} ms <= {TARGET_RATIO}x raw §5 + red-flag SQL "
            f"{raw + flags_ms:,.1f} ms",
        ),
        (page_ok["opd_dashboard"], f"OPD dashboard {m['opd_dashboard']['ms']:,.1f} ms <= {TARGET_PAGE_MS:.0f} ms"),
        (page_ok["list_pengawas"], f"record list (pengawas) {m['list_pengawas']['ms']:,.1f} ms <= 50 ms"),
        (page_ok["list_operator"], f"record list (operator) {m['list_operator']['ms']:,.1f} ms <= 50 ms"),
    ]
    print()
    for ok, message in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {message}")
    for mismatch in m["tabel_matches_raw"]:
        print(f"      {mismatch}")
    failed = [name for name, ok in (("dashboard", ratio <= TARGET_RATIO), *page_ok.items()) if not ok]
    return checks, failed


def explain_slowest(db_url: str, measured: dict, names: list[str], options: str) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the three slowest captured queries of each request in `names`."""
    import psycopg

    with psycopg.connect(db_url, autocommit=True, options=options) as conn:
        for name in names:
            for query in measured[name]["slowest"][:3]:
                plan = [line for (line,) in conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"]).fetchall()]
                sql = " ".join(query["sql"].split())
                print()
                print(f"EXPLAIN (ANALYZE, BUFFERS) — {name}, {query['ms']:.1f} ms when captured: {sql[:400]}")
                for line in plan[:45]:
                    print(f"    {line}")
                if len(plan) > 45:
                    print(f"    … {len(plan) - 45} more lines")


# --- the parent ---------------------------------------------------------------------------------


def main(args: argparse.Namespace) -> int:
    name = args.keep_db or DB_NAME
    db_url = with_database(args.database_url, name)
    today = today_jakarta()
    years = (today.year - 2, today.year - 1, today.year)
    tahun = today.year - 1
    run_started = time.perf_counter()
    checks: list[tuple[bool, str]] = []
    try:
        print(f"SPSE Tracker dashboard benchmark — today {today} (Asia/Jakarta), measured year {tahun}")
        print(f"load average {load_average()} on {os.cpu_count()} CPUs")
        reuse = bool(args.keep_db) and seeded_marker(args.database_url, name) == marker_for(args.records, years)
        if reuse:
            print(f"database {name}: reused as seeded ({marker_for(args.records, years)}), kept at the end")
            setup_django(db_url)
            from django.core.management import call_command

            call_command("migrate", verbosity=0, interactive=False)  # a no-op unless the code has new migrations
        else:
            print(
                f"database {name}: created now, {'kept' if args.keep_db else 'dropped'} at the end; seeding "
                f"{args.records:,} records over {years[0]}–{years[-1]} with COPY (2 worker processes) …",
                flush=True,
            )
            s = seed(args.database_url, name, args.records, today, years)
            print(
                f"seeded in {s['seed_s']:.1f} s: migrate {s['migrate_s']:.1f} s, generate + COPY {s['copy_s']:.1f} s "
                f"(generation {s['generate_cpu_s']:.1f} CPU-s in the workers), indexes + constraints "
                f"{s['restore_s']:.1f} s, VACUUM ANALYZE {s['vacuum_s']:.1f} s"
            )
            print(
                f"rows: {s['records']:,} pencatatan, {s['realisasi']:,} realisasi, {s['paket']:,} paket RUP, "
                f"{s['links']:,} RUP links, {N_PENYEDIA:,} penyedia, 43 OPDs"
            )
        from django.db import connections

        connections.close_all()
        with tempfile.TemporaryDirectory(prefix="spse-dash-bench-") as tmp:
            print(
                f"measuring in a child process (DEBUG=False, jit {args.jit}, warm-up then median of {args.runs}; "
                f"3 when a warm-up takes over {args.slow_ms / 1000:g} s) …",
                flush=True,
            )
            measured = spawn_child(args, db_url, tahun, today, Path(tmp))
        checks, failed = report(measured)
        if args.explain and failed:
            explain_slowest(db_url, measured, failed, "-c jit=off" if args.jit == "off" else "")
        print()
        print(f"whole run {time.perf_counter() - run_started:.0f} s; load average now {load_average()}")
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception as exc:  # Django may not have got as far as its settings
            print(f"note: closing connections: {exc}", file=sys.stderr)
        if not args.keep_db:
            admin_sql(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 1 if any(not ok for ok, _message in checks) else 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000, help="pencatatan over the three years")
    parser.add_argument("--keep-db", metavar="NAME", help="use and keep database NAME; reuse it when already seeded")
    parser.add_argument("--runs", type=int, default=5, help="timed runs after the warm-up (median reported)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest queries of any FAIL")
    parser.add_argument(
        "--jit",
        choices=("server", "off"),
        default="server",
        help="measure with the server's JIT setting (default) or with jit=off for every connection of the measuring "
        "process (Django's and the raw SQL's alike)",
    )
    parser.add_argument(
        "--slow-ms",
        type=float,
        default=5000,
        help="a measurement whose warm-up takes longer is timed 3 times instead of --runs (default 5000)",
    )
    parser.add_argument("--database-url", default=DEFAULT_URL, help="an existing database on the server to use")
    # internal: the measuring child process
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-database-url", help=argparse.SUPPRESS)
    parser.add_argument("--tahun", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--today", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.records < 3 or args.runs < 1:
        parser.error("--records must be at least 3 and --runs at least 1")
    return args


def _terminate(signum, _frame) -> None:
    raise SystemExit(128 + signum)  # so that `finally` drops the database


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.child:
        run_child(arguments)
    else:
        signal.signal(signal.SIGTERM, _terminate)
        sys.exit(main(arguments))
