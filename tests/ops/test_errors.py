"""Error pages in Indonesian and the request id that ties a user's report to the log lines."""

from __future__ import annotations

import logging
import re

import pytest
from django.test import Client, RequestFactory, override_settings

from spse_tracker.request_id import HEADER, RequestIdFilter, get_request_id
from spse_tracker.views import server_error

TEST_URLS = "tests.ops.urls"
UUID_HEX = re.compile(r"[0-9a-f]{32}")


def failing_client() -> Client:
    # Like a browser: an exception becomes the 500 page instead of failing the test.
    return Client(raise_request_exception=False)


def console_handler() -> logging.Handler:
    return next(handler for handler in logging.getLogger().handlers if handler.get_name() == "console")


def test_request_id_is_generated_and_returned(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert UUID_HEX.fullmatch(response[HEADER])
    assert client.get("/healthz")[HEADER] != response[HEADER]


def test_request_id_from_the_load_balancer_is_kept(client, db):
    response = client.get("/healthz", headers={HEADER: "4f2a9c0e-lb01.req_77:1"})
    assert response[HEADER] == "4f2a9c0e-lb01.req_77:1"


@pytest.mark.parametrize(
    "incoming",
    [
        "",
        "short",
        "has spaces in it",
        "evil\r\nSet-Cookie: x=1",
        "<script>alert(1)</script>",
        "a" * 129,
        "-leading-dash",
    ],
)
def test_bad_incoming_request_id_is_replaced(client, db, incoming):
    response = client.get("/healthz", headers={HEADER: incoming})
    assert UUID_HEX.fullmatch(response[HEADER])


def test_request_id_is_only_set_during_the_request(client, db):
    client.get("/healthz", headers={HEADER: "abcdef0123456789"})
    assert get_request_id() == "-"


@override_settings(ROOT_URLCONF=TEST_URLS, DEBUG=False)
def test_view_error_gives_indonesian_500_page_with_the_logged_request_id(db, caplog):
    caplog.set_level(logging.INFO)
    response = failing_client().get("/_uji/boom/", headers={HEADER: "lb-7f3e2a91c4"})

    assert response.status_code == 500
    html = response.content.decode()
    assert "Terjadi kesalahan" in html
    assert "Kode kejadian:" in html
    assert '<code data-testid="kode-kejadian">lb-7f3e2a91c4</code>' in html
    assert "a bug in a view" not in html  # no details leak to the user
    assert response[HEADER] == "lb-7f3e2a91c4"

    # the warning from the view and Django's error record both carry the id
    warning = next(r for r in caplog.records if r.name == "tests.ops")
    error = next(r for r in caplog.records if r.name == "django.request")
    assert warning.request_id == "lb-7f3e2a91c4"
    assert error.request_id == "lb-7f3e2a91c4"
    assert error.levelno == logging.ERROR
    assert error.exc_info[0] is RuntimeError
    # and the configured stderr format prints it
    line = console_handler().format(error).splitlines()[0]
    assert line.endswith("ERROR [lb-7f3e2a91c4] django.request: Internal Server Error: /_uji/boom/")


@override_settings(ROOT_URLCONF=TEST_URLS, DEBUG=False)
def test_generated_request_id_is_on_the_500_page(db):
    response = failing_client().get("/_uji/boom/")
    request_id = response[HEADER]
    assert UUID_HEX.fullmatch(request_id)
    assert f'<code data-testid="kode-kejadian">{request_id}</code>' in response.content.decode()


@override_settings(ROOT_URLCONF=TEST_URLS, DEBUG=False)
def test_database_error_gives_the_friendly_500_page(db, caplog):
    response = failing_client().get("/_uji/database-down/", headers={HEADER: "db-down-0001"})
    assert response.status_code == 500
    html = response.content.decode()
    assert "Terjadi kesalahan" in html
    assert "db-down-0001" in html
    assert "10.0.0.5" not in html
    error = next(r for r in caplog.records if r.name == "django.request")
    assert error.request_id == "db-down-0001"
    assert error.exc_info[0].__name__ == "OperationalError"


@override_settings(ROOT_URLCONF=TEST_URLS, DEBUG=False)
def test_500_page_is_english_when_chosen(db):
    client = failing_client()
    client.cookies["django_language"] = "en"
    html = client.get("/_uji/boom/", headers={HEADER: "lb-english-01"}).content.decode()
    assert "Something went wrong" in html
    assert "Incident code:" in html
    assert "lb-english-01" in html


def test_500_page_renders_without_the_database():
    # No `db` fixture: any query here would fail the test.
    request = RequestFactory().get("/apa-saja/")
    request.request_id = "no-db-request-1"
    response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Terjadi kesalahan" in html
    assert "no-db-request-1" in html


def test_500_page_without_a_request_id_omits_the_code():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert "Terjadi kesalahan" in html
    assert "Kode kejadian" not in html


def test_500_falls_back_to_a_bare_page_if_the_template_breaks():
    request = RequestFactory().get("/")
    request.request_id = "fallback-0001"
    response = server_error(request, template_name="tidak-ada.html")
    assert response.status_code == 500
    assert "Kode kejadian: fallback-0001" in response.content.decode()


@override_settings(DEBUG=False)
def test_404_page_is_indonesian(client, db):
    response = client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Halaman tidak ditemukan" in html
    assert 'href="/"' in html


@override_settings(ROOT_URLCONF=TEST_URLS, DEBUG=False)
def test_403_page_is_indonesian(client, db):
    response = client.get("/_uji/forbidden/")
    assert response.status_code == 403
    assert "Akses ditolak" in response.content.decode()


@override_settings(DEBUG=False, ALLOWED_HOSTS=["spse.example.go.id"])
def test_400_page_is_indonesian(client, db):
    response = client.get("/accounts/login/", HTTP_HOST="penyerang.example.com")
    assert response.status_code == 400
    assert "Permintaan tidak valid" in response.content.decode()


def test_filter_marks_records_outside_a_request():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "pesan", None, None)
    assert RequestIdFilter().filter(record) is True
    assert record.request_id == "-"
