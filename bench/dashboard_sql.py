"""The dashboard bench's baseline: the §5 table and the open red flags by hand-written SQL, run with a raw cursor.

What the raw SQL computes (for Y, "active" = status not Batal, DESIGN §5):
- statement 1: the OPDs (pk, kd_satker, nama_satker), as the dashboard lists them;
- statement 2: per OPD, the counting RUP packages (announced, active, not deleted) that are swakelola
  or penyedia with a non-tender method: their number and pagu, and of those the ones linked to at
  least one active pencatatan of the matching kind (penyedia ↔ non tender, swakelola ↔ swakelola):
  number and pagu, and of those the ones whose linked record exists in SPSE (it has kd_nontender_pct /
  kd_swakelola_pct): number and pagu; the links are resolved once as a hashed join, not per package;
- statement 3: per OPD, the active pencatatan: number, Selesai, Draft;
- statement 4: per OPD and lag (tgl_dicatat − tgl_realisasi, in days) over the realisasi of the active
  pencatatan: number, sum of nilai_realisasi, number first recorded in November or December: one pass
  over the realisasi. Python adds the city row, persen_tercatat, the medians (from the lag counts,
  the mean of the two middle values for an even count), persen_input_nov_des and persen_tercatat_spse.
- red flags (one statement, RAW_SQL_FLAGS): the open flags per OPD and rule, exactly as
  pengadaan.dashboards.tanda_bahaya defines them (rules 1–9, thresholds at their defaults, rule 7 against today),
  less the flags reviewed for Y (matched on the flag's `kode`): one pass over the year's payments (per
  record and supplier, then per record), one over its records with every per-record rule evaluated,
  counted per OPD; the groups of rules 1 and 6 are built from that pass. It returns counts, not the
  texts of the ten flags the page shows.

Imported by dashboard_bench.py as a sibling module (`python bench/<script>.py` puts bench/ on sys.path).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

NON_TENDER_METHODS_SQL = (
    "ARRAY['pengadaan langsung', 'penunjukan langsung', 'dikecualikan', 'pengecualian', 'darurat', 'kontes', "
    "'sayembara']"
)

RAW_SQL_TABEL = (
    # 1. the OPDs, as the dashboard lists them
    "SELECT id, kd_satker, nama_satker FROM opd_opd ORDER BY nama_satker",
    # 2. RUP packages that count, and of those the ones recorded (linked to an active record of the matching
    #    kind) and the ones recorded by a record in SPSE: the recorded packages of the year are found once,
    #    by hash joins, not by one probe per package
    f"""
    SELECT p.opd_id, count(*), sum(p.pagu),
           count(t.paket_id), coalesce(sum(p.pagu) FILTER (WHERE t.paket_id IS NOT NULL), 0),
           count(*) FILTER (WHERE t.spse), coalesce(sum(p.pagu) FILTER (WHERE t.spse), 0)
    FROM pengadaan_paketrup p
    LEFT JOIN (
        SELECT l.paket_id,
               bool_or(CASE q.tipe_paket WHEN 'Penyedia' THEN c.kd_nontender_pct IS NOT NULL
                                         ELSE c.kd_swakelola_pct IS NOT NULL END) AS spse
        FROM pengadaan_pencatatanrup l
        JOIN pengadaan_paketrup q ON q.id = l.paket_id
        JOIN pengadaan_pencatatan c ON c.id = l.pencatatan_id
        WHERE q.tahun_anggaran = %(tahun)s AND c.status <> 'batal'
          AND c.jenis = CASE q.tipe_paket WHEN 'Penyedia' THEN 'non_tender' ELSE 'swakelola' END
        GROUP BY l.paket_id
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
          FROM pengadaan_tinjauantandabahaya WHERE tahun = %(tahun)s AND kode ~ '^R[235789]:pencatatan:[0-9]+$') v
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
WHERE NOT EXISTS (SELECT 1 FROM pengadaan_tinjauantandabahaya v WHERE v.kode = k.kode AND v.tahun = %(tahun)s)
GROUP BY k.opd_id, k.rule
"""


def raw_tabel(cursor, tahun: int) -> dict:
    """The §5 table by hand-written SQL (RAW_SQL_TABEL); Python only adds up and divides."""
    params = {"tahun": tahun}
    cursor.execute(RAW_SQL_TABEL[0])
    opds = cursor.fetchall()
    rows = {pk: {"kd_satker": kd, "median_lag_hari": None, **dict.fromkeys(NUMERIC, 0)} for pk, kd, _nama in opds}
    cursor.execute(RAW_SQL_TABEL[1], params)
    for opd_id, n, pagu, n_tercatat, pagu_tercatat, n_spse, pagu_spse in cursor.fetchall():
        rows[opd_id].update(
            rup_paket=n,
            rup_pagu=pagu,
            tercatat_paket=n_tercatat,
            tercatat_pagu=pagu_tercatat,
            tercatat_spse_paket=n_spse,
            tercatat_spse_pagu=pagu_spse,
        )
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
        row["persen_tercatat_spse"] = pct(row["tercatat_spse_pagu"], row["rup_pagu"])
    return {"rows": rows, "kota": kota}


NUMERIC = (
    "rup_paket",
    "rup_pagu",
    "tercatat_paket",
    "tercatat_pagu",
    "tercatat_spse_paket",
    "tercatat_spse_pagu",
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
    "tercatat_spse_paket",
    "tercatat_spse_pagu",
    "persen_tercatat_spse",
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
