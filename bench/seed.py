"""Seeding the benches' databases: the rows dashboard_data.py and import_file.py generate, put in.

- dashboard bench: `seed_dashboard` creates and migrates the database, adds the 43 demo OPDs, the two
  bench logins and the suppliers, then COPYs the records, RUP packages, links and realisasi in chunks
  from two worker processes (psycopg 3 `cursor.copy`) with the secondary indexes, unique and
  foreign-key constraints of the four big tables dropped during the load and re-created (so
  validated) after it; then it plants the reviewed red flags, runs VACUUM ANALYZE and records the
  seed in the database's comment (`marker_for`), so that --keep-db can reuse it;
- import bench: `seed_import` migrates the fresh database and adds the demo OPDs and one RUP package
  (Penyedia, Pengadaan Langsung) per kd_rup code the file names, with the ORM.

Imported as a sibling module (`python bench/<script>.py` puts bench/ on sys.path).
"""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from multiprocessing import get_context

import harness
import import_file
from dashboard_data import (
    BIG_OPD,
    LINK_COLUMNS,
    N_PENYEDIA,
    PAKET_COLUMNS,
    PENCATATAN_COLUMNS,
    REALISASI_COLUMNS,
    Chunk,
    World,
    build_world,
    chunks_for,
    make_chunk,
)
from postgres_admin import comment_database, create_database, drop_database, with_database

MARKER = "dashboard_bench seed v1"
BIG_TABLES = ("pengadaan_pencatatan", "pengadaan_realisasi", "pengadaan_paketrup", "pengadaan_pencatatanrup")


def marker_for(records: int, years: tuple[int, ...]) -> str:
    return f"{MARKER}: records={records} years={years[0]}-{years[-1]}"


# --- the dashboard bench: COPY from worker processes ----------------------------------------------

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


def seed_dashboard(url: str, name: str, records: int, today: date, years: tuple[int, ...]) -> dict[str, float | int]:
    """Create, migrate and fill the database `name`. Returns timings and counts."""
    import psycopg

    timings: dict[str, float | int] = {}
    started = time.perf_counter()
    drop_database(url, name)
    create_database(url, name)
    db_url = with_database(url, name)
    harness.setup_django(db_url, requests=True)
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
                """INSERT INTO pengadaan_tinjauantandabahaya
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
    comment_database(url, name, marker_for(records, years))
    timings["seed_s"] = time.perf_counter() - started
    timings.update({key: totals[key] for key in ("records", "paket", "links", "realisasi")})
    timings["generate_cpu_s"] = totals["generate_s"]
    return timings


# --- the import bench: OPDs and RUP packages through the ORM ---------------------------------------


def seed_import(rows: int) -> dict[str, float | int]:
    """Migrate the fresh database; seed the OPDs and every RUP package the file names."""
    from django.core.management import call_command
    from django.db import connection

    from opd.demo import demo_opd_rows
    from opd.models import Opd
    from pengadaan.models import PaketRup, TipePaket

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    opds = Opd.objects.bulk_create([Opd(**row) for row in demo_opd_rows()])
    assert len(opds) == import_file.N_OPD, f"expected {import_file.N_OPD} demo OPDs, got {len(opds)}"
    by_spse = {o.kd_satker_spse: o for o in opds}
    paket = [
        PaketRup(
            opd=by_spse[str(import_file.spse_code(import_file.opd_index(i)))],
            kd_rup=code,
            tahun_anggaran=import_file.TAHUN,
            nama_paket=f"Paket RUP {code}",
            pagu=200_000_000,
            tipe_paket=TipePaket.PENYEDIA,
            metode_pengadaan="Pengadaan Langsung",
            jenis_pengadaan="Barang",
            sumber_dana="APBD",
        )
        for i in range(rows)
        for code in import_file.rup_codes(i)
    ]
    PaketRup.objects.bulk_create(paket, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seeded = time.perf_counter()
    connection.close()
    return {"migrate_s": migrated - started, "seed_s": seeded - migrated, "paket": len(paket)}
