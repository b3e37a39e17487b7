"""Load benchmark (DESIGN §9): 50 concurrent users on gunicorn, no errors, p95 reported.

Not a test. Run from the project root:

    .venv/bin/python bench/load_bench.py [--users 50] [--seconds 30] [--think 0]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres]

What it does, in one run:

1. creates a database of its own (`spse_load_<pid>`) on the server of --database-url, migrates it
   and fills it with `manage.py seed_demo` (43 OPDs, one login per role, two years of records);
2. collects the static files into a temporary STATIC_ROOT and starts gunicorn with the project's
   gunicorn.conf.py on a free loopback port, with DEBUG=False (production settings, except the
   HTTPS redirect and secure cookies: the bench speaks plain HTTP on 127.0.0.1), and the background
   worker (`manage.py db_worker`), which recomputes the dashboards that the edits put out of date;
3. logs --users people in through the login form (the demo accounts in turn: pengawas, admin
   and OPD staff; several people may share an account) and lets each, in its own thread, walk
   the pages of its role in a loop for --seconds (two minutes by default), waiting --think
   seconds between pages: supervisors the city dashboard, record list, red flags and OPD list;
   OPD people (who land on "Tugas saya") that page, their OPD's page and dashboard, the record
   list (plain and filtered), a record's page and, one person per editable record of their OPD,
   that record's edit form opened and saved (a full write: history, optimistic lock, the OPD's
   dashboard numbers out of date);
4. prints, per page and overall, the requests, errors (any status but 200, no X-Request-ID
   header, or an edit form shown again instead of saved), p50/p95/p99 and the largest time,
   and requests per second; then each target beside its figure, PASS or FAIL: no error, and
   p95 of all requests <= 800 ms (exit 1 when one fails);
5. stops gunicorn and drops the database at the end, also when something fails or on SIGTERM.

The client runs on the same machine as the server, so its threads take some of the CPU; the
times are an upper bound of what a browser on the network would see.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import harness
from postgres_admin import create_database, drop_database, with_database

DEMO_PASSWORD = "tangerang-demo-2026"  # opd.demo.DEMO_PASSWORD, public; seed_demo sets it on every demo login

TARGET_P95_MS = 800.0  # DESIGN §9, raised by issue 16: at 50 users, clients on the same machine

ACCOUNTS = ("pengawas", "operator.disdik", "ppk.disdik", "operator.dinkes", "admin", "pptk.disdik", "ppk.dinkes")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def parse_args() -> argparse.Namespace:
    parser = harness.parser(__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--think", type=float, default=0, help="seconds a user waits between pages")
    return parser.parse_args()


class FormFields(HTMLParser):
    """The fields of the page's form that has a `versi` field (the record edit form), as a browser
    would submit them unchanged: inputs, checked boxes, the selected options, textareas."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._in_form = False
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        a = dict(attrs)
        if tag == "form":
            self._in_form = True
            self.forms.append([])
        elif not self._in_form:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.forms[-1].append((a["name"], a.get("value") or ""))
        elif tag == "select" and a.get("name"):
            self._select, self._select_value = a["name"], None
        elif tag == "option" and self._select is not None:
            if "selected" in a or self._select_value is None:
                self._select_value = a.get("value") or ""
                if "selected" in a:
                    self.forms[-1].append((self._select, self._select_value))
                    self._select = None
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.forms[-1].append((a["name"], ""))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            name, value = self.forms[-1][-1]
            self.forms[-1][-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None:
            self.forms[-1].append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "form":
            self._in_form = False

    def edit_form(self) -> list[tuple[str, str]]:
        return next(form for form in self.forms if any(name == "versi" for name, _value in form))


class User:
    """One person in a browser: their own cookies, logged in through the form."""

    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.username = username
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, str, str, str | None]:
        """Status, final URL, body and X-Request-ID of one page."""
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                body = response.read().decode()
                return response.status, response.url, body, response.headers.get("X-Request-ID")
        except urllib.error.HTTPError as error:
            return error.code, error.url, "", error.headers.get("X-Request-ID")

    def post(self, path: str, fields: list[tuple[str, str]]) -> tuple[int, str, str, str | None]:
        """Submit a form; redirects are followed, as a browser does."""
        try:
            with self.opener.open(self.base + path, data=urllib.parse.urlencode(fields).encode(), timeout=60) as r:
                return r.status, r.url, r.read().decode(), r.headers.get("X-Request-ID")
        except urllib.error.HTTPError as error:
            return error.code, error.url, "", error.headers.get("X-Request-ID")

    def edit(self, pk: int) -> tuple[int, str, str, str | None]:
        """Open a record's edit form and save it unchanged: a full write (history, summaries)."""
        status, _url, body, request_id = self.get(f"/pencatatan/{pk}/ubah/")
        if status != 200:
            return status, _url, body, request_id
        parser = FormFields()
        parser.feed(body)
        return self.post(f"/pencatatan/{pk}/ubah/", parser.edit_form())

    def log_in(self) -> str:
        """Logs in; returns the page the role lands on (beranda redirects by role)."""
        _status, _url, body, _rid = self.get("/accounts/login/")
        token = CSRF_FIELD.search(body).group(1)
        data = urllib.parse.urlencode(
            {"username": self.username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        with self.opener.open(self.base + "/accounts/login/", data=data, timeout=60) as response:
            landing = urlsplit(response.url).path
        if landing.startswith("/accounts/login"):
            raise RuntimeError(f"{self.username} could not log in")
        return landing

    def pages(self, landing: str, tahun: int, slot: int) -> list[tuple[str, str | int]]:
        """(label, path) of what this role looks at, in the order a person would; ("record edit", pk)
        saves that record's edit form. OPD people (who land on "Tugas saya") each work on one of their
        OPD's running records."""
        if landing.startswith("/tugas/"):
            _status, _url, body, _rid = self.get(landing)
            opd = "/opd/" + re.search(r'href="/opd/(\d+)/"', body).group(1)
            ids: set[int] = set()
            for status in ("berjalan", "draft"):  # the records that can still be edited
                _status, _url, body, _rid = self.get(f"/pencatatan/?tahun_anggaran={tahun}&status={status}")
                ids |= {int(pk) for pk in re.findall(r'href="/pencatatan/(\d+)/"', body)}
            editable = sorted(ids)
            pages: list[tuple[str, str | int]] = [
                ("Tugas saya", f"/tugas/?tahun={tahun}"),
                ("OPD home", f"{opd}/"),
                ("OPD dashboard", f"{opd}/dashboard/?tahun={tahun}"),
                ("record list", f"/pencatatan/?tahun_anggaran={tahun}"),
                ("record list, filtered", f"/pencatatan/?tahun_anggaran={tahun}&status=berjalan&sort=-tgl_buat_paket"),
                ("record detail", f"/pencatatan/{editable[slot % len(editable)]}/"),
            ]
            # one person per record: two saving one record at once is refused by design (HTTP 409)
            if slot < len(editable):
                pages.append(("record edit", editable[slot]))
            return pages
        return [
            ("city dashboard", f"/dashboard/?tahun={tahun}"),
            ("record list", f"/pencatatan/?tahun_anggaran={tahun}"),
            ("red flags", f"/tanda-bahaya/?tahun={tahun}"),
            ("OPD list", "/opd/"),
        ]


TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int, *, children: bool = False) -> float:
    """CPU seconds of one process (user + system), with those of its children it has waited for."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # exited meanwhile
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if children else 0)
    return ticks / TICKS


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def cpu_seconds(server_pid: int, worker_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the web server (gunicorn's master, its workers, and the workers it
    recycled), the background worker, this process (the clients) and the whole machine (PostgreSQL, the
    kernel and any other work included: PostgreSQL's backends come and go with the web workers'
    connections, so they are not counted apart)."""
    own = os.times()
    machine = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return {
        "web": _cpu_of(server_pid, children=True) + sum(_cpu_of(c) for c in _children(server_pid)),
        "worker": _cpu_of(worker_pid, children=True),
        "clients": own.user + own.system,
        # every core's busy time (user, nice, system, irq, softirq, steal), other work included
        "machine": (sum(machine[:3]) + sum(machine[5:8])) / TICKS,
    }


def print_cpu(before: dict[str, float], after: dict[str, float], requests: int) -> None:
    """Where the machine's CPU went during the walk, in ms per request."""
    used = {name: after[name] - before[name] for name in after}
    parts = ", ".join(f"{name} {seconds * 1000 / max(requests, 1):.1f}" for name, seconds in used.items())
    print(f"CPU ms a request  {parts}")
    print(
        "                  (an edit counts as one; machine: every process, PostgreSQL and other work on the "
        "machine included)"
    )


def walk(user: User, pages: list[tuple[str, str | int]], until: float, think: float, results: dict, lock) -> None:
    index = 0
    while time.monotonic() < until:
        label, path = pages[index % len(pages)]
        index += 1
        started = time.perf_counter()
        status, url, _body, request_id = user.edit(path) if isinstance(path, int) else user.get(path)
        elapsed = time.perf_counter() - started
        # a saved edit lands on the record's page; the form shown again means it was refused
        ok = status == 200 and bool(request_id) and not urlsplit(url).path.endswith("/ubah/")
        with lock:
            results[label].append((elapsed, ok, status))
        if think:
            time.sleep(think)


def report(results: dict[str, list[tuple[float, bool, int]]], seconds: float) -> int:
    """Print the table and the targets; the number of targets missed."""
    print(f"{'page':<24}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    everything: list[tuple[float, bool, int]] = []
    for label, rows in sorted(results.items()):
        everything += rows
        times = [row[0] * 1000 for row in rows]
        errors = sum(1 for row in rows if not row[1])
        print(
            f"{label:<24}{len(rows):>9}{errors:>8}{statistics.median(times):>9.0f}"
            f"{harness.percentile(times, 0.95):>9.0f}{harness.percentile(times, 0.99):>9.0f}{max(times):>9.0f}"
        )
    times = [row[0] * 1000 for row in everything]
    errors = [row[2] for row in everything if not row[1]]
    print(
        f"{'all':<24}{len(everything):>9}{len(errors):>8}{statistics.median(times):>9.0f}"
        f"{harness.percentile(times, 0.95):>9.0f}{harness.percentile(times, 0.99):>9.0f}{max(times):>9.0f}"
    )
    print(f"throughput {len(everything) / seconds:.1f} requests/s over {seconds:.0f} s")
    if errors:
        print(f"statuses of the errors: {sorted(set(errors))}")
    p95 = harness.percentile(times, 0.95)
    checks = [
        (not errors, f"errors = {len(errors)} (target 0)"),
        (p95 <= TARGET_P95_MS, f"p95 of all requests = {p95:.0f} ms (target <= {TARGET_P95_MS:.0f} ms)"),
    ]
    print()
    for ok, text in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    return sum(not ok for ok, _text in checks)


def main(args: argparse.Namespace) -> int:
    name = f"spse_load_{os.getpid()}"
    database_url = with_database(args.database_url, name)
    work = Path(tempfile.mkdtemp(prefix="spse-load-bench-"))
    port = harness.free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "SECRET_KEY": "load-bench-only-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        # plain HTTP on loopback: no HTTPS redirect, cookies without the Secure flag
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, "manage.py"]
    server = worker = None
    failures = 0
    try:
        create_database(args.database_url, name)
        setup: dict[str, float] = {}
        for label, command, debug in (
            ("migrate", [*manage, "migrate", "--noinput"], "True"),
            # seed_demo refuses DEBUG=False (its password is public); this database is ours alone
            ("seed_demo", [*manage, "seed_demo"], "True"),
            ("collectstatic", [*manage, "collectstatic", "--noinput"], "False"),
        ):
            _stdout, setup[label] = harness.run_command(command, {**env, "DEBUG": debug}, label)
        print("setup seconds     " + ", ".join(f"{label} {value:.1f}" for label, value in setup.items()))

        server = harness.start_server(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "spse_tracker.wsgi"],
            {**env, "DEBUG": "False"},
            work / "gunicorn.err",
        )
        # the background worker, as in production: it recomputes the dashboards the edits put out of date
        worker = harness.start_server(
            [*manage, "db_worker", "--no-reload", "--no-startup-delay"], {**env, "DEBUG": "False"}, work / "worker.err"
        )
        base = f"http://127.0.0.1:{port}"
        harness.wait_until_up(server, base + "/healthz", work / "gunicorn.err", "gunicorn", timeout=30)

        tahun = time.localtime().tm_year
        users, plans = [], []
        slots: dict[str, int] = defaultdict(int)  # people of one OPD edit different records
        for number in range(args.users):
            user = User(base, ACCOUNTS[number % len(ACCOUNTS)])
            landing = user.log_in()
            plans.append(user.pages(landing, tahun, slots[landing]))
            slots[landing] += 1
            users.append(user)
        print(
            f"gunicorn          {os.environ.get('WEB_CONCURRENCY') or 2 * os.cpu_count() + 1} workers × "
            f"{os.environ.get('GUNICORN_THREADS') or 1} threads; "
            f"{args.users} users logged in, think time {args.think} s; "
            f"CONN_MAX_AGE={os.environ.get('CONN_MAX_AGE', '60 (default)')}, "
            f"CACHE_URL={os.environ.get('CACHE_URL', 'locmem (default)')}"
        )

        results: dict[str, list] = defaultdict(list)
        lock = threading.Lock()
        cpu_before = cpu_seconds(server.pid, worker.pid)
        started = time.monotonic()
        until = started + args.seconds
        threads = [
            threading.Thread(target=walk, args=(user, pages, until, args.think, results, lock))
            for user, pages in zip(users, plans, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.monotonic() - started
        print_cpu(cpu_before, cpu_seconds(server.pid, worker.pid), sum(len(r) for r in results.values()))
        failures = report(results, seconds)
    except Exception as error:  # report every failure as FAIL, then clean up
        print(f"FAIL: {error}")
        failures += 1
    finally:
        for process in (server, worker):
            if process is not None:
                harness.stop_server(process, timeout=40)
        drop_database(args.database_url, name)
        shutil.rmtree(work, ignore_errors=True)

    print("FAIL" if failures else "PASS")
    return 1 if failures else 0


if __name__ == "__main__":
    harness.exit_on_sigterm()  # so that `finally` stops gunicorn and drops the database
    sys.exit(main(parse_args()))
