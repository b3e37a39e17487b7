"""Who may read the API: a valid Bearer token of an active person, at most API_RATE times (DESIGN §11)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from opd import tokens
from opd.models import TokenApi
from tests.api.conftest import api_get, token_of

URL = "/api/v1/opd"


def test_no_token_is_401_with_a_clear_message(db):
    response = Client().get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "Token diperlukan: kirim kepala Authorization: Bearer TOKEN."}
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("header", ["Basic dXNlcjpwdw==", "Bearer", "Bearer ", "Token abc"])
def test_another_scheme_or_no_value_is_401(db, header):
    response = Client().get(URL, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json() == {"detail": "Token diperlukan: kirim kepala Authorization: Bearer TOKEN."}


@pytest.mark.parametrize("token", ["spse_tidak-ada-token-seperti-ini", "abc", "spse_"])
def test_unknown_token_is_401(db, token):
    response = api_get(token, URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "Token tidak sah."}


def test_a_session_is_no_token(operator_a):
    client = Client()
    client.force_login(operator_a, backend="opd.backends.OpdModelBackend")
    assert client.get(URL).status_code == 401


def test_revoked_token_is_401_and_says_so(operator_a):
    made = tokens.token_create(pengguna=operator_a, nama="skrip")
    assert api_get(made.kunci, URL).status_code == 200
    tokens.token_revoke(token=made.token)
    response = api_get(made.kunci, URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "Token sudah dicabut. Buat token baru di halaman Token API."}


def test_expired_token_is_401_and_says_so(operator_a):
    made = tokens.token_create(pengguna=operator_a, nama="skrip", hari=1)
    TokenApi.objects.filter(pk=made.token.pk).update(kedaluwarsa=timezone.now() - dt.timedelta(seconds=1))
    response = api_get(made.kunci, URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "Token sudah kedaluwarsa. Buat token baru di halaman Token API."}


def test_token_of_an_inactive_person_is_401(operator_a):
    token = token_of(operator_a)
    operator_a.is_active = False
    operator_a.save()
    response = api_get(token, URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "Akun pemilik token nonaktif."}


def test_only_the_hash_is_stored_and_last_use_is_noted(operator_a):
    made = tokens.token_create(pengguna=operator_a, nama="skrip", hari=30)
    row = TokenApi.objects.get()
    assert made.kunci.startswith("spse_") and len(made.kunci) == 5 + 43
    assert row.kunci_hash == tokens.hash_kunci(made.kunci) != made.kunci
    assert made.kunci not in {row.awalan, row.kunci_hash, row.nama}
    assert row.awalan == made.kunci[:12]
    assert row.terakhir_dipakai is None
    assert dt.timedelta(days=29, hours=23) < row.kedaluwarsa - timezone.now() <= dt.timedelta(days=30)
    api_get(made.kunci, URL)
    assert TokenApi.objects.get().terakhir_dipakai is not None


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_only_get_is_allowed(operator_a, method):
    token = token_of(operator_a)
    response = getattr(Client(), method)(URL, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json() == {"detail": "Metode tidak diizinkan: API ini hanya-baca (GET)."}


@override_settings(API_RATE="3/m")
def test_over_the_rate_is_429_with_retry_after(operator_a, ppk_a):
    token, other = token_of(operator_a), token_of(ppk_a)
    assert [api_get(token, URL).status_code for _ in range(3)] == [200, 200, 200]
    response = api_get(token, URL)
    assert response.status_code == 429
    assert response.json() == {
        "detail": "Terlalu banyak permintaan dengan token ini. Coba lagi setelah Retry-After detik."
    }
    assert 1 <= int(response["Retry-After"]) <= 60
    # counted per token: another token still gets through
    assert api_get(other, URL).status_code == 200


def test_docs_and_schema_need_no_token(db):
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    body = schema.json()
    assert body["info"]["title"] == "SPSE Tracker API"
    assert set(body["paths"]) == {
        "/api/v1/opd",
        "/api/v1/opd/{kd_satker}",
        "/api/v1/rup",
        "/api/v1/pencatatan",
        "/api/v1/pencatatan/{pk}",
        "/api/v1/dashboard",
        "/api/v1/tanda-bahaya",
        "/api/v1/rekonsiliasi",
    }
    assert {method for path in body["paths"].values() for method in path} == {"get"}
    assert body["components"]["securitySchemes"] == {"BearerToken": {"type": "http", "scheme": "bearer"}}
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"/static/ninja/swagger-ui-bundle.js" in docs.content
