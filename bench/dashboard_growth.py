"""How the dashboards' cost grows with the number of records (issue 16, point 4). Not a test.

    .venv/bin/python bench/dashboard_growth.py [--sizes 250000,500000,1000000] [--runs 3]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres]

For each size: a database of its own (`spse_growth_<n>`, dropped at the end) seeded exactly as
dashboard_bench.py seeds it (seed.seed_dashboard), then the same measurements in a child process
(dashboard_bench.measure, run by dashboard_bench.py --child). Then one table: every measurement's
median at each size and its growth exponent k, the slope of log(time) against log(records) fitted
over all sizes (time ∝ records^k): k ≈ 0 is flat, k ≈ 1 grows as the data. Pages served from the
stored numbers must stay flat; the raw SQL over all records is expected to grow about linearly.

The capacity plan in the README reads its figures from this table.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

import dashboard_bench
import harness
import seed
from postgres_admin import drop_database, with_database

# served from the stored numbers (or paginated through an index): their time must not grow with the data
FLAT = ("dashboard", "opd_dashboard", "list_pengawas", "list_operator")
FLAT_K = 0.2  # "≈ 0": a tenth more time for twice the records is k = 0.14


def exponent(sizes: list[int], times: list[float]) -> float | None:
    """Least-squares slope of log(time) on log(size); None with fewer than two sizes or a zero time."""
    if len(sizes) < 2 or any(t <= 0 for t in times):
        return None
    xs, ys = [math.log(n) for n in sizes], [math.log(t) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def medians(measured: dict) -> dict[str, float]:
    return {name: v["ms"] for name, v in measured.items() if isinstance(v, dict) and "ms" in v}


def growth_table(sizes: list[int], results: dict[int, dict[str, float]]) -> list[tuple[bool, str]]:
    names = [name for name in results[sizes[0]] if all(name in results[n] for n in sizes)]
    rows = [("measurement", *[f"{n:,} rec (ms)" for n in sizes], "k", "verdict")]
    checks = []
    for name in names:
        times = [results[n][name] for n in sizes]
        k = exponent(sizes, times)
        if name in FLAT:
            ok = k is not None and k <= FLAT_K
            verdict = f"{'PASS' if ok else 'FAIL'} (flat: k ≤ {FLAT_K})"
            checks.append((ok, f"{name} flat: k = {k:.2f}" if k is not None else f"{name}: no exponent"))
        else:
            verdict = "grows with the data" if k is not None and k > FLAT_K else "flat"
        rows.append((name, *[f"{t:,.1f}" for t in times], "–" if k is None else f"{k:.2f}", verdict))
    harness.print_table(rows)
    return checks


def one_size(args: argparse.Namespace) -> None:
    """In a child process (Django is set up once per process, for one database): seed, measure, drop."""
    n = args.one_size
    today = dashboard_bench.today_jakarta()
    years = (today.year - 2, today.year - 1, today.year)
    name = f"spse_growth_{n}"
    db_url = with_database(args.database_url, name)
    try:
        s = seed.seed_dashboard(args.database_url, name, n, today, years)
        print(f"  seeded in {s['seed_s']:.1f} s ({s['realisasi']:,} realisasi, {s['paket']:,} paket RUP)", flush=True)
        with tempfile.TemporaryDirectory(prefix="spse-growth-") as tmp:
            measured = dashboard_bench.spawn_child(args, db_url, today.year - 1, today, Path(tmp), n)
        harness.write_result(args.result, medians(measured))
    finally:
        harness.close_django_connections()
        drop_database(args.database_url, name)


def main(args: argparse.Namespace) -> int:
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    started = time.perf_counter()
    results: dict[int, dict[str, float]] = {}
    print(
        f"SPSE Tracker dashboard growth — sizes {', '.join(f'{n:,}' for n in sizes)}, "
        f"measured year {dashboard_bench.today_jakarta().year - 1}"
    )
    print(f"load average {harness.load_average()}")
    for n in sizes:
        print(f"\n{n:,} records: seeding spse_growth_{n} …", flush=True)
        arguments = [
            "--one-size",
            str(n),
            "--database-url",
            args.database_url,
            "--runs",
            str(args.runs),
            "--slow-ms",
            str(args.slow_ms),
            "--jit",
            args.jit,
        ]
        with tempfile.TemporaryDirectory(prefix="spse-growth-") as tmp:
            results[n] = harness.spawn_child(__file__, arguments, Path(tmp) / "size.json", f"{n:,} records")
    print()
    checks = growth_table(sizes, results)
    print()
    harness.print_checks(checks)
    print(f"whole run {time.perf_counter() - started:.0f} s; load average now {harness.load_average()}")
    return 1 if any(not ok for ok, _message in checks) else 0


def parse_args() -> argparse.Namespace:
    parser = harness.parser(__doc__)
    parser.add_argument("--sizes", default="250000,500000,1000000", help="records per database, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="timed runs after the warm-up (median reported)")
    parser.add_argument("--slow-ms", type=float, default=5000, help="a slower warm-up is timed 3 times")
    parser.add_argument("--jit", choices=("server", "off"), default="server")
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)  # internal: the child of one size
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if any(int(s) < 3 for s in args.sizes.split(",")):
        parser.error("every size must be at least 3 records")
    return args


if __name__ == "__main__":
    harness.exit_on_sigterm()  # so that `finally` drops the databases
    arguments = parse_args()
    if arguments.one_size:
        one_size(arguments)
    else:
        sys.exit(main(arguments))
