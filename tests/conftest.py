"""Personas used everywhere (STYLE.md): operator_a and ppk_a of OPD A, operator_b of OPD B,
pengawas, admin and anonymous."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client

from opd.models import Peran
from tests.factories import OpdFactory, UserFactory


@pytest.fixture
def opd_a(db):
    return OpdFactory(nama_satker="Dinas Pendidikan Uji", singkatan="Disdik-A")


@pytest.fixture
def opd_b(db):
    return OpdFactory(nama_satker="Dinas Kesehatan Uji", singkatan="Dinkes-B")


@pytest.fixture
def operator_a(opd_a):
    return UserFactory(username="operator_a", peran=Peran.OPERATOR, opd=opd_a)


@pytest.fixture
def ppk_a(opd_a):
    return UserFactory(username="ppk_a", peran=Peran.PPK, opd=opd_a, nip="198001012005011001")


@pytest.fixture
def operator_b(opd_b):
    return UserFactory(username="operator_b", peran=Peran.OPERATOR, opd=opd_b)


@pytest.fixture
def pengawas(db):
    return UserFactory(username="pengawas", peran=Peran.PENGAWAS, opd=None)


@pytest.fixture
def admin(db):
    return UserFactory(username="admin", peran=Peran.ADMIN, opd=None)


@pytest.fixture
def anonymous():
    return AnonymousUser()


PERSONAS = ("anonymous", "operator_a", "ppk_a", "operator_b", "pengawas", "admin")


@pytest.fixture
def personas(anonymous, operator_a, ppk_a, operator_b, pengawas, admin):
    return {
        "anonymous": anonymous,
        "operator_a": operator_a,
        "ppk_a": ppk_a,
        "operator_b": operator_b,
        "pengawas": pengawas,
        "admin": admin,
    }


def client_for(user) -> Client:
    client = Client()
    if user.is_authenticated:
        client.force_login(user, backend="opd.backends.OpdModelBackend")
    return client


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Proof files written by tests go to a fresh folder, never the project's media/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Hashing with PBKDF2 six times per test would dominate the suite's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Each test starts with an empty cache (the process's memory): a reader's "worker already asked"
    # mark (pengadaan.dashboards.ringkasan.request_refresh) must not carry over from another test.
    cache.clear()
