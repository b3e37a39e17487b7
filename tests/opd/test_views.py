from __future__ import annotations

import pytest
from django.urls import reverse

from opd.models import Peran
from tests.conftest import client_for
from tests.factories import TEST_PASSWORD, OpdFactory, UserFactory


def test_login_lands_opd_role_on_tugas_saya(operator_a, opd_a, client):
    response = client.post(reverse("login"), {"username": "operator_a", "password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("tugas_saya")
    assert response.context["opd"] == opd_a
    assert response.status_code == 200


def test_login_lands_pengawas_on_the_city_dashboard(pengawas):
    response = client_for(pengawas).get(reverse("beranda"))
    assert response.url == reverse("dashboard")


def test_admin_home_links_to_admin(admin):
    response = client_for(admin).get(reverse("beranda"))
    assert response.status_code == 200
    assert reverse("impor_list").encode() in response.content


@pytest.mark.parametrize(
    ("persona", "labels"),
    [
        ("operator_a", ["Tugas saya", "Pencatatan", "Dasbor", "Rekonsiliasi SPSE", "OPD saya"]),
        ("ppk_a", ["Tugas saya", "Pencatatan", "Dasbor", "Rekonsiliasi SPSE", "OPD saya"]),
        ("pengawas", ["Beranda", "Pencatatan", "Dasbor", "Rekonsiliasi SPSE", "Daftar OPD"]),
        ("admin", ["Beranda", "Pencatatan", "Dasbor", "Rekonsiliasi SPSE", "Daftar OPD", "Impor", "Admin"]),
    ],
)
def test_navigation_shows_only_what_the_role_may_use(request, persona, labels):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(reverse("opd_list"))
    assert [str(item["label"]) for item in response.context["nav_items"]] == labels


def test_opd_detail_lists_its_people(operator_a, ppk_a, operator_b, opd_a):
    response = client_for(operator_a).get(reverse("opd_detail", args=[opd_a.pk]))
    assert list(response.context["people"]) == [ppk_a, operator_a]
    assert operator_b.nama.encode() not in response.content


def test_opd_list_counts_people_per_role(pengawas, operator_a, ppk_a, opd_a, opd_b):
    response = client_for(pengawas).get(reverse("opd_list"))
    rows = {o.pk: (o.jumlah_operator, o.jumlah_pptk, o.jumlah_ppk) for o in response.context["opd_list"]}
    assert rows == {opd_a.pk: (1, 0, 1), opd_b.pk: (0, 0, 0)}


@pytest.mark.parametrize("n_opd", [1, 3])
def test_opd_list_query_count_is_constant(pengawas, django_assert_num_queries, n_opd):
    for _ in range(n_opd):
        opd = OpdFactory()
        UserFactory(peran=Peran.PPK, opd=opd)
    client = client_for(pengawas)
    # session, user, the OPD list with its counts
    with django_assert_num_queries(3):
        response = client.get(reverse("opd_list"))
    assert len(response.context["opd_list"]) == n_opd


def test_healthz_answers_ok(db, client):
    response = client.get(reverse("healthz"))
    assert (response.status_code, response.content) == (200, b"ok\n")


def test_five_wrong_passwords_lock_the_account(operator_a, client):
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "operator_a", "password": "salah"})
    assert response.status_code == 429
    assert "Akun dikunci sementara" in response.content.decode()
    # even the right password is refused while locked
    response = client.post(reverse("login"), {"username": "operator_a", "password": TEST_PASSWORD})
    assert response.status_code == 429


def test_four_wrong_passwords_then_right_one_logs_in(operator_a, client):
    for _ in range(4):
        assert client.post(reverse("login"), {"username": "operator_a", "password": "salah"}).status_code == 200
    response = client.post(reverse("login"), {"username": "operator_a", "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_wrong_password_message_is_indonesian(operator_a, client):
    response = client.post(reverse("login"), {"username": "operator_a", "password": "salah"})
    assert "Masukkan nama pengguna dan kata sandi yang benar" in response.content.decode()


def test_password_change(operator_a):
    client = client_for(operator_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "Tangerang-baru-2026", "new_password2": "Tangerang-baru-2026"},
    )
    assert response.url == reverse("password_change_done")
    operator_a.refresh_from_db()
    assert operator_a.check_password("Tangerang-baru-2026")


def test_logout_is_a_post(operator_a):
    client = client_for(operator_a)
    response = client.post(reverse("logout"))
    assert response.url == reverse("login")
    assert client.get(reverse("opd_list")).status_code == 302
