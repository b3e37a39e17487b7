"""Settings of SPSE Tracker, all read from the environment (DESIGN §11).

Defaults are for the quick start: SQLite in the project folder, DEBUG on. With
DEBUG=False every setting that `manage.py check --deploy` looks at is secure by
default; one that must differ behind a TLS proxy is overridden by an environment
variable of the same name (e.g. SECURE_SSL_REDIRECT=False).
"""

from __future__ import annotations

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is convenient in development; the environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
# The fallback key only ever serves a DEBUG quick start; production must set one.
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="django-insecure-quickstart-only-" + "x" * 40 if DEBUG else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_filters",
    "django_tables2",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    # the API's docs page and its Swagger UI files (in the wheel: collected and served by WhiteNoise, no CDN)
    "ninja",
    "opd",
    "pengadaan",
]

MIDDLEWARE = [
    # first, so that every log line and error page of the request carries its id
    "spse_tracker.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "opd.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # last, so that a lockout answers before any view runs
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "spse_tracker.urls"
WSGI_APPLICATION = "spse_tracker.wsgi.application"

# With no "loaders" given, Django wraps the file-system and app loaders in its cached loader, DEBUG or
# not (it re-reads a changed template in development): each template is parsed once per process
# (tests/ops/test_request_cost.py).
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pengadaan.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# A read replica for dashboards and exports (opt-in per view with
# spse_tracker.db_router.use_replica); everything else reads the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    # Under tests the replica is the test database itself (Django's TEST MIRROR).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
for _database in DATABASES.values():
    # Persistent connections on PostgreSQL: opening one costs each request a few ms of both CPUs
    # (measured +14% throughput in bench/load_bench.py); health checks drop a connection that died.
    _persistent = 60 if _database["ENGINE"] == "django.db.backends.postgresql" else 0
    _database.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=_persistent))
    _database["CONN_HEALTH_CHECKS"] = True
    # Behind PgBouncer in transaction pooling mode, server-side cursors (.iterator()) break.
    _database["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DISABLE_SERVER_SIDE_CURSORS", default=False)
# SQLite (the quick start): write-ahead logging, so that pages keep reading while a big import writes
# (in SQLite's default journal mode an import whose changes outgrow the page cache locks every reader out:
# "database is locked"); a write waits up to 20 s for another one instead of failing at once, and a
# transaction takes the write lock when it begins, so that it never fails half-way on a stale snapshot.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
}
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.sqlite3":
        _database["OPTIONS"] = {**SQLITE_OPTIONS, **_database.get("OPTIONS", {})}
