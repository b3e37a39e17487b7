"""gunicorn.conf.py: sane values from the environment, and it really serves the app."""

from __future__ import annotations

import multiprocessing
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

CONF = Path(settings.BASE_DIR) / "gunicorn.conf.py"
ENV_NAMES = ("GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "FORWARDED_ALLOW_IPS")


def load_conf(monkeypatch, **env: str) -> dict:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_gunicorn_conf_defaults(monkeypatch):
    conf = load_conf(monkeypatch)
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["workers"] == 2 * multiprocessing.cpu_count() + 1
    assert conf["worker_class"] == "gthread"
    assert conf["threads"] == 1
    # a worker takes a connection only with a thread free: the rest wait in the kernel's queue (issue 16)
    assert conf["worker_connections"] == conf["threads"]
    assert conf["keepalive"] == 0
    assert conf["preload_app"] is True
    assert conf["timeout"] == 60
    assert 0 < conf["graceful_timeout"] <= conf["timeout"]
    assert conf["max_requests"] == 5000
    assert 0 < conf["max_requests_jitter"] < conf["max_requests"]
    assert conf["accesslog"] == "-"
    assert "%({x-request-id}o)s" in conf["access_log_format"]
    assert conf["forwarded_allow_ips"] == "127.0.0.1"


def test_gunicorn_conf_reads_the_environment(monkeypatch):
    conf = load_conf(
        monkeypatch,
        GUNICORN_BIND="unix:/run/spse/gunicorn.sock",
        WEB_CONCURRENCY="3",
        GUNICORN_THREADS="8",
        GUNICORN_TIMEOUT="120",
        FORWARDED_ALLOW_IPS="10.0.0.2,10.0.0.3",
    )
    assert conf["bind"] == ["unix:/run/spse/gunicorn.sock"]
    assert conf["workers"] == 3
    assert conf["threads"] == 8
    assert conf["worker_connections"] == 8
    assert conf["timeout"] == 120
    assert conf["forwarded_allow_ips"] == "10.0.0.2,10.0.0.3"


def test_importing_the_app_opens_no_database_connection(tmp_path):
    """gunicorn imports the app in the master before it forks the workers (preload_app): a connection
    opened then would be shared by every worker."""
    code = (
        "import spse_tracker.wsgi\n"
        "from django.db import connections\n"
        "print(sum(c.connection is not None for c in connections.all()))\n"
    )
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'preload.sqlite3'}", "DEBUG": "True"}
    done = subprocess.run(  # noqa: S603 - this interpreter and fixed arguments
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_the_app_with_this_config(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'gunicorn.sqlite3'}",
        "DEBUG": "True",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(  # noqa: S603 - this interpreter and fixed arguments
        [sys.executable, "-m", "gunicorn", "-c", str(CONF), "spse_tracker.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/healthz", headers={"X-Request-ID": "gunicorn-uji-0001"}
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - http://127.0.0.1 only
                    status, body, request_id = response.status, response.read(), response.headers["X-Request-ID"]
                break
            except OSError:  # refused, reset or timed out while the workers boot
                assert server.poll() is None, "gunicorn exited early"
                assert time.monotonic() < deadline, "gunicorn did not answer within 10 s"
                time.sleep(0.1)
    finally:
        server.send_signal(signal.SIGTERM)
        stdout, stderr = server.communicate(timeout=30)

    assert status == 200
    assert body == b"ok\n"
    assert request_id == "gunicorn-uji-0001"
    assert server.returncode == 0
    assert "Using worker: gthread" in stderr
    access = [line for line in stdout.splitlines() if "/healthz" in line]
    assert len(access) == 1
    assert '"GET /healthz HTTP/1.1" 200 3 ' in access[0]
    assert "rid=gunicorn-uji-0001" in access[0]
