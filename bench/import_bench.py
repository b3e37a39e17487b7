"""Import benchmark (DESIGN §9): 100,000 non-tender rows from one XLSX into PostgreSQL.

Not a test. Run from the project root:

    .venv/bin/python bench/import_bench.py [--rows 100000] [--baseline-rows 5000]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--profile]

What it does, in one run:

1. creates a database of its own (`spse_bench_<pid>`) on the server of --database-url,
   migrates it, and drops it at the end, also when something fails;
2. seeds the 43 demo OPDs (opd.demo) and one PaketRup (Penyedia, Pengadaan Langsung)
   per kd_rup code of the generated records, so that every kd_rup link resolves;
3. writes one XLSX with --rows rows in the `nontender` contract's columns, and a second
   XLSX holding its first --baseline-rows rows (generation is timed apart);
4. OURS: `pengadaan.imports.pipeline.run("nontender", data, "bench.xlsx")` on an empty
   pencatatan table, validated and committed; checks records, history and RUP links;
5. BASELINE: a plain django-import-export ModelResource importing the second file
   (row by row, so only its first rows: its rows/s is taken from those);
6. runs each measurement in a child process (this script with --child) and reports
   its peak RSS (VmHWM);
7. prints both side by side and PASS/FAIL against the targets (≥10× the baseline's
   rows/s, ≤500 MB peak). Exits 1 when a check or a target fails.

--profile runs only OURS, under cProfile, and prints the top 15 cumulative entries.

Both children run with DEBUG=False, as in production: with DEBUG=True Django keeps the
SQL text of the last 9,000 queries in memory, and the multi-row INSERTs of a bulk import
would count against the import's peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from postgres_admin import DEFAULT_URL, admin_sql, with_database  # bench/postgres_admin.py

PROJECT = Path(__file__).resolve().parent.parent
TAHUN = 2025
N_OPD = 43
KD_PCT_BASE = 30_000_000  # kd_nontender_pct = base + row index
KD_RUP_BASE = 50_000_000  # first RUP code of a record = base + row index
KD_RUP_SECOND = 60_000_000  # second RUP code, for the records that have two
TWO_CODES_EVERY = 17  # 22 of 383 real records link two or more RUP packages (≈ 1 in 17)
TARGET_RATIO = 10.0
TARGET_PEAK_MB = 500.0

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
    """One record as SPSE-PencatatanNonTender publishes it (values in LKPP's shapes)."""
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
        "kd_rup": ";".join(str(code) for code in rup_codes(i)),
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


# --- database --------------------------------------------------------------------------------


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spse_tracker.settings")
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))
    import django

    django.setup()


