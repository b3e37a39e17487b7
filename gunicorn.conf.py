"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py spse_tracker.wsgi`.

Every value that differs between machines comes from the environment:

    GUNICORN_BIND         address to listen on (default 127.0.0.1:8000; a unix socket: unix:/run/spse/gunicorn.sock)
    WEB_CONCURRENCY       worker processes (default 2 × CPUs + 1)
    GUNICORN_THREADS      threads per worker (default 1)
    GUNICORN_TIMEOUT      seconds a request may take before its worker is restarted (default 60)
    FORWARDED_ALLOW_IPS   proxies whose X-Forwarded-* headers are trusted (default 127.0.0.1)
"""

from __future__ import annotations

import multiprocessing
import os

bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# gthread, not sync: a long export or import upload keeps its thread busy, not the worker's heartbeat,
# so the worker is not killed after `timeout` seconds while the main loop still answers.
worker_class = "gthread"
# One request at a time per process, and a process takes a new connection only when a thread of its
# own is free: the others wait in the kernel's queue, first come first served, for whichever process
# frees up first. The pages spend most of their time in Python, not waiting on the database, so
# threads of one process would only share one interpreter lock, and a process that accepted more
# connections than it can serve made them wait behind each other while another process sat idle
# (bench/load_bench.py at 50 users: p95 1,547 ms with 4 threads, 920 ms with 1; issue 16).
threads = int(os.environ.get("GUNICORN_THREADS", 1))
worker_connections = threads
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# On restart or SIGTERM, requests in flight get this long to finish.
graceful_timeout = 30
# No keep-alive: a connection kept open would hold a slot of `worker_connections` while idle. nginx
# speaks HTTP/1.0 to its upstream and closes each connection anyway (README, deployment).
keepalive = 0
# Recycle each worker after about five thousand requests (staggered, so they do not all restart at
# once): a slow leak in a library never grows for weeks, and under full load (85 requests/s on two
# cores) a worker lives about five minutes, its caches warm.
max_requests = 5000
max_requests_jitter = 500
# The app is imported once, in the master, before the workers fork: a recycled worker starts in
# milliseconds instead of importing Django again while the others serve, and the workers share the
# imported code's memory. Nothing connects to the database at import (tests/ops/test_gunicorn.py), so
# no connection is shared across the fork. New code needs a restart, not a HUP (README, "Updating").
preload_app = True

# Access log on stdout, error log on stderr (journald or the container runtime collects both).
# The request id is the X-Request-ID response header that spse_tracker.request_id sets, the
# same id as in the application's log lines and on the 500 page.
accesslog = "-"
errorlog = "-"
# The client's address as the proxy saw it is in X-Forwarded-For; %(h)s is the proxy's.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}o)s xff=%({x-forwarded-for}i)s "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
