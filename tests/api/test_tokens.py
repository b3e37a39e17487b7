"""Making and revoking tokens: `manage.py buat_token`, the Token API page, the admin."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from opd import tokens
from opd.models import TokenApi
from tests.api.conftest import api_get
from tests.conftest import client_for


def test_buat_token_prints_a_working_token_once(pengawas):
    out, err = io.StringIO(), io.StringIO()
    call_command("buat_token", "pengawas", "--nama", "laporan", "--hari", "7", stdout=out, stderr=err)
    token = out.getvalue().strip()
    assert token.startswith("spse_") and "\n" not in token  # stdout is the token alone: TOKEN=$(… buat_token …)
    assert "laporan" in err.getvalue() and token not in err.getvalue()
    row = TokenApi.objects.get()
    assert (row.pengguna, row.nama, row.kunci_hash) == (pengawas, "laporan", tokens.hash_kunci(token))
    assert row.kedaluwarsa is not None
    assert api_get(token, "/api/v1/opd").status_code == 200


def test_buat_token_refuses_unknown_and_inactive_people(operator_a):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("buat_token", "siapa", stdout=io.StringIO(), stderr=io.StringIO())
    operator_a.is_active = False
    operator_a.save()
    with pytest.raises(CommandError, match="nonaktif"):
        call_command("buat_token", "operator_a", stdout=io.StringIO(), stderr=io.StringIO())
    assert TokenApi.objects.count() == 0


def test_token_page_needs_a_login(db, anonymous):
    response = client_for(anonymous).get(reverse("token_list"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/akun/token/"


def test_token_page_makes_a_token_shown_once(operator_a):
    client = client_for(operator_a)
    response = client.post(reverse("token_list"), {"nama": "skrip laporan", "hari": "30"})
    assert response.status_code == 200
    row = TokenApi.objects.get()
    token = response.context["baru"].kunci
    assert row.kunci_hash == tokens.hash_kunci(token)
    assert token in response.content.decode()
    assert "hanya ditampilkan sekali" in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0") and "no-store" in response["Cache-Control"]
    # listed afterwards by its prefix, never again in full
    page = client.get(reverse("token_list")).content.decode()
    assert f"{row.awalan}…" in page and "skrip laporan" in page
    assert token not in page and row.kunci_hash not in page
    assert api_get(token, "/api/v1/opd").status_code == 200


def test_token_page_refuses_a_nameless_token(operator_a):
    response = client_for(operator_a).post(reverse("token_list"), {"nama": "", "hari": "0"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"nama", "hari"}
    assert TokenApi.objects.count() == 0


def test_token_page_lists_only_ones_own(operator_a, operator_b):
    tokens.token_create(pengguna=operator_b, nama="punya B")
    tokens.token_create(pengguna=operator_a, nama="punya A")
    assert [t.nama for t in client_for(operator_a).get(reverse("token_list")).context["tokens"]] == ["punya A"]


def test_revoking_ones_own_token(operator_a):
    made = tokens.token_create(pengguna=operator_a, nama="skrip")
    response = client_for(operator_a).post(reverse("token_cabut", args=[made.token.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("token_list")
    assert TokenApi.objects.get().dicabut is not None
    assert api_get(made.kunci, "/api/v1/opd").status_code == 401


@pytest.mark.parametrize("persona", ["operator_b", "admin"])
def test_another_persons_token_cannot_be_revoked_there(persona, request, operator_a):
    made = tokens.token_create(pengguna=operator_a, nama="skrip")
    response = client_for(request.getfixturevalue(persona)).post(reverse("token_cabut", args=[made.token.pk]))
    assert response.status_code == 404
    assert TokenApi.objects.get().dicabut is None


def test_revoking_is_a_post(operator_a):
    made = tokens.token_create(pengguna=operator_a, nama="skrip")
    assert client_for(operator_a).get(reverse("token_cabut", args=[made.token.pk])).status_code == 405
    assert TokenApi.objects.get().dicabut is None


def test_admin_revokes_with_an_action_and_never_shows_the_hash(admin, operator_a):
    made = tokens.token_create(pengguna=operator_a, nama="skrip")
    client = client_for(admin)
    change = client.get(reverse("admin:opd_tokenapi_change", args=[made.token.pk])).content.decode()
    changelist = client.get(reverse("admin:opd_tokenapi_changelist")).content.decode()
    assert made.token.awalan in changelist
    for page in (change, changelist):
        assert made.token.kunci_hash not in page and made.kunci not in page
    assert client.get(reverse("admin:opd_tokenapi_add")).status_code == 403
    response = client.post(
        reverse("admin:opd_tokenapi_changelist"), {"action": "cabut_token", "_selected_action": [made.token.pk]}
    )
    assert response.status_code == 302
    assert TokenApi.objects.get().dicabut is not None
    assert api_get(made.kunci, "/api/v1/opd").status_code == 401