def migrate_and_seed(rows: int) -> dict[str, float | int]:
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
    assert len(opds) == N_OPD, f"expected {N_OPD} demo OPDs, got {len(opds)}"
    by_spse = {o.kd_satker_spse: o for o in opds}
    paket = [
        PaketRup(
            opd=by_spse[str(spse_code(opd_index(i)))],
            kd_rup=code,
            tahun_anggaran=TAHUN,
            nama_paket=f"Paket RUP {code}",
            pagu=200_000_000,
            tipe_paket=TipePaket.PENYEDIA,
            metode_pengadaan="Pengadaan Langsung",
            jenis_pengadaan="Barang",
            sumber_dana="APBD",
        )
        for i in range(rows)
        for code in rup_codes(i)
    ]
    PaketRup.objects.bulk_create(paket, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seeded = time.perf_counter()
    connection.close()
    return {"migrate_s": migrated - started, "seed_s": seeded - migrated, "paket": len(paket)}


def empty_pencatatan() -> None:
    """Remove every record, link and history row (the other measurement's)."""
    from django.db import connection

    from pengadaan.models import Pencatatan, PencatatanRup

    tables = [Pencatatan._meta.db_table, PencatatanRup._meta.db_table, Pencatatan.history.model._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def peak_rss_mb() -> float:
    """This process's peak resident set size (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the two measurements (each in a child process) --------------------------------------------


def child_ours(path: Path, expected_links: int, profile: bool) -> dict[str, object]:
    from pengadaan.imports import kinds, pipeline
    from pengadaan.models import Pencatatan, PencatatanRup

    empty_pencatatan()
    data = path.read_bytes()
    phases = timed_phases(pipeline, kinds)
    rss_before = peak_rss_mb()
    cpu = time.process_time()
    started = time.perf_counter()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        outcome = profiler.runcall(pipeline.run, "nontender", data, "bench.xlsx")
        seconds = time.perf_counter() - started
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(15)
    else:
        outcome = pipeline.run("nontender", data, "bench.xlsx")
        seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    peak = peak_rss_mb()
    return {
        "seconds": seconds,
        "cpu_s": cpu,
        "peak_mb": peak,
        "rss_before_mb": rss_before,
        "phases": phases,
        "outcome": outcome.as_dict(),
        "errors": outcome.errors[:5],
        "records": Pencatatan.objects.count(),
        "history": Pencatatan.history.count(),
        "links": PencatatanRup.objects.count(),
        "expected_links": expected_links,
    }


def timed_phases(pipeline, kinds) -> dict[str, dict[str, float]]:
    """Seconds spent in, and peak RSS at the end of, each phase of the run, without touching the code.

    Wraps the module attributes pipeline.run looks up, in this process only (a few calls
    per run, one generator step per row). read_table covers the file checks, calamine
    loading the whole sheet and its first pass (which counts the rows); parse covers
    calamine's second pass and every cell parser; resolve and write are the handler's.
    Whatever is left of the total is the transaction's commit (deferred FK checks).
    """
    phases = {name: {"s": 0.0, "peak_mb": 0.0} for name in ("read_table", "parse", "resolve", "write")}
    read_table, parse_rows, make_handler = pipeline.read_table, pipeline.parse_rows, kinds.HANDLERS["nontender"]

    def done(name: str, started: float) -> None:
        phases[name]["s"] += time.perf_counter() - started
        phases[name]["peak_mb"] = peak_rss_mb()

    def timed_read_table(*args, **kwargs):
        started = time.perf_counter()
        try:
            return read_table(*args, **kwargs)
        finally:
            done("read_table", started)

    def timed_parse_rows(*args, **kwargs):
        rows = parse_rows(*args, **kwargs)
        while True:
            started = time.perf_counter()
            row = next(rows, None)
            phases["parse"]["s"] += time.perf_counter() - started
            if row is None:
                done("parse", time.perf_counter())
                return
            yield row

    def timed_handler():
        handler = make_handler()
        for name in ("resolve", "write"):
            method = getattr(handler, name)

            def timed(*args, _method=method, _name=name, **kwargs):
                started = time.perf_counter()
                try:
                    return _method(*args, **kwargs)
                finally:
                    done(_name, started)

            setattr(handler, name, timed)
        return handler

    pipeline.read_table, pipeline.parse_rows = timed_read_table, timed_parse_rows
    kinds.HANDLERS["nontender"] = timed_handler
    return phases


def baseline_resource():
    """The ModelResource a developer would write first for this file.

    Deviations from `class Meta: model = Pencatatan; import_id_fields = ("kd_nontender_pct",)`,
    each only because the model cannot be saved without it:
    - `opd`: the file names the OPD by SPSE's satker code in `kd_satker`, not by our pk in
      an `opd` column: a ForeignKeyWidget on Opd.kd_satker_spse, read from `kd_satker`;
    - `tgl_buat_paket`: arrives as "2025-03-14T09:12:00.679000Z", which the default
      DateWidget formats (DATE_INPUT_FORMATS) refuse: a DateWidget with that format (the
      UTC date is taken, not Jakarta's: a baseline does not convert zones);
    - `jenis`: no column in the file and no model default, but a check constraint needs it:
      set to non_tender on each new instance;
    - the three TextFields (uraian_pekerjaan, informasi_lainnya, alasan_pembatalan): the
      default widget for a TextField passes an empty cell on as None into a NOT NULL column;
      a CharWidget (as import-export gives CharFields) turns it into "".
    Everything else is as generated: the other columns map by name (kd_rup as text, so no
    PaketRup links; the status columns and uraian HTML are not interpreted), one row at a
    time in its own savepoint, with django-simple-history's post_save history row.
    """
    from import_export import fields, resources, widgets

    from opd.models import Opd
    from pengadaan.models import JenisPencatatan, Pencatatan

    class PencatatanResource(resources.ModelResource):
        opd = fields.Field(
            attribute="opd", column_name="kd_satker", widget=widgets.ForeignKeyWidget(Opd, "kd_satker_spse")
        )
        tgl_buat_paket = fields.Field(
            attribute="tgl_buat_paket",
            column_name="tgl_buat_paket",
            widget=widgets.DateWidget(format="%Y-%m-%dT%H:%M:%S.%fZ"),
        )
        uraian_pekerjaan = fields.Field(
            attribute="uraian_pekerjaan", column_name="uraian_pekerjaan", widget=widgets.CharWidget()
        )
        informasi_lainnya = fields.Field(
            attribute="informasi_lainnya", column_name="informasi_lainnya", widget=widgets.CharWidget()
        )
        alasan_pembatalan = fields.Field(
            attribute="alasan_pembatalan", column_name="alasan_pembatalan", widget=widgets.CharWidget()
        )

        class Meta:
            model = Pencatatan
            import_id_fields = ("kd_nontender_pct",)

        def after_init_instance(self, instance, new, row, **kwargs):
            if new:
                instance.jenis = JenisPencatatan.NON_TENDER

    return PencatatanResource()


def child_baseline(path: Path) -> dict[str, object]:
    import tablib

    from pengadaan.models import Pencatatan

    empty_pencatatan()
    resource = baseline_resource()
    rss_before = peak_rss_mb()
    cpu = time.process_time()
    started = time.perf_counter()
    with path.open("rb") as fh:
        dataset = tablib.Dataset().load(fh.read(), format="xlsx")
    loaded = time.perf_counter()
    result = resource.import_data(dataset, dry_run=False, use_transactions=True)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    errors = [str(error.error) for _row, row_errors in result.row_errors()[:3] for error in row_errors[:1]]
    errors += [f"row {invalid.number}: {invalid.error}" for invalid in result.invalid_rows[:3]]
    return {
        "seconds": seconds,
        "load_s": loaded - started,
        "cpu_s": cpu,
        "peak_mb": peak_rss_mb(),
        "rss_before_mb": rss_before,
        "has_errors": result.has_errors(),
        "has_validation_errors": result.has_validation_errors(),
        "errors": errors,
        "totals": {key: value for key, value in result.totals.items() if value},
        "records": Pencatatan.objects.count(),
        "history": Pencatatan.history.count(),
    }


def run_child(args: argparse.Namespace) -> None:
    setup_django(args.child_database_url)
    if args.child == "ours":
        figures = child_ours(Path(args.file), args.expected_links, args.profile)
    else:
        figures = child_baseline(Path(args.file))
    Path(args.result).write_text(json.dumps(figures, default=str))


def spawn(kind: str, database_url: str, file: Path, workdir: Path, *extra: str) -> dict:
    result = workdir / f"{kind}.json"
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        kind,
        "--child-database-url",
        database_url,
        "--file",
        str(file),
        "--result",
        str(result),
        *extra,
    ]
    completed = subprocess.run(command, cwd=PROJECT, check=False)
    if completed.returncode != 0 or not result.exists():
        raise RuntimeError(f"the {kind} child process failed (exit {completed.returncode})")
    return json.loads(result.read_text())


# --- the parent --------------------------------------------------------------------------------


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def main(args: argparse.Namespace) -> int:
    name = f"spse_bench_{os.getpid()}"
    database_url = with_database(args.database_url, name)
    admin_sql(args.database_url, f'CREATE DATABASE "{name}"')
    checks: list[tuple[bool, str]] = []
    try:
        with tempfile.TemporaryDirectory(prefix="spse-bench-") as tmp:
            workdir = Path(tmp)
            setup_django(database_url)
            import django
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                server = cursor.fetchone()[0]
            print(f"SPSE Tracker import benchmark — Django {django.get_version()}, PostgreSQL {server}")
            print(f"database {name} (created now, dropped at the end); DEBUG=False in the measured processes")
            print(f"load average {load_average()} on {os.cpu_count()} CPUs")
            started = time.perf_counter()
            full, small = write_files(workdir, args.rows, min(args.baseline_rows, args.rows))
            generated = time.perf_counter() - started
            print(
                f"file: {args.rows:,} rows x {len(nontender_columns())} columns, {mb(full.stat().st_size)}, "
                f"generated in {generated:.1f} s (openpyxl write_only; not timed below)"
            )
            print(f"baseline file: its first {min(args.baseline_rows, args.rows):,} rows, {mb(small.stat().st_size)}")
            seeded = migrate_and_seed(args.rows)
            print(
                f"setup: migrate {seeded['migrate_s']:.1f} s; seed {N_OPD} OPDs + {seeded['paket']:,} PaketRup "
                f"{seeded['seed_s']:.1f} s"
            )
            limit = int(os.environ.get("IMPORT_MAX_MB", "20")) * 1024 * 1024
            if full.stat().st_size > limit:
                print(f"note: the file is over the upload limit ({mb(limit)}); raise IMPORT_MAX_MB to run it")

            print("running OURS (pipeline.run) in a child process …", flush=True)
            ours = spawn(
                "ours",
                database_url,
                full,
                workdir,
                "--expected-links",
                str(seeded["paket"]),
                *(["--profile"] if args.profile else []),
            )
            if args.profile:
                print(f"profiled run: {args.rows:,} rows in {ours['seconds']:.2f} s (with cProfile overhead)")
                print_phases(ours)
                return 0
            print("running BASELINE (django-import-export ModelResource) in a child process …", flush=True)
            base = spawn("baseline", database_url, small, workdir)
            checks += report(args, ours, base)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception as exc:  # Django may not have got as far as its settings
            print(f"note: closing connections: {exc}", file=sys.stderr)
        admin_sql(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    failed = [message for ok, message in checks if not ok]
    return 1 if failed else 0


def print_phases(ours: dict) -> None:
    total = ours["seconds"]
    phases = ours["phases"]
    parts = ", ".join(f"{name} {p['s']:.2f} s ({p['s'] / total:.0%})" for name, p in phases.items())
    rest = total - sum(p["s"] for p in phases.values())
    print(f"ours, phases: {parts}, commit and rest {rest:.2f} s")
    parts = ", ".join(f"{name} {p['peak_mb']:.0f}" for name, p in phases.items())
    print(f"ours, peak RSS (MB) at the end of each phase: {parts}")


def report(args: argparse.Namespace, ours: dict, base: dict) -> list[tuple[bool, str]]:
    baseline_rows = min(args.baseline_rows, args.rows)
    ours_rate = args.rows / ours["seconds"]
    base_rate = baseline_rows / base["seconds"]
    ratio = ours_rate / base_rate
    table = [
        ("implementation", "rows", "seconds", "rows/s", "peak MB"),
        (
            "ours: pipeline.run (calamine, set-based)",
            f"{args.rows:,}",
            f"{ours['seconds']:.2f}",
            f"{ours_rate:,.0f}",
            f"{ours['peak_mb']:.0f}",
        ),
        (
            "baseline: import-export ModelResource",
            f"{baseline_rows:,}",
            f"{base['seconds']:.2f}",
            f"{base_rate:,.0f}",
            f"{base['peak_mb']:.0f}",
        ),
    ]
    widths = [max(len(row[i]) for row in table) for i in range(5)]
    print()
    for n, row in enumerate(table):
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        print(" | ".join(cells))
        if n == 0:
            print("-+-".join("-" * width for width in widths))
    print()
    print(
        f"baseline rows/s is measured on the first {baseline_rows:,} rows of the same data (row by row, "
        f"its cost per row does not fall with more rows); tablib load {base['load_s']:.2f} s is included"
    )
    print_phases(ours)
    print(
        f"RSS before the import (Django loaded, file bytes read): ours {ours['rss_before_mb']:.0f} MB, "
        f"baseline {base['rss_before_mb']:.0f} MB"
    )
    print(
        f"CPU time of the measuring process (PostgreSQL's own work not included): ours {ours['cpu_s']:.2f} s "
        f"({args.rows / ours['cpu_s']:,.0f} rows per CPU-second), baseline {base['cpu_s']:.2f} s "
        f"({baseline_rows / base['cpu_s']:,.0f} rows per CPU-second)"
    )
    print(f"load average now {load_average()} on {os.cpu_count()} CPUs (other work on the machine slows both)")

    checks: list[tuple[bool, str]] = []
    outcome = ours["outcome"]
    checks.append(
        (
            outcome["ditulis"] and not outcome["kesalahan"] and outcome["dibuat"] == args.rows,
            f"ours outcome: {outcome}" + (f"; first errors {ours['errors']}" if ours["errors"] else ""),
        )
    )
    checks.append((ours["records"] == args.rows, f"ours Pencatatan.objects.count() = {ours['records']:,}"))
    checks.append((ours["history"] == args.rows, f"ours history rows = {ours['history']:,}"))
    checks.append(
        (
            ours["links"] == ours["expected_links"],
            f"ours PencatatanRup links = {ours['links']:,} (expected {ours['expected_links']:,})",
        )
    )
    checks.append(
        (
            not base["has_errors"] and not base["has_validation_errors"],
            f"baseline has_errors={base['has_errors']} has_validation_errors={base['has_validation_errors']} "
            f"totals={base['totals']}" + (f"; first errors {base['errors']}" if base["errors"] else ""),
        )
    )
    checks.append((base["records"] == baseline_rows, f"baseline Pencatatan.objects.count() = {base['records']:,}"))
    checks.append((base["history"] == baseline_rows, f"baseline history rows = {base['history']:,}"))
    checks.append((ratio >= TARGET_RATIO, f"ratio ours/baseline rows/s = {ratio:.1f}x (target >= {TARGET_RATIO:.0f}x)"))
    checks.append(
        (
            ours["peak_mb"] <= TARGET_PEAK_MB,
            f"ours peak memory = {ours['peak_mb']:.0f} MB (target <= {TARGET_PEAK_MB:.0f} MB)",
        )
    )
    print()
    for ok, message in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {message}")
    return checks


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the file OURS imports (default 100000)")
    parser.add_argument(
        "--baseline-rows", type=int, default=5_000, help="first rows the baseline imports (default 5000)"
    )
    parser.add_argument("--database-url", default=DEFAULT_URL, help="an existing database on the server to use")
    parser.add_argument("--profile", action="store_true", help="run only OURS, under cProfile (top 15 cumulative)")
    # internal: the child processes
    parser.add_argument("--child", choices=("ours", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--child-database-url", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--expected-links", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rows < 1 or args.baseline_rows < 1:
        parser.error("--rows and --baseline-rows must be at least 1")
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
