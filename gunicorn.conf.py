"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py spse_tracker.wsgi`.

Every value that differs between machines comes from the environment:

    GUNICORN_BIND         address to listen on (default 127.0.0.1:8000; a unix socket: unix:/run/spse/gunicorn.sock)
    WEB_CONCURRENCY       worker processes (default 2 × CPUs + 1)
    GUNICORN_THREADS      threads per worker (default 4)
    GUNICORN_TIMEOUT      seconds a request may take before its worker is restarted (default 60)
    FORWARDED_ALLOW_IPS   proxies whose X-Forwarded-* headers are trusted (default 127.0.0.1)
"""

from __future__ import annotations

import multiprocessing
import os

bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# Threads let a worker wait on the database for one request while serving another; exports and
# dashboards spend most of their time there.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# On restart or SIGTERM, requests in flight get this long to finish.
graceful_timeout = 30
keepalive = 5
# Recycle each worker after about a thousand requests (staggered, so they do not all restart at
# once): a slow leak in a library never grows for weeks.
max_requests = 1000
max_requests_jitter = 100

# Access log on stdout, error log on stderr (journald or the container runtime collects both).
# The request id is the X-Request-ID response header that spse_tracker.request_id sets, the
# same id as in the application's log lines and on the 500 page.
accesslog = "-"
errorlog = "-"
# The client's address as the proxy saw it is in X-Forwarded-For; %(h)s is the proxy's.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}o)s xff=%({x-forwarded-for}i)s "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