DATABASE_ROUTERS = ["spse_tracker.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "opd.User"
AUTHENTICATION_BACKENDS = [
    # axes first: it refuses a locked-out username before the password is checked
    "axes.backends.AxesStandaloneBackend",
    "opd.backends.OpdModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "beranda"
LOGOUT_REDIRECT_URL = "login"

# Login lockout (django-axes): five wrong passwords lock that account, and five from one
# address lock that source, for a while. Behind one office NAT, set AXES_LOCKOUT_PARAMETERS=username.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = env.list("AXES_LOCKOUT_PARAMETERS", default=["username", "ip_address"])
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Jakarta")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# our date formats per language (5 Des 2026 · Dec 5, 2026); numbers keep Django's separators
FORMAT_MODULE_PATH = ["spse_tracker.locale_formats"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Proof files of payments (pdf/jpg/png): size limit in MB.
BUKTI_MAX_BYTES = env.int("BUKTI_MAX_MB", default=5) * 1024 * 1024
# Bulk import files: size limit in MB.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_MB", default=20) * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SPSE Tracker <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Secure by default whenever DEBUG is off (DESIGN §11).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Sessions in the database by default: a logout or an expired session ends everywhere at once.
# With a cache shared by every app server (CACHE_URL=rediscache://…), SESSION_ENGINE=
# django.contrib.sessions.backends.cached_db spares each page its session query. Never cached_db
# with the default per-process cache: a logout would not reach the other gunicorn processes.
SESSION_ENGINE = env.str("SESSION_ENGINE", default="django.contrib.sessions.backends.db")
# A session is written only when something in it changes (a login, a message), not on every request:
# nothing in the app writes it per request (tests/ops/test_request_cost.py).
SESSION_SAVE_EVERY_REQUEST = False

# Cache (CACHE_URL, default: memory of each process). It holds only what is computed from stored
# dashboard summaries, under keys naming the summaries' versions (pengadaan.dashboards.ringkasan.generation_key),
# so a write never leaves an out-of-date value to be read, per process or shared (rediscache://…).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://spse")}
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 2000)
# Content Security Policy (django-csp): only our own files run or style the page; no inline
# script or style attribute anywhere (STYLE.md), data reaches scripts through json_script.
# The one inline style allowed, by its hash, is the <style> htmx 2.x adds for .htmx-indicator;
# drop it once base.html turns that off (<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>).
HTMX_INDICATOR_STYLE = "'sha256-faU7yAF8NxuMTNEwVmBz+VcYeIoBQ2EMHW3WaVxCvnk='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, HTMX_INDICATOR_STYLE],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# The JSON API (/api/v1/, DESIGN §11): requests per token, "N/s", "N/m", "N/h" or "N/d". Counted in the
# cache: with several processes set CACHE_URL to a shared cache, or each process counts on its own.
API_RATE = env.str("API_RATE", default="600/m")

# Dashboards (DESIGN §5): the pemda's name on the city row; persen_tercatat colour bands
# (>= first: good, >= second: fair, below: low).
NAMA_PEMDA = env.str("NAMA_PEMDA", default="Kota Tangerang")
DASHBOARD_BANDS = (env.float("BAND_BAIK", default=80.0), env.float("BAND_SEDANG", default=50.0))

# Red flags (DESIGN §7): thresholds in Rupiah and days, each overridable by an env var of the same name.
REDFLAG_BATAS_PL_BARANG = env.int("REDFLAG_BATAS_PL_BARANG", default=200_000_000)
REDFLAG_BATAS_PL_JASA_LAINNYA = env.int("REDFLAG_BATAS_PL_JASA_LAINNYA", default=200_000_000)
REDFLAG_BATAS_PL_KONSTRUKSI = env.int("REDFLAG_BATAS_PL_KONSTRUKSI", default=400_000_000)  # Perpres 46/2025
REDFLAG_BATAS_PL_KONSULTANSI = env.int("REDFLAG_BATAS_PL_KONSULTANSI", default=100_000_000)
REDFLAG_HARI_TERLAMBAT_CATAT = env.int("REDFLAG_HARI_TERLAMBAT_CATAT", default=30)
# rule 4 flags an OPD when more than this share of its entries were recorded late (DESIGN §7: half)
REDFLAG_PORSI_TERLAMBAT_CATAT = env.str("REDFLAG_PORSI_TERLAMBAT_CATAT", default="0.5")
REDFLAG_HARI_LEWAT_SELESAI = env.int("REDFLAG_HARI_LEWAT_SELESAI", default=30)
REDFLAG_BATAS_BUKTI_PEMBELIAN = env.int("REDFLAG_BATAS_BUKTI_PEMBELIAN", default=10_000_000)  # Perpres 16/2018 ps. 28
REDFLAG_BATAS_KUITANSI = env.int("REDFLAG_BATAS_KUITANSI", default=50_000_000)

# Reminders (kirim_pengingat): links in e-mails point here; drafts older than this many days are listed.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
PENGINGAT_DRAFT_HARI = env.int("PENGINGAT_DRAFT_HARI", default=14)
# DESIGN §12: an app record and SPSE's record of the same packages are matched without asking when their
# pagu are at most this share of SPSE's apart; further apart, the OPD confirms the pair
PADANAN_SELISIH_PAGU = env.str("PADANAN_SELISIH_PAGU", default="0.10")

# Open data (DESIGN §13): the OCDS release package at /ocds/rilis.json. Anyone may read it only when
# OCDS_PUBLIK is on (else pengawas and admin); a pemda registers its own ocid prefix (`ocds-` and six
# characters) with the Open Contracting Partnership; the default is a placeholder (checked at startup).
OCDS_PUBLIK = env.bool("OCDS_PUBLIK", default=False)
OCDS_OCID_PREFIX = env.str("OCDS_OCID_PREFIX", default="ocds-tgrkot")

# django-tables2 renders with Bootstrap 5 markup.
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

# Background tasks (django-tasks): the database backend, run by `manage.py db_worker` (`manage.py serve`
# starts one with the development server). It runs large imports and recomputes the stored dashboard
# numbers that writes made out of date, while pages show the last ones with "sedang diperbarui"
# (pengadaan.dashboards.ringkasan). TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend runs
# each task in the request that queues it: no worker needed, but that request waits for it.
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
# Imports of at least this many rows are checked and written by the worker, with a progress bar.
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=5000)
# a running import that has reported no progress for this long has lost its worker (pengadaan.imports.jobs)
IMPORT_STALLED_MINUTES = env.int("IMPORT_STALLED_MINUTES", default=10)


# One stream, stderr, one line per record with the request id (X-Request-ID) that the load
# balancer, gunicorn's access log and the 500 page share.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "spse_tracker.request_id.RequestIdFilter"}},
    "formatters": {
        "baris": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["request_id"],
            "formatter": "baris",
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own handlers (console when DEBUG, mail_admins) replaced by the root's one line.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "axes": {"level": "WARNING"},
    },
}
