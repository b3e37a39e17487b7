from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from opd.models import Peran, User
from tests.factories import UserFactory


def test_opd_role_without_opd_is_refused_by_the_database(db):
    with pytest.raises(IntegrityError):
        UserFactory(peran=Peran.PPK, opd=None)


def test_pengawas_with_opd_is_refused_by_the_database(opd_a):
    with pytest.raises(IntegrityError):
        UserFactory(peran=Peran.PENGAWAS, opd=opd_a)


def test_opd_role_without_opd_full_clean_message(db):
    user = User(username="tanpa_opd", peran=Peran.OPERATOR, password="x")
    with pytest.raises(ValidationError) as excinfo:
        user.full_clean()
    assert excinfo.value.messages == [
        "Admin OPD, PPTK dan PPK wajib memiliki OPD; pengawas dan administrator tidak memiliki OPD."
    ]


def test_nip_must_have_18_digits(opd_a):
    user = User(username="nip_pendek", peran=Peran.PPK, opd=opd_a, password="x", nip="12345")
    with pytest.raises(ValidationError) as excinfo:
        user.full_clean()
    assert excinfo.value.message_dict == {"nip": ["NIP terdiri atas 18 angka."]}


def test_admin_role_gets_django_admin_access(db):
    user = UserFactory(peran=Peran.ADMIN, opd=None)
    assert (user.is_staff, user.is_superuser) == (True, True)


def test_other_roles_never_get_django_admin_access(opd_a):
    user = UserFactory(peran=Peran.PPK, opd=opd_a)
    user.is_staff = user.is_superuser = True
    user.save()
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_createsuperuser_has_the_admin_role(db):
    user = User.objects.create_superuser("root", "root@example.go.id", "kata-sandi-panjang-1")
    assert user.peran == Peran.ADMIN
    assert user.opd is None
