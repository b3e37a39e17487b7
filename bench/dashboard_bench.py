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
      almost always served, from the stored summaries (pengadaan.dashboards.ringkasan) while they are current;
      then with every OPD's summary of Y made out of date before each run (what an import does; not
      timed), which the page shows as last stored with "sedang diperbarui" while it queues the worker
      (no page waits on a recompute, issue 16); then with every OPD's summary of Y never computed (its
      numbers cleared before each run), the one state in which the request computes them all. Inside
      those requests, the time of each piece the view calls (ringkasan.current_data, which includes
      computing what was never computed, ringkasan.open_flag_counts,
      itkp.proyeksi_itkp, selectors.years_of; wrapped on their modules in the measuring process, see
      Pieces); the rest is sessions, auth, the view itself and the template;
   b. the RAW SQL AGGREGATE (RAW_SQL_TABEL, dashboard_sql.py), run with a raw cursor: the §5 table of
      every OPD and the city for Y; and apart, the raw SQL of the red-flag counts (RAW_SQL_FLAGS). Both are
      checked against dashboards.tabel and the stored open red flags (same numbers for every OPD and rule);
   c. OPD dashboard: GET /opd/<pk>/dashboard/?tahun=Y for the biggest OPD, as its operator (with its
      pieces, dashboards.rup_belum_dicatat among them), current, out of date and never computed;
   d. record list page 1, filtered and sorted: GET /pencatatan/?tahun_anggaran=Y&status=selesai&sort=-pagu
      (the filter's field is `tahun_anggaran`, a `tahun` parameter would be ignored; `sort` is
      django-tables2's default order_by_field) as the pengawas and as the operator.
   e. the worker's recompute: `segarkan_ringkasan` called directly (no request, no queue), every OPD's
      summary of Y made out of date before each run (an import), then checked current.
   The SQL queries of each request are counted (CaptureQueriesContext, in its warm-up run) and the
   slowest are listed; --explain adds EXPLAIN (ANALYZE, BUFFERS) of the three slowest queries of every
   request that misses its target. A measurement whose warm-up takes more than --slow-ms (5 s) is
   timed 3 times instead of --runs, so that a run at 1,000,000 records stays near ten minutes.
   --jit off measures with jit=off on every connection of the measuring process (PGOPTIONS), the
   Django side and the raw SQL alike; by default the server's setting applies.

3. REPORT: the measurements (median ms, runs, queries, the pieces), then TARGETS: each figure beside its
   target with PASS/FAIL: the dashboard from stored numbers <= 1.3x the raw §5 SQL; the worker's recompute
   of every OPD (e.) and the first-ever view <= 1.3x the raw §5 + red-flag SQL (what they compute); every
   OPD out of date, the page answers within 1 s; the OPD dashboard and the record lists <= 50 ms.
   Exits 1 when a target or a check fails.

The raw SQL baseline (RAW_SQL_TABEL, RAW_SQL_FLAGS) and what it computes: dashboard_sql.py. The data and
their seeding: dashboard_data.py and seed.py; what every bench shares: harness.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import harness
import seed
from dashboard_data import N_PENYEDIA
from dashboard_sql import COMPARED, RAW_SQL_TABEL, raw_flags, raw_tabel
from postgres_admin import database_comment, drop_database, with_database

DB_NAME = "spse_dash_bench"

TARGET_RATIO = 1.3  # dashboard server time / raw SQL aggregate (DESIGN §9)
TARGET_PAGE_MS = 50.0  # OPD dashboard and record list (DESIGN §9, "lists")
TARGET_WAIT_MS = 1000.0  # no page waits more than 1 s for out-of-date numbers (issue 16)


# --- measurements (child process) -------------------------------------------------------------------


# The functions the views call, timed inside the measured requests (not in separate calls).
PIECES = (
    ("dashboards.ringkasan", "current_data"),  # the stored numbers; includes computing those never computed
    ("dashboards.ringkasan", "open_flag_counts"),
    ("dashboards.selectors", "rup_belum_dicatat"),
    ("itkp", "proyeksi_itkp"),
    ("selectors", "years_of"),
)


class Pieces:
    """Wraps the PIECES in this (measuring) process: each call adds its time and keeps its result.

    The views look them up on their modules at call time (`dashboards.tabel(...)`), so the wrappers
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


class Task:
    """Call `fn` (no request); the first call (the warm-up) captures its SQL, as `Request` does."""

    def __init__(self, fn) -> None:
        self.fn, self.captured = fn, {}

    def __call__(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        if self.captured:
            self.fn()
            return
        with CaptureQueriesContext(connection) as ctx:
            self.fn()
        queries = sorted(
            ({"ms": float(q["time"]) * 1000, "sql": q["sql"]} for q in ctx.captured_queries), key=lambda q: -q["ms"]
        )
        self.captured = {"queries": len(queries), "slowest": queries[:5], "query_ms": sum(q["ms"] for q in queries)}


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
    out: dict = {"tahun": tahun, "opd": operator.opd.nama_satker, "opd_pk": operator.opd_id, "records": args.records}
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), current_setting('work_mem'), version()")
        out["jit"], out["work_mem"], out["server"] = cursor.fetchone()
    pieces = Pieces()

    def timed(name, fn, prepare=None, **extra):
        ms, times = harness.median_ms(fn, runs, args.slow_ms, prepare)
        out[name] = {"ms": ms, "times": times, **extra}
        if isinstance(fn, Request):
            out[name].update(url=fn.url, pieces=fn.piece_medians(times), **fn.captured)
        elif isinstance(fn, Task):
            out[name].update(fn.captured)
        print(f"  {name}: median of {len(times)}: {ms:,.1f} ms", flush=True)

    from opd.models import Opd
    from pengadaan.dashboards import invalidation, ringkasan
    from pengadaan.dashboards import selectors as dashboards
    from pengadaan.models import RingkasanOpd

    def out_of_date(opd_ids=None):
        """What a write does: every (or these) OPD's summary of the year becomes out of date."""
        ids = opd_ids or list(Opd.objects.values_list("pk", flat=True))
        invalidation.mark((pk, tahun) for pk in ids)

    def never_computed(opd_ids=None):
        """A first view: every (or these) OPD's summary of the year as if never computed (its flags stay)."""
        rows = RingkasanOpd.objects.filter(tahun=tahun)
        if opd_ids:
            rows = rows.filter(opd_id__in=opd_ids)
        rows.update(data=None, data_generasi=None)

    # a. supervisor dashboard: summaries current (the usual case); measured out of date at the end,
    # so that the flags it rewrites (and the vacuuming that follows) do not slow the page measurements
    timed("dashboard", Request(supervisor, f"/dashboard/?tahun={tahun}", pieces))
    rows, kota = dashboards.tabel(tahun=tahun, user=pengawas)
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
    opd_url = f"/opd/{operator.opd_id}/dashboard/?tahun={tahun}"
    timed("opd_dashboard", Request(opd_client, opd_url, pieces))
    out["opd_flags"] = sum(n for (opd_id, _rule), n in django_counts.items() if opd_id == operator.opd_id)
    response = opd_client.get(f"/opd/{operator.opd_id}/dashboard/?tahun={tahun}")
    out["opd_dashboard"]["bytes"] = len(response.content)

    # d. record list
    list_url = f"/pencatatan/?tahun_anggaran={tahun}&status=selesai&sort=-pagu"
    timed("list_pengawas", Request(supervisor, list_url, pieces))
    timed("list_operator", Request(opd_client, list_url, pieces))

    # e. the dashboards out of date: every OPD (an import), one OPD (a save): shown as stored, the worker
    # queued; then never computed: computed in the request
    timed("dashboard_stale", Request(supervisor, f"/dashboard/?tahun={tahun}", pieces), prepare=out_of_date)
    timed("opd_dashboard_stale", Request(opd_client, opd_url, pieces), prepare=lambda: out_of_date([operator.opd_id]))
    # e. the worker's recompute of every OPD out of date (`segarkan_ringkasan`, as after an import)
    timed("recompute", Task(lambda: ringkasan.segarkan_ringkasan.call(tahun=tahun)), prepare=out_of_date)
    ids = list(Opd.objects.values_list("pk", flat=True))
    out["recompute"]["all_current"] = ringkasan.probe(tahun=tahun, opd_ids=ids).all_current
    timed("dashboard_cold", Request(supervisor, f"/dashboard/?tahun={tahun}", pieces), prepare=never_computed)
    opd_never = lambda: never_computed([operator.opd_id])  # noqa: E731
    timed("opd_dashboard_cold", Request(opd_client, opd_url, pieces), prepare=opd_never)
    return out


def run_child(args: argparse.Namespace) -> None:
    harness.setup_django(args.child_database_url, requests=True)
    harness.write_result(args.result, measure(args))


def spawn_child(args: argparse.Namespace, db_url: str, tahun: int, today: date, workdir: Path, records: int) -> dict:
    arguments = [
        "--child",
        "--records",
        str(records),
        "--child-database-url",
        db_url,
        "--tahun",
        str(tahun),
        "--today",
        today.isoformat(),
        "--runs",
        str(args.runs),
        "--slow-ms",
        str(args.slow_ms),
    ]
    env = dict(os.environ)
    if args.jit == "off":
        env["PGOPTIONS"] = (env.get("PGOPTIONS", "") + " -c jit=off").strip()  # libpq: every connection
    return harness.spawn_child(__file__, arguments, workdir / "measure.json", "measuring", env)


# --- report ---------------------------------------------------------------------------------------


def targets(m: dict) -> list[tuple[str, str, str, str, bool]]:
    """Each figure against its target (DESIGN §9, issue 16): (figure, measured, target, ratio, met)."""
    raw, both = m["raw_tabel"]["ms"], m["raw_tabel"]["ms"] + m["raw_flags"]["ms"]

    def ratio(name: str, base: float, label: str) -> tuple[str, str, str, str, bool]:
        ms = m[name]["ms"]
        return (
            label,
            f"{ms:,.1f} ms",
            f"<= {TARGET_RATIO}x = {TARGET_RATIO * base:,.0f} ms",
            f"{ms / base:.2f}x",
            ms <= TARGET_RATIO * base,
        )

    def limit(name: str, target_ms: float, label: str) -> tuple[str, str, str, str, bool]:
        ms = m[name]["ms"]
        return label, f"{ms:,.1f} ms", f"<= {target_ms:,.0f} ms", "", ms <= target_ms

    return [
        ratio("dashboard", raw, "supervisor dashboard from stored numbers / raw §5 SQL"),
        ratio("recompute", both, "worker recompute of every OPD / raw §5 + red-flag SQL"),
        ratio("dashboard_cold", both, "first-ever view (every OPD computed in the request) / raw §5 + red-flag SQL"),
        limit("dashboard_stale", TARGET_WAIT_MS, "every OPD out of date: page answers without recomputing"),
        limit("opd_dashboard", TARGET_PAGE_MS, "OPD dashboard (biggest OPD, as its operator)"),
        limit("list_pengawas", TARGET_PAGE_MS, "record list page 1, as pengawas"),
        limit("list_operator", TARGET_PAGE_MS, "record list page 1, as operator"),
    ]


def report(m: dict) -> tuple[list[tuple[bool, str]], list[str]]:
    """Print the tables; return the checks and the names of the measurements that missed their target."""
    raw, flags_ms, tahun = m["raw_tabel"]["ms"], m["raw_flags"]["ms"], m["tahun"]
    table = [("measurement", "median ms", "runs", "queries")]

    def add(label: str, name: str, queries: str = "") -> None:
        r = m[name]
        table.append((label, f"{r['ms']:,.1f}", str(len(r["times"])), str(r.get("queries", queries))))

    def add_pieces(name: str) -> None:
        for label, ms in m[name].get("pieces", {}).items():
            text = "rest: session, auth, view, template" if label == "rest" else label
            table.append((f"     {text}", f"{ms:,.1f}", "", ""))

    rows = (
        (f"a. supervisor dashboard GET /dashboard/?tahun={tahun}", "dashboard"),
        ("   the same, every OPD's summary out of date (shown as stored, worker queued)", "dashboard_stale"),
        ("   the same, every OPD's summary never computed (computed in the request)", "dashboard_cold"),
        ("   the worker's segarkan_ringkasan, every OPD out of date (no request)", "recompute"),
        (f"c. OPD dashboard GET /opd/{m['opd_pk']}/dashboard/?tahun={tahun} ({m['opd']})", "opd_dashboard"),
        ("   the same, its summary out of date (shown as stored, worker queued)", "opd_dashboard_stale"),
        ("   the same, its summary never computed (computed in the request)", "opd_dashboard_cold"),
        ("d. record list page 1, as pengawas", "list_pengawas"),
        ("d. record list page 1, as operator", "list_operator"),
    )
    for label, name in rows[:4]:
        add(label, name)
        add_pieces(name)
    add(f"b. raw SQL §5 aggregate ({len(RAW_SQL_TABEL)} statements)", "raw_tabel", str(len(RAW_SQL_TABEL)))
    add("   raw SQL red flags (1 statement)", "raw_flags", "1")
    table.append(("   raw SQL §5 + red flags", f"{raw + flags_ms:,.1f}", "", str(len(RAW_SQL_TABEL) + 1)))
    for label, name in rows[4:]:
        add(label, name)
        add_pieces(name)
    print()
    harness.print_table(table)
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
    print("SQL of each measurement (captured in its warm-up run), the slowest queries:")
    for _label, name in rows:
        r = m[name]
        print(f"  {name}: {r['queries']} queries, {r['query_ms']:,.1f} ms in SQL")
        for query in r["slowest"][:3]:
            sql = " ".join(query["sql"].split())
            print(f"    {query['ms']:8.1f} ms  {sql[:150]}{'…' if len(sql) > 150 else ''}")

    figures = targets(m)
    print()
    print(
        f"TARGETS at {m['records']:,} records, year {tahun} "
        f"(raw §5 SQL {raw:,.1f} ms, red-flag SQL {flags_ms:,.1f} ms):"
    )
    harness.print_table(
        [("figure", "measured", "target", "ratio", "result")]
        + [(label, measured, target, ratio, "PASS" if ok else "FAIL") for label, measured, target, ratio, ok in figures]
    )
    checks = [
        (not m["tabel_matches_raw"], "raw SQL §5 = dashboards.tabel for every OPD and the city"),
        (m["flags_match_raw"], "raw red-flag SQL = the stored open red flags, per OPD and rule"),
        (m["recompute"]["all_current"], "after the worker's recompute every OPD's summary is current"),
        *((ok, f"{label}: {measured} ({target})") for label, measured, target, _ratio, ok in figures),
    ]
    print()
    harness.print_checks(checks)
    for mismatch in m["tabel_matches_raw"]:
        print(f"      {mismatch}")
    names = (
        "dashboard",
        "recompute",
        "dashboard_cold",
        "dashboard_stale",
        "opd_dashboard",
        "list_pengawas",
        "list_operator",
    )
    failed = [name for name, figure in zip(names, figures, strict=True) if not figure[4] and name != "recompute"]
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


def today_jakarta() -> date:
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


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
        print(f"load average {harness.load_average()} on {os.cpu_count()} CPUs")
        marker = seed.marker_for(args.records, years)
        reuse = bool(args.keep_db) and database_comment(args.database_url, name) == marker
        if reuse:
            print(f"database {name}: reused as seeded ({marker}), kept at the end")
            harness.setup_django(db_url, requests=True)
            from django.core.management import call_command

            call_command("migrate", verbosity=0, interactive=False)  # a no-op unless the code has new migrations
        else:
            print(
                f"database {name}: created now, {'kept' if args.keep_db else 'dropped'} at the end; seeding "
                f"{args.records:,} records over {years[0]}–{years[-1]} with COPY (2 worker processes) …",
                flush=True,
            )
            s = seed.seed_dashboard(args.database_url, name, args.records, today, years)
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
            measured = spawn_child(args, db_url, tahun, today, Path(tmp), args.records)
        checks, failed = report(measured)
        if args.explain and failed:
            explain_slowest(db_url, measured, failed, "-c jit=off" if args.jit == "off" else "")
        print()
        print(f"whole run {time.perf_counter() - run_started:.0f} s; load average now {harness.load_average()}")
    finally:
        harness.close_django_connections()
        if not args.keep_db:
            drop_database(args.database_url, name)
    return 1 if any(not ok for ok, _message in checks) else 0


def parse_args() -> argparse.Namespace:
    parser = harness.parser(__doc__)
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
    # internal: the measuring child process
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    harness.add_child_options(parser)
    parser.add_argument("--tahun", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--today", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.records < 3 or args.runs < 1:
        parser.error("--records must be at least 3 and --runs at least 1")
    return args


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.child:
        run_child(arguments)
    else:
        harness.exit_on_sigterm()  # so that `finally` drops the database
        sys.exit(main(arguments))
