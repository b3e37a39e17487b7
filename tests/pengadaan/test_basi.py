"""Out-of-date stored numbers (pengadaan.dashboards.ringkasan): pages never wait for a recompute.

A page that finds its stored summaries out of date shows the last stored numbers with the time they were
computed and "sedang diperbarui", asks the worker (once per year and QUEUE_SECONDS, however many readers),
and polls `ringkasan_status`, which answers `HX-Refresh: true` once the worker has run. Only a summary
never computed is computed in the request.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from pengadaan.dashboards import ringkasan
from pengadaan.models import RingkasanOpd, Status
from tests.conftest import client_for
from tests.factories import PaketRupFactory, PencatatanFactory

TAHUN = 2026
JUTA = Decimal("1000000")
# 07:03 UTC is 14:03 in Asia/Jakarta (UTC+7), the app's time zone
COMPUTED = dt.datetime(2026, 12, 5, 7, 3, tzinfo=ZoneInfo("UTC"))
TASK = "pengadaan.dashboards.ringkasan.segarkan_ringkasan"


def no_refresh():
    """`ringkasan.refresh` made to fail: nothing may recompute in the request."""
    return patch.object(ringkasan, "refresh", side_effect=AssertionError("recomputed in the request"))


def queued() -> list[dict]:
    return [task.args_kwargs for task in DBTaskResult.objects.filter(task_path=TASK)]


@pytest.fixture
def stale_a(opd_a):
    """OPD A with one record of a 40-juta RUP package (computed, stored at COMPUTED), then a second record with
    its own 5-juta package: out of date."""
    paket = PaketRupFactory(opd=opd_a, tahun_anggaran=TAHUN, pagu=40 * JUTA)
    PencatatanFactory(opd=opd_a, tahun_anggaran=TAHUN, paket=[paket], pagu=10 * JUTA)
    ringkasan.refresh(tahun=TAHUN, opd_ids=[opd_a.pk])
    RingkasanOpd.objects.filter(opd=opd_a, tahun=TAHUN).update(dihitung_pada=COMPUTED)
    PencatatanFactory(opd=opd_a, tahun_anggaran=TAHUN, pagu=5 * JUTA)  # the factory links a package of its pagu
    return opd_a


def status(client, **query):
    return client.get(reverse("ringkasan_status"), {"tahun": TAHUN, **query}, headers={"HX-Request": "true"})


def test_a_stale_dashboard_shows_the_stored_numbers_with_their_time(pengawas, stale_a):
    client = client_for(pengawas)
    with no_refresh():
        response = client.get(reverse("dashboard"), {"tahun": TAHUN})
    html = response.content.decode()
    kota = response.context["kota"]
    # the first record only: tercatat_pagu is the pagu of the RUP packages recorded (DESIGN §5)
    assert (kota.pencatatan_aktif, kota.rup_pagu, kota.tercatat_pagu) == (1, 40 * JUTA, 40 * JUTA)
    assert response.context["basi_sejak"] == COMPUTED
    assert "Angka per 5 Des 2026 14:03 · sedang diperbarui" in html
    assert f'hx-get="{reverse("ringkasan_status")}?tahun={TAHUN}" hx-trigger="every 3s"' in html
    assert 'role="status" aria-live="polite"' in html
    assert queued() == [{"args": [], "kwargs": {"tahun": TAHUN}}]


def test_after_the_worker_the_status_asks_for_a_reload_and_the_page_is_current(pengawas, stale_a):
    client = client_for(pengawas)
    with no_refresh():
        client.get(reverse("dashboard"), {"tahun": TAHUN})
        before = status(client)
    assert before.status_code == 200
    assert "HX-Refresh" not in before
    assert "sedang diperbarui" in before.content.decode()

    ringkasan.segarkan_ringkasan.call(tahun=TAHUN)  # what the worker runs

    after = status(client)
    assert after["HX-Refresh"] == "true"
    assert "hx-trigger" not in after.content.decode()  # no more polling
    page = client.get(reverse("dashboard"), {"tahun": TAHUN})
    kota = page.context["kota"]
    assert (kota.pencatatan_aktif, kota.rup_pagu, kota.tercatat_pagu) == (2, 45 * JUTA, 45 * JUTA)  # 40 + 5 juta
    assert page.context["basi_sejak"] is None
    assert "sedang diperbarui" not in page.content.decode()


def test_a_first_view_computes_in_the_request_without_a_badge(pengawas, opd_a):
    PencatatanFactory(opd=opd_a, tahun_anggaran=TAHUN, pagu=10 * JUTA)
    PencatatanFactory(opd=opd_a, tahun_anggaran=TAHUN, pagu=7 * JUTA, status=Status.BATAL, alasan_pembatalan="x")
    response = client_for(pengawas).get(reverse("opd_dashboard", args=[opd_a.pk]), {"tahun": TAHUN})
    row = response.context["row"]
    assert (row.pencatatan_aktif, row.realisasi_nilai) == (1, Decimal("0"))  # the cancelled one does not count
    assert response.context["basi_sejak"] is None
    assert "sedang diperbarui" not in response.content.decode()
    assert queued() == []  # nothing left for the worker


def test_many_readers_of_a_stale_year_queue_one_task(pengawas, operator_a, stale_a):
    clients = [client_for(pengawas), client_for(operator_a)]
    with no_refresh():
        for _ in range(5):
            for client in clients:
                assert client.get(reverse("tanda_bahaya_list"), {"tahun": TAHUN}).status_code == 200
            assert status(clients[0]).status_code == 200
        assert client_for(operator_a).get(reverse("tugas_saya"), {"tahun": TAHUN}).status_code == 200
    assert queued() == [{"args": [], "kwargs": {"tahun": TAHUN}}]  # 16 readers, one task


def test_the_request_refresh_mark_lasts_its_window(stale_a):
    assert ringkasan.request_refresh(tahun=TAHUN) is True
    assert ringkasan.request_refresh(tahun=TAHUN) is False
    assert ringkasan.request_refresh(tahun=TAHUN - 1) is True  # another year asks for itself
    assert len(queued()) == 2


def test_the_flag_list_and_tugas_saya_show_their_stored_flags_marked(operator_a, stale_a):
    PencatatanFactory(opd=stale_a, tahun_anggaran=TAHUN, status=Status.SELESAI)  # rule 5, not stored yet
    client = client_for(operator_a)
    with no_refresh():
        flags = client.get(reverse("tanda_bahaya_list"), {"tahun": TAHUN, "status": "all"})
        tugas = client.get(reverse("tugas_saya"), {"tahun": TAHUN})
    assert flags.context["page"].paginator.count == 0  # as stored before the new record
    assert tugas.context["tugas"].tanda_bahaya.jumlah == 0
    for page in (flags, tugas):
        assert "Angka per 5 Des 2026 14:03 · sedang diperbarui" in page.content.decode()
    assert f"?tahun={TAHUN}&amp;opd={stale_a.pk}" in tugas.content.decode()  # it polls its own OPD
    ringkasan.segarkan_ringkasan.call(tahun=TAHUN)
    flags = client.get(reverse("tanda_bahaya_list"), {"tahun": TAHUN, "status": "all"})
    assert [row.flag.rule for row in flags.context["rows"]] == [5]
    assert "sedang diperbarui" not in flags.content.decode()


def test_the_status_is_scoped_like_the_dashboards(operator_a, operator_b, pengawas, stale_a, opd_b):
    assert status(client_for(operator_b), opd=stale_a.pk).status_code == 404  # another OPD
    assert status(client_for(operator_b), opd="x").status_code == 404
    assert status(client_for(operator_b), opd="²").status_code == 404  # a digit, but not a number
    own = status(client_for(operator_a), opd=stale_a.pk)
    assert (own.status_code, "sedang diperbarui" in own.content.decode()) == (200, True)
    # operator B's own OPD was never written to: nothing out of date, nothing to wait for
    assert status(client_for(operator_b))["HX-Refresh"] == "true"
    assert status(client_for(pengawas), opd=opd_b.pk)["HX-Refresh"] == "true"
    assert Client().get(reverse("ringkasan_status")).status_code == 302  # to the login


def test_the_status_speaks_english(pengawas, stale_a):
    client = client_for(pengawas)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with no_refresh():
        html = client.get(reverse("dashboard"), {"tahun": TAHUN}).content.decode()
    assert "Figures as of 5 Dec 2026 14:03 · being updated" in html
    ringkasan.segarkan_ringkasan.call(tahun=TAHUN)
    assert "Figures are up to date; reloading the page." in status(client).content.decode()


def test_with_the_immediate_backend_the_queuing_request_recomputes(pengawas, stale_a, settings):
    """No worker (TASKS_BACKEND=immediate): the reader that queues the task runs it, and waits for it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    response = client_for(pengawas).get(reverse("dashboard"), {"tahun": TAHUN})
    assert response.context["kota"].pencatatan_aktif == 1  # read before the task ran
    assert ringkasan.probe(tahun=TAHUN, opd_ids=[stale_a.pk]).all_current
    assert RingkasanOpd.objects.get(opd=stale_a, tahun=TAHUN).data["pencatatan_aktif"] == 2
