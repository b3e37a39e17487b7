"""Backup and restore, end to end: bin/backup and bin/restore against a real PostgreSQL.

Not a test. Run from the project root:

    .venv/bin/python bench/backup_restore.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]

What it does, in one run:

1. creates a fresh database (`spse_bk_src_<pid>`) on the server of --database-url, migrates it
   and fills it with `manage.py seed_demo` (OPDs, users, two years of records and payments);
2. puts a proof file (random bytes) and a file in a subfolder under a fresh MEDIA_ROOT;
3. runs bin/backup three times with --keep 2 and checks that only the newest two folders stay;
4. creates a second fresh database (`spse_bk_dst_<pid>`) and runs bin/restore of the newest
   backup into it and an empty media folder; checks that a second restore into the now full
   database is refused;
5. compares the row count of every table and the SHA-256 of every media file, source against
   restored, and runs `manage.py migrate --check` on the restored database;
6. prints the figures and PASS or FAIL (exit 1), and drops both databases at the end, also when
   something fails or on SIGTERM.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import harness
import psycopg
from postgres_admin import create_database, drop_database, with_database
from psycopg import sql


def parse_args() -> argparse.Namespace:
    return harness.parser(__doc__).parse_args()


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        return {
            table: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[0]
            for table in tables
        }


def file_checksums(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def main(args: argparse.Namespace) -> int:
    pid = os.getpid()
    source_db, target_db = f"spse_bk_src_{pid}", f"spse_bk_dst_{pid}"
    source_url = with_database(args.database_url, source_db)
    target_url = with_database(args.database_url, target_db)
    work = Path(tempfile.mkdtemp(prefix="spse-backup-bench-"))
    source_media, target_media, backups = work / "media-src", work / "media-dst", work / "backups"
    base_env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "MEDIA_ROOT", "BACKUP_DIR")}
    # seed_demo refuses DEBUG=False (its password is public); this database is ours alone.
    source_env = {**base_env, "DATABASE_URL": source_url, "MEDIA_ROOT": str(source_media), "DEBUG": "True"}
    target_env = {**base_env, "DATABASE_URL": target_url, "MEDIA_ROOT": str(target_media), "DEBUG": "True"}
    manage = [sys.executable, "manage.py"]
    timings: dict[str, float] = {}
    failures: list[str] = []
    try:
        for name in (source_db, target_db):
            create_database(args.database_url, name)

        _, timings["migrate"] = harness.run_command([*manage, "migrate", "--noinput"], source_env, "migrate")
        _, timings["seed_demo"] = harness.run_command([*manage, "seed_demo"], source_env, "seed_demo")
        (source_media / "bukti" / "2026").mkdir(parents=True)
        (source_media / "bukti" / "2026" / "kuitansi-uji.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(200_000))
        (source_media / "impor").mkdir()
        (source_media / "impor" / "catatan.txt").write_text("berkas kedua\n", encoding="utf-8")

        made = []
        for attempt in range(3):
            out, timings[f"backup {attempt + 1}"] = harness.run_command(
                ["bin/backup", "--dest", str(backups), "--keep", "2"], source_env, "bin/backup"
            )
            made.append(Path(out.strip().splitlines()[-1]))
        kept = sorted(path.name for path in backups.iterdir())
        if kept != sorted(path.name for path in made[1:]):
            failures.append(f"retention: expected the newest two of {[p.name for p in made]}, found {kept}")
        latest = made[-1]
        dump_mb = (latest / "database.dump").stat().st_size / 1e6

        _, timings["restore"] = harness.run_command(["bin/restore", str(latest)], target_env, "bin/restore")
        again = subprocess.run(["bin/restore", str(latest)], cwd=harness.PROJECT, env=target_env, capture_output=True)
        if again.returncode == 0 or b"already has" not in again.stderr:
            failures.append("a second restore into the full database was not refused")
        _, timings["migrate --check"] = harness.run_command(
            [*manage, "migrate", "--check"], target_env, "migrate --check"
        )

        source_counts, target_counts = row_counts(source_url), row_counts(target_url)
        differing = {
            table: (source_counts.get(table), target_counts.get(table))
            for table in source_counts.keys() | target_counts.keys()
            if source_counts.get(table) != target_counts.get(table)
        }
        if differing:
            failures.append(f"row counts differ (source, restored): {differing}")
        for table in ("opd_opd", "opd_user", "pengadaan_pencatatan", "pengadaan_realisasi"):
            if not source_counts.get(table):
                failures.append(f"the seeded source has no rows in {table}")
        source_files, target_files = file_checksums(source_media), file_checksums(target_media)
        if source_files != target_files or len(source_files) != 2:
            failures.append(f"media differ: {source_files} vs {target_files}")

        print(f"tables compared   {len(source_counts)}, rows {sum(source_counts.values()):,} in each database")
        for table in ("opd_opd", "opd_user", "pengadaan_pencatatan", "pengadaan_realisasi"):
            print(f"  {table:<24} {source_counts.get(table, 0):>7,} -> {target_counts.get(table, 0):>7,}")
        same = source_files == target_files
        print(f"media files       {len(source_files)} -> {len(target_files)}, SHA-256 equal: {same}")
        print(f"backup folder     {latest.name}: database.dump {dump_mb:.1f} MB; kept {len(kept)} of {len(made)}")
        print("seconds           " + ", ".join(f"{label} {value:.1f}" for label, value in timings.items()))
    except Exception as error:  # report every failure as FAIL, then clean up
        failures.append(str(error))
    finally:
        for name in (source_db, target_db):
            drop_database(args.database_url, name)
        shutil.rmtree(work, ignore_errors=True)

    for failure in failures:
        print(f"FAIL: {failure}")
    print("FAIL" if failures else "PASS")
    return 1 if failures else 0


if __name__ == "__main__":
    harness.exit_on_sigterm()  # so that `finally` drops the databases
    sys.exit(main(parse_args()))
