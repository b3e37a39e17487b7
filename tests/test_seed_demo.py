from __future__ import annotations

import csv
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opd.demo import DATA_FILE, DEMO_PASSWORD
from opd.models import Opd, Peran, User


def test_seed_demo_loads_every_opd_and_a_user_per_role(db, capsys, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    with DATA_FILE.open(encoding="utf-8") as fh:
        names = {row["nama_satker"] for row in csv.DictReader(fh)}
    assert set(Opd.objects.values_list("nama_satker", flat=True)) == names
    assert Opd.objects.count() == 43
    assert set(User.objects.values_list("peran", flat=True)) == set(Peran.values)
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    assert all(username in out for username in User.objects.values_list("username", flat=True))
    assert User.objects.get(username="ppk.disdik").check_password(DEMO_PASSWORD)


def test_seed_demo_is_idempotent(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    before = (Opd.objects.count(), Counter(User.objects.values_list("peran", flat=True)))
    call_command("seed_demo")
    assert (Opd.objects.count(), Counter(User.objects.values_list("peran", flat=True))) == before


def test_seed_demo_refuses_production_by_default(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert Opd.objects.count() == 0
