"""What every bench repeats: the common options, Django in the measuring process, timing, the printed
figures (ours and the baseline side by side, PASS/FAIL), child processes, commands and a server.

Imported by the bench scripts as a sibling module (`python bench/<script>.py` puts bench/ on sys.path).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path

from postgres_admin import DEFAULT_URL

PROJECT = Path(__file__).resolve().parent.parent


# --- the command line ---------------------------------------------------------------------------


def parser(doc: str) -> argparse.ArgumentParser:
    """The bench's parser, described by the first line of its docstring, with --database-url."""
    result = argparse.ArgumentParser(description=doc.splitlines()[0])
    result.add_argument(
        "--database-url",
        default=DEFAULT_URL,
        help="a superuser's URL on the PostgreSQL server to use (its database is not touched)",
    )
    return result


def add_child_options(parser: argparse.ArgumentParser) -> None:
    """What the parent passes its measuring child process, besides --child (hidden from --help)."""
    parser.add_argument("--child-database-url", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)


def _terminate(signum, _frame) -> None:
    raise SystemExit(128 + signum)  # so that the bench's `finally` stops what it started and drops its databases


def exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit in this process, so that cleanup in `finally` runs."""
    signal.signal(signal.SIGTERM, _terminate)


# --- Django in this process ---------------------------------------------------------------------


def setup_django(database_url: str, *, requests: bool = False) -> None:
    """Set Django up on `database_url` with production settings (DEBUG=False).

    `requests`: as the measured requests need them: django.test.Client's host allowed, no HTTPS
    redirect, persistent connections (CONN_MAX_AGE=600), warnings only in the log.
    """
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spse_tracker.settings")
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
    if requests:
        os.environ["ALLOWED_HOSTS"] = "testserver"
        os.environ["SECURE_SSL_REDIRECT"] = "False"
        os.environ["CONN_MAX_AGE"] = "600"
        os.environ["LOG_LEVEL"] = "WARNING"
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))
    if requests:
        warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def close_django_connections() -> None:
    """Close this process's connections (before its databases are dropped), whatever state Django is in."""
    try:
        from django.db import connections

        connections.close_all()
    except Exception as exc:  # Django may not have got as far as its settings
        print(f"note: closing connections: {exc}", file=sys.stderr)


# --- measuring ----------------------------------------------------------------------------------


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


def percentile(values: list[float], fraction: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1]


def peak_rss_mb() -> float:
    """This process's peak resident set size (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


# --- printing the figures -----------------------------------------------------------------------


def print_table(rows: list[tuple[str, ...]]) -> None:
    """Columns side by side: the first (the labels) left-aligned, the figures right-aligned; a rule under
    the header row."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        print(" | ".join(cells).rstrip())
        if n == 0:
            print("-+-".join("-" * width for width in widths))


def print_checks(checks: list[tuple[bool, str]]) -> None:
    for ok, message in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {message}")


# --- child processes and commands ---------------------------------------------------------------


def spawn_child(script: str, arguments: list[str], result: Path, label: str, env: dict | None = None) -> dict:
    """Run `script` (the bench itself, with its --child options) in a child process from the project root;
    the figures it wrote to `result` (see write_result)."""
    command = [sys.executable, str(Path(script).resolve()), *arguments, "--result", str(result)]
    completed = subprocess.run(command, cwd=PROJECT, check=False, env=env)
    if completed.returncode != 0 or not result.exists():
        raise RuntimeError(f"the {label} child process failed (exit {completed.returncode})")
    return json.loads(result.read_text())


def write_result(path: str, figures: dict) -> None:
    """The child's figures, for the parent's spawn_child."""
    Path(path).write_text(json.dumps(figures, default=str))


def run_command(command: list[str], env: dict[str, str], label: str) -> tuple[str, float]:
    """Run a command of the project; its stdout and the seconds it took. Fails loudly."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{label} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout, seconds


# --- a server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(command: list[str], env: dict[str, str], errors: Path) -> subprocess.Popen:
    """Start a server from the project root; its stderr goes to the file `errors`."""
    return subprocess.Popen(
        command,
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(errors, "w"),  # closed with the process
    )


def wait_until_up(server: subprocess.Popen, url: str, errors: Path, name: str, timeout: float = 30) -> None:
    """Wait until `url` answers; fail with the server's stderr when it exits or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:  # refused, reset or timed out while the workers boot
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start:\n" + errors.read_text()) from None
            time.sleep(0.2)


def stop_server(server: subprocess.Popen, timeout: float = 40) -> None:
    """SIGTERM, then SIGKILL when it has not exited after `timeout` seconds."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.kill()
