"""The replica router: dashboards and exports opt in with use_replica(); everything else reads the primary."""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connections, transaction
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext

from opd.models import Opd
from pengadaan.dashboards import compute, ringkasan
from pengadaan.models import RingkasanOpd
from spse_tracker.db_router import REPLICA, ReplicaRouter, reading_replica, use_replica
from tests.factories import OpdFactory, PencatatanFactory, RealisasiFactory

router = ReplicaRouter()


@pytest.fixture
def replica_configured(monkeypatch):
    """A "replica" alias known to the router (no connection is opened)."""
    monkeypatch.setitem(connections.settings, REPLICA, {**connections.settings["default"]})


def test_reads_stay_on_the_primary_outside_use_replica(replica_configured):
    assert router.db_for_read(Opd) == "default"
    assert reading_replica() is False


def test_reads_go_to_the_replica_inside_use_replica(replica_configured):
    with use_replica():
        assert router.db_for_read(Opd) == "replica"
        with use_replica():
            assert router.db_for_read(Opd) == "replica"
        assert router.db_for_read(Opd) == "replica"  # the inner block does not end the outer one
    assert router.db_for_read(Opd) == "default"


def test_use_replica_as_a_decorator(replica_configured):
    @use_replica()
    def dashboard() -> str:
        return router.db_for_read(Opd)

    assert dashboard() == "replica"
    assert dashboard() == "replica"  # each call gets its own context
    assert router.db_for_read(Opd) == "default"


def test_use_replica_is_undone_by_an_exception(replica_configured):
    with pytest.raises(ZeroDivisionError), use_replica():
        raise ZeroDivisionError
    assert router.db_for_read(Opd) == "default"


def test_without_a_replica_use_replica_changes_nothing():
    assert REPLICA not in connections.settings
    with use_replica():
        assert router.db_for_read(Opd) == "default"
        assert reading_replica() is False


def test_writes_and_migrations_always_use_the_primary(replica_configured):
    with use_replica():
        assert router.db_for_write(Opd) == "default"
    assert router.allow_migrate("default", "opd") is True
    assert router.allow_migrate("replica", "opd") is False
    assert router.allow_relation(Opd(), Opd()) is True


def test_use_replica_does_not_leak_into_other_threads(replica_configured):
    seen = {}
    started, finish = threading.Event(), threading.Event()

    def other_request():
        started.wait(5)
        seen["other"] = router.db_for_read(Opd)
        finish.set()

    thread = threading.Thread(target=other_request)
    thread.start()
    with use_replica():
        started.set()
        finish.wait(5)
        seen["here"] = router.db_for_read(Opd)
    thread.join(5)
    assert seen == {"other": "default", "here": "replica"}


@pytest.fixture
def replica_mirror(transactional_db):
    """A real second connection to the test database, as DATABASES["replica"] with TEST MIRROR gives.

    Scoped to one test: a replica alias for the whole suite would send every use_replica() read to
    a connection that cannot see the data of ordinary (transaction-wrapped) tests. Like a real
    replica, this one sees committed data only, hence transactional_db.
    """
    settings_dict = {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}}
    replica = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, REPLICA)
    # Connect before registering the alias: Django's test case refuses to open connections to
    # registered aliases outside its `databases`.
    replica.ensure_connection()
    connections.settings[REPLICA] = settings_dict
    connections[REPLICA] = replica
    try:
        yield replica
    finally:
        del connections[REPLICA]
        del connections.settings[REPLICA]
        # SQLite keeps in-memory databases open on close(); close the driver's connection itself.
        replica.connection.close()


def test_querysets_read_the_replica_connection_inside_use_replica(replica_mirror):
    OpdFactory(nama_satker="Dinas Replika")
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(replica_mirror) as replica:
        with use_replica():
            names = list(Opd.objects.values_list("nama_satker", flat=True))
            Opd.objects.create(kd_satker="99999", nama_satker="Dinas Baru", singkatan="DB")
        assert Opd.objects.filter(nama_satker="Dinas Baru").exists()

    assert names == ["Dinas Replika"]
    assert len(replica.captured_queries) == 1
    assert "SELECT" in replica.captured_queries[0]["sql"]
    # the write inside the block and the read after it both went to the primary
    assert [q["sql"].split()[0] for q in primary.captured_queries] == ["INSERT", "SELECT"]


# --- stored dashboard summaries computed on the replica (pengadaan.dashboards.ringkasan.refresh) --------------------


def _without_flag_count(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "jumlah_flags"}


def test_summaries_are_computed_on_a_replica_that_holds_every_write(replica_mirror):
    opd = OpdFactory()
    records = [PencatatanFactory(opd=opd, tahun_anggaran=2026) for _ in range(3)]
    RealisasiFactory(pencatatan=records[0])
    expected = compute.hitung(tahun=2026, opd_ids=[opd.pk])[opd.pk]  # on the primary

    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(replica_mirror) as replica:
        rows = ringkasan.refresh(tahun=2026, opd_ids=[opd.pk])

    assert _without_flag_count(rows[opd.pk].data) == expected
    assert expected["pencatatan_aktif"] == 3
    # the reads of the data went to the replica; the primary only kept the summary
    assert any("pengadaan_realisasi" in q["sql"] for q in replica.captured_queries)
    assert not any("pengadaan_realisasi" in q["sql"] for q in primary.captured_queries)
    stored = RingkasanOpd.objects.get(opd=opd, tahun=2026)
    assert (stored.data, stored.data_generasi) == (rows[opd.pk].data, stored.generasi)


def test_a_replica_that_lags_is_not_used(replica_mirror):
    opd = OpdFactory()
    PencatatanFactory(opd=opd, tahun_anggaran=2026)
    ringkasan.refresh(tahun=2026, opd_ids=[opd.pk])

    with transaction.atomic():
        # a write the replica does not have yet (not even committed): it raised the generasi on the primary
        PencatatanFactory(opd=opd, tahun_anggaran=2026)
        with CaptureQueriesContext(replica_mirror) as replica:
            rows = ringkasan.refresh(tahun=2026, opd_ids=[opd.pk])
        transaction.set_rollback(True)

    assert rows[opd.pk].data["pencatatan_aktif"] == 2  # computed on the primary, which has the write
    assert len(replica.captured_queries) == 1  # only the look at the replica's generations
    assert "pengadaan_ringkasanopd" in replica.captured_queries[0]["sql"]


def test_an_unreachable_replica_is_not_used(replica_configured, db, monkeypatch, caplog):
    opd = OpdFactory()
    PencatatanFactory(opd=opd, tahun_anggaran=2026)

    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(connections[REPLICA], "cursor", refuse)
    rows = ringkasan.refresh(tahun=2026, opd_ids=[opd.pk])

    assert rows[opd.pk].data["pencatatan_aktif"] == 1
    assert "read replica unreachable" in caplog.text
