"""Content Security Policy, session lifetime and password policy."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import TEST_PASSWORD

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_csp_header_on_a_normal_page(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert csp_directives(response) == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", settings.HTMX_INDICATOR_STYLE],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_csp_header_on_an_app_page_and_the_404_page(operator_a):
    client = client_for(operator_a)
    page = client.get(reverse("pencatatan_list"))
    assert page.status_code == 200
    assert csp_directives(page)["script-src"] == ["'self'"]
    with override_settings(DEBUG=False):
        missing = client.get("/tidak-ada/")
    assert missing.status_code == 404
    assert csp_directives(missing)["script-src"] == ["'self'"]


def test_the_allowed_inline_style_is_the_one_the_vendored_htmx_adds():
    htmx = (Path(settings.BASE_DIR) / "static" / "vendor" / "htmx" / "htmx.min.js").read_text(encoding="utf-8")
    # htmx builds it from two template literals with the indicator and request class names
    first, second = re.search(r"`\.\$\{t\}(\{opacity:0[^`]*)`\+`([^`]*)`\+\"</style>\"", htmx).groups()
    css = ".htmx-indicator" + first + second.replace("${n}", "htmx-request").replace("${t}", "htmx-indicator")
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"'sha256-{digest}'" == settings.HTMX_INDICATOR_STYLE


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def test_no_template_needs_unsafe_inline():
    offenders = []
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, STYLE_ATTRIBUTE, STYLE_ELEMENT, EVENT_HANDLER):
            offenders += [f"{path.relative_to(TEMPLATES_DIR)}: {m.group(0)!r}" for m in pattern.finditer(text)]
        offenders += [f"{path.relative_to(TEMPLATES_DIR)}: javascript: URL" for _ in re.finditer("javascript:", text)]
    assert len(list(TEMPLATES_DIR.rglob("*.html"))) > 20
    assert offenders == []


def test_the_template_checks_catch_what_csp_blocks():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/dashboard.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script id="data" type="application/json">{}</script>')
    assert STYLE_ATTRIBUTE.search('<div style="color: red">')
    assert EVENT_HANDLER.search('<button onclick="go()">')
    assert not EVENT_HANDLER.search('<button data-bs-toggle="collapse">')


def test_session_ends_after_a_working_day_and_with_the_browser(operator_a, client):
    response = client.post(reverse("login"), {"username": "operator_a", "password": TEST_PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # a browser-session cookie: no expiry of its own
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
    assert cookie["httponly"] is True
    session = Session.objects.get(session_key=cookie.value)
    lifetime = session.expire_date - timezone.now()
    assert timedelta(hours=8) - timedelta(minutes=1) < lifetime <= timedelta(hours=8)


def settings_in_subprocess(**env: str) -> dict:
    """Settings as a fresh process reads them from the environment."""
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps({'age': s.SESSION_COOKIE_AGE, 'close': s.SESSION_EXPIRE_AT_BROWSER_CLOSE, "
        "'databases': {k: {'NAME': v['NAME'], 'TEST': v.get('TEST', {}), "
        "'DISABLE_SERVER_SIDE_CURSORS': v['DISABLE_SERVER_SIDE_CURSORS']} for k, v in s.DATABASES.items()}, "
        "'routers': s.DATABASE_ROUTERS}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_REPLICA_URL", "DISABLE_SERVER_SIDE_CURSORS")}
    result = subprocess.run(  # noqa: S603 - this interpreter and a fixed script
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "spse_tracker.settings", "DATABASE_URL": "sqlite:///x.db", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_session_lifetime_comes_from_the_environment():
    assert settings_in_subprocess()["age"] == 8 * 60 * 60
    assert settings_in_subprocess(SESSION_COOKIE_AGE="3600") == {
        "age": 3600,
        "close": True,
        "databases": {"default": {"NAME": "x.db", "TEST": {}, "DISABLE_SERVER_SIDE_CURSORS": False}},
        "routers": ["spse_tracker.db_router.ReplicaRouter"],
    }


def test_replica_and_pgbouncer_settings_come_from_the_environment():
    loaded = settings_in_subprocess(
        DATABASE_URL="postgres://spse@db1:5432/spse",
        DATABASE_REPLICA_URL="postgres://spse_ro@db2:6432/spse",
        DISABLE_SERVER_SIDE_CURSORS="True",
    )
    assert loaded["databases"] == {
        "default": {"NAME": "spse", "TEST": {}, "DISABLE_SERVER_SIDE_CURSORS": True},
        "replica": {"NAME": "spse", "TEST": {"MIRROR": "default"}, "DISABLE_SERVER_SIDE_CURSORS": True},
    }


def change_password(client, new: str):
    return client.post(
        reverse("password_change"), {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new}
    )


def test_password_change_refuses_fewer_than_ten_characters(operator_a):
    client = client_for(operator_a)
    short = change_password(client, "Kp9#tgr.a")
    assert short.status_code == 200
    errors = short.context["form"].errors.as_data()["new_password2"]
    assert [error.code for error in errors] == ["password_too_short"]
    assert "Harus mengandung setidaknya 10 karakter." in short.content.decode()

    common = change_password(client, "1234567890")
    assert sorted(e.code for e in common.context["form"].errors.as_data()["new_password2"]) == [
        "password_entirely_numeric",
        "password_too_common",
    ]

    ten = change_password(client, "Kp9#tgr.ab")
    assert ten.status_code == 302
    assert ten.url == reverse("password_change_done")
    operator_a.refresh_from_db()
    assert operator_a.check_password("Kp9#tgr.ab")
